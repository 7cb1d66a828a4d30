"""The register's first load: the district's spreadsheet as a CSV file (the demo one ships here)."""

from __future__ import annotations

from pathlib import Path

from services.dispatch.adapters.station_csv import read_rows
from services.dispatch.domain.errors import ImportRejected
from services.dispatch.domain.stations import ImportRow

DEMO_STATIONS = Path(__file__).parent / "data" / "stations.csv"


def load_station_rows(path: Path | None = None) -> list[ImportRow]:
    """Every row of the file; a bad file stops the start (ImportRejected names line and field)."""
    rows, errors = read_rows((path or DEMO_STATIONS).read_bytes())
    if errors:
        raise ImportRejected([(e.line, e.field, e.message) for e in errors])
    return rows
