"""Loads the department directory from a JSON file (the demo directory ships beside this)."""

from __future__ import annotations

import json
from pathlib import Path

from services.dispatch.domain.directory import Directory

DEMO_DIRECTORY = Path(__file__).parent / "data" / "directory.json"


def load_directory(path: Path | None = None) -> Directory:
    return Directory.model_validate(
        json.loads((path or DEMO_DIRECTORY).read_text(encoding="utf-8"))
    )
