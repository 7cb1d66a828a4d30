"""Loads the duty roster from a JSON file (the demo roster ships beside this module)."""

from __future__ import annotations

import json
from pathlib import Path

from services.mediation.domain.roster import Roster

DEMO_ROSTER = Path(__file__).parent / "data" / "roster.json"


def load_roster(path: Path | None = None) -> Roster:
    return Roster.model_validate(json.loads((path or DEMO_ROSTER).read_text(encoding="utf-8")))
