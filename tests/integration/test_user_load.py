"""`waystation user load`: a district's staff list in one run, all or none, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from services.intake.adapters.tables import AUDIT, UserAccount
from waystation.cli import app

pytestmark = pytest.mark.integration
PASSWORD = "a-long-pass-phrase"


def _csv(path: Path, *rows: str) -> Path:
    path.write_text("username,role,actor_id,name\n" + "".join(r + "\n" for r in rows), "utf-8")
    return path


def _rows(database_url: str) -> tuple[list[tuple[str, str, str, str]], int]:
    engine = sa.create_engine(
        database_url.replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
    )
    table = UserAccount.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        users = conn.execute(
            sa.select(table.c.username, table.c.role, table.c.actor_id, table.c.name).order_by(
                table.c.username
            )
        ).all()
        audited = conn.execute(sa.select(sa.func.count()).select_from(AUDIT)).scalar_one()
    engine.dispose()
    return [tuple(u) for u in users], int(audited)  # type: ignore[misc]


def test_a_staff_list_loads_once_and_a_bad_row_stores_nothing(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setenv("INTAKE_DATABASE_URL", database_url)
    runner = CliRunner()
    staff = _csv(
        tmp_path / "staff.csv",
        "chair,committee,committee,王主任",
        "med-li,mediator,med-li,李调解员",
        "road,department,zhaoxiang-road,赵巷镇道路养护所",
    )
    loaded = runner.invoke(app, ["user", "load", str(staff), "--password", PASSWORD])
    assert loaded.exit_code == 0, loaded.output
    assert "created 3, already there 0" in loaded.output
    users, audited = _rows(database_url)
    assert users == [
        ("chair", "committee", "committee", "王主任"),
        ("med-li", "mediator", "med-li", "李调解员"),
        ("road", "department", "zhaoxiang-road", "赵巷镇道路养护所"),
    ]
    assert audited == 1  # one operator run, one audit line

    # The same list again changes nothing.
    again = runner.invoke(app, ["user", "load", str(staff), "--password", PASSWORD])
    assert again.exit_code == 0, again.output
    assert "created 0, already there 3" in again.output
    assert _rows(database_url) == (users, audited)

    # A list with bad rows is named line by line and nothing of it is stored, not even its
    # good rows.
    bad = _csv(
        tmp_path / "bad.csv",
        "med-zhou,mediator,med-zhou,周主席",
        "chair,mediator,med-chair,王主任",
        "med-zhou,mediator,med-zhou,周主席",
        "bad name,mediator,med-x,",
        "med-y,ruler,med-y,",
        "med-z,mediator,,",
    )
    refused = runner.invoke(app, ["user", "load", str(bad), "--password", PASSWORD])
    assert refused.exit_code == 2, refused.output
    out = " ".join(refused.output.split())
    assert "line 3, username: taken by a user with another role" in out
    assert "line 4, username: listed twice" in out
    assert "line 5, username:" in out
    assert "line 6, role:" in out
    assert "line 7, actor_id:" in out
    assert "nothing was loaded" in out
    assert _rows(database_url) == (users, audited)

    # A short first password and a file without the header's columns are refused too.
    short = runner.invoke(app, ["user", "load", str(bad), "--password", "short"])
    assert short.exit_code == 2 and "password" in short.output
    headless = tmp_path / "headless.csv"
    headless.write_text("med-q,mediator,med-q,\n", "utf-8")
    missing = runner.invoke(app, ["user", "load", str(headless), "--password", PASSWORD])
    assert missing.exit_code == 2 and "column missing" in missing.output
    assert _rows(database_url) == (users, audited)
