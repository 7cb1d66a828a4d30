"""The PRC holiday calendar (statutory holidays, make-up working days), shared by mediation's
legal clocks and dispatch's station opening hours, so both read one calendar the same way."""
