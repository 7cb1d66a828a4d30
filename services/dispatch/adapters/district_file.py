"""The district's box and towns (where a station may be), from a JSON file shipped beside this."""

from __future__ import annotations

import json
from pathlib import Path

from services.dispatch.domain.stations import District

DEMO_DISTRICT = Path(__file__).parent / "data" / "district.json"


def load_district(path: Path | None = None) -> District:
    data = json.loads((path or DEMO_DISTRICT).read_text(encoding="utf-8"))
    return District(
        bbox=tuple(data["bbox"]),
        towns={t["code"]: t["name_zh"] for t in data["towns"]},
        centres={t["code"]: (t["lat"], t["lng"]) for t in data["towns"]},
    )
