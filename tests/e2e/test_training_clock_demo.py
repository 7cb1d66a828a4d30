"""`waystation demo --days 16` on the four services as processes (#19, J5): the training clock
moves a day at a time; the warnings come on day 10 and day 13 and the expiry after day 15,
each once, and the complainant is told of the arbitration route once. SQLite only: the
timers' PostgreSQL path is covered by tests/integration/test_training_clock.py."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from services.mediation.adapters.calendar_source import load_calendar
from services.mediation.domain.clocks import ClockName, days_clock
from shared.contracts.glossary import written_date
from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import private_redis

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def training(tmp_path_factory: pytest.TempPathFactory, sinks: Sinks) -> Iterator[System]:
    folder: Path = tmp_path_factory.mktemp("system-training")
    databases = {name: f"sqlite+aiosqlite:///{folder / 'data' / f'{name}.db'}" for name in SERVICES}
    with private_redis(folder / "redis", aof=False) as (redis_url, _proc):
        sut = System(folder, redis_url, databases, sinks)
        sut.env["WAYSTATION_TRAINING_CLOCK"] = "true"
        try:
            sut.start_all(console=False)
            yield sut
        finally:
            sut.stop_all()


def j5_days(out: str) -> tuple[int, int, int]:
    """The days of J5's warnings and expiry, from the day the clock started (the demo says
    "从2026年12月6日起"), by the rule for the end of a period on the package calendar."""
    found = re.search(r"从(\d{4})年(\d{1,2})月(\d{1,2})日起", out)
    assert found, out
    start = date(*(int(g) for g in found.groups()))
    accepted = datetime.combine(start, clock_time(10), ZoneInfo("Asia/Shanghai"))
    due = days_clock(ClockName.MEDIATION_LIMIT, accepted, load_calendar()).due_on
    assert f"J5 调解期限至{written_date(due)}" in out, out
    return (due - start).days - 5, (due - start).days - 2, (due - start).days + 1


def test_the_demo_runs_j5_out_on_the_training_clock(training: System):
    urls = [f"--{name}-url" for name in ("intake", "mediation", "dispatch", "notify")]
    args = [
        arg for flag, name in zip(urls, SERVICES, strict=True) for arg in (flag, training.url(name))
    ]
    demo = subprocess.run(
        [sys.executable, "-m", "waystation.cli", "demo", "--days", "16", *args],
        env=training.env | {"COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    out = demo.stdout
    days = {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r"第(\d+)天（[^）]+）(.*?)(?=第\d+天|J5 现在的状态)", out, re.S)
    }
    # Day 10, 13 and 16 when the 15th day is a working day; when it is a rest day or a
    # holiday the limit ends on the next working day (art. 203) and the demo runs on to it.
    w5, w2, end = j5_days(out)
    assert sorted(days) == list(range(1, max(16, end) + 1)), out
    busy = {day for day, text in days.items() if "无新进展" not in text}
    assert busy == {w5, w2, end}, out
    assert "剩余 5 天" in days[w5] and "剩余 2 天" in days[w2], out
    assert "期限已届满" in days[end] and "未达成协议" in days[end], out
    assert out.count("剩余 5 天") == 1 and out.count("剩余 2 天") == 1, out
    assert "期满未达成协议（expired_no_agreement）" in out, out
    # J12 run end to end: 吴师傅 redeems with his points and the provider station's own staff
    # confirm the hand-over; his ledger lists the earning and the spending.
    assert "积分兑换未成功" not in out, out
    assert "吴师傅的积分（余额" in out and "兑换奖励" in out and "报告经核实" in out, out
    # Moving the clock again (the CLI, as this host's admin) fires nothing twice.
    again = subprocess.run(
        [sys.executable, "-m", "waystation.cli", "clock", "advance", "--days", "30", *args],
        env=training.env | {"COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    for name in SERVICES:
        assert re.search(rf"{name}\s.*\s46\.", again.stdout), again.stdout
    code = re.search(r"J5（([0-9A-Z]{4}-[0-9A-Z]{4})）", out).group(1)  # type: ignore[union-attr]
    j5 = re.search(rf"case ([0-9a-f-]{{36}})\s+tracking {code}", out).group(1)  # type: ignore[union-attr]
    time.sleep(3)  # three of the services' 1 s timer polls on the moved clock
    shown = subprocess.run(
        [sys.executable, "-m", "waystation.cli", "timeline", j5, "--intake-url", args[1]],
        env=training.env | {"COLUMNS": "250"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert shown.stdout.count("deadline.warning") == 2, shown.stdout
    assert shown.stdout.count("deadline.expired") == 1, shown.stdout
    assert shown.stdout.count("mediation.expired") == 1, shown.stdout
