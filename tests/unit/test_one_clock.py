"""Every "now" comes from the clock: in services/ and shared/, only shared/platform/clock.py
reads the wall clock (`datetime.now`, `datetime.utcnow`, `date.today`); the rest ask a `Clock`
(or, for a column's default, `shared.platform.clock.utc_now`), so a frozen or training clock
moves all of them."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {ROOT / "shared" / "platform" / "clock.py"}
WALL = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today")}


def wall_clock_reads(tree: ast.AST) -> list[int]:
    """Lines calling `datetime.now(…)` and its kin (also as `datetime.datetime.now(…)`)."""
    lines = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if (name, node.func.attr) in WALL:
            lines.append(node.lineno)
    return lines


def test_the_guard_sees_a_wall_clock_read() -> None:
    tree = ast.parse("import datetime as dt\nx = datetime.now(UTC)\ny = dt.date.today()\n")
    assert wall_clock_reads(tree) == [2, 3]


def test_only_the_clock_reads_the_wall_clock() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for top in ("services", "shared")
        for path in sorted((ROOT / top).rglob("*.py"))
        if path not in ALLOWED
        for line in wall_clock_reads(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert found == [], "ask the service's Clock (shared/platform/clock.py) instead: " + ", ".join(
        found
    )
