"""What became of one send: delivered, failed for now, or failed for good."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    permanent: bool
    error: str = ""
