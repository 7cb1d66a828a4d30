"""The whole system on loopback and Debian's Chromium driven by Playwright (never a downloaded
browser); screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import private_redis

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# Without the background-networking flags Chromium keeps calling hosts a closed network refuses.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium's own widgets (date and time pickers) in the users' language, as on their desks.
    "--lang=zh-CN",
]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[System]:
    folder = tmp_path_factory.mktemp("browser-system")
    sinks = Sinks()
    sinks.start()
    databases = {n: f"sqlite+aiosqlite:///{folder / 'data' / f'{n}.db'}" for n in SERVICES}
    with private_redis(folder / "redis", aof=False) as (redis_url, _proc):
        sut = System(folder, redis_url, databases, sinks)
        try:
            sut.start_all()
            _create_users(sut)
            yield sut
        finally:
            sut.stop_all()
            sinks.stop()


# The console's users: intake's own accounts, made with the operator's CLI.
USERS = [
    ("chair", "committee", "committee", "王主任（调解委员会）"),
    ("officer", "intake_officer", "officer-1", "张受理（受理员）"),
    ("zhaoxiang-road", "department", "zhaoxiang-road", "赵巷镇道路养护所"),
    ("xujing-property", "department", "xujing-property", "徐泾镇物业管理办公室"),
    # 演示·徐泾明珠苑's residents' committee: the compound's other body in J3 (配合处理)
    ("xujing-rc-06", "department", "xujing-rc-06", "徐泾明珠苑居民委员会"),
    ("admin", "admin", "admin", "系统管理员"),
    # Every mediator of the roster (services/mediation/adapters/data/roster.json): the one
    # acceptance assigns logs in under its own id.
    ("med-zhang", "mediator", "med-zhang", "张调解员"),
    ("med-chen", "mediator", "med-chen", "陈警官"),
    ("med-wang", "mediator", "med-wang", "王律师"),
    ("med-liu", "mediator", "med-liu", "刘律师"),
    ("med-zhou", "mediator", "med-zhou", "周主席"),
    ("med-sun", "mediator", "med-sun", "孙站长"),
]
PASSWORD = "waystation-dev"


def _create_users(system: System, users: list[tuple[str, str, str, str]] | None = None) -> None:
    """The staff, loaded in one run of the operator's CLI (`waystation user load`)."""
    staff = system.folder / f"staff-{len(list(system.folder.glob('staff-*.csv')))}.csv"
    with staff.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["username", "role", "actor_id", "name"])
        writer.writerows(USERS if users is None else users)
    loaded = subprocess.run(
        [sys.executable, "-m", "waystation.cli", "user", "load", str(staff)]
        + ["--password", PASSWORD],
        env=system.env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr


# Module scope, not session: Playwright's sync API runs an event loop in this thread, which
# would break every asyncio test collected after the browser tests.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
