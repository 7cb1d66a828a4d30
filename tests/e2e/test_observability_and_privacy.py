"""One trace follows a case across the services; every service exports Prometheus metrics;
no raw phone or ID number leaks anywhere after an end-to-end run."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from tests.auth import OFFICER, auth_headers
from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import private_redis
from tests.polling import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory, sinks: Sinks) -> Iterator[System]:
    """The four services on SQLite, each writing its spans as JSON lines under traces/."""
    folder: Path = tmp_path_factory.mktemp("traced")
    databases = {name: f"sqlite+aiosqlite:///{folder / 'data' / f'{name}.db'}" for name in SERVICES}
    with private_redis(folder / "redis") as (redis_url, _proc):
        sut = System(folder, redis_url, databases, sinks)
        sut.env["WAYSTATION_TRACE_DIR"] = str(folder / "traces")
        try:
            sut.start_all(console=False)
            yield sut
        finally:
            sut.stop_all()


def _spans(system: System) -> list[dict[str, Any]]:
    folder = system.folder / "traces"
    return [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]


def _hazard(email: str) -> dict[str, Any]:
    return {
        "category": "manhole_cover",
        "latitude": 31.1400 + 0.0035 * 20,
        "longitude": 121.1947,
        "description": "赵巷镇人行道上窨井盖缺失。",
        "reporter": {"name": "吴师傅", "phone": "13812345678", "email": email},
    }


def test_one_trace_follows_a_hazard_from_intake_through_dispatch_to_notify(traced: System):
    email = f"runner-{uuid.uuid4().hex[:8]}@example.com"
    filed = httpx.post(
        f"{traced.url('intake')}/api/v1/hazards", json=_hazard(email), headers=OFFICER, timeout=10
    )
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["case_id"]

    wanted = ("dispatch apply case.filed", "notify apply hazard.dispatched")

    def chain() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]] | None:
        # Each process exports its spans in its own batches (200 ms apart, later on a loaded
        # machine): intake's request span may arrive after dispatch's and notify's.
        everything = {s["span_id"]: s for s in _spans(traced)}
        case = [
            s for s in everything.values() if s["attributes"].get("waystation.case_id") == case_id
        ]
        by_name = {s["name"]: s for s in case}
        if not all(name in by_name for name in wanted):
            return None
        parent = by_name[wanted[0]]["parent_id"]  # None (no context carried) fails below
        return (by_name, everything) if parent is None or parent in everything else None

    named, everything = eventually(chain, timeout=30)
    dispatch = named["dispatch apply case.filed"]
    notify = named["notify apply hazard.dispatched"]
    # notify's span is a child of dispatch's, whose parent is intake's request span
    assert notify["parent_id"] == dispatch["span_id"]
    assert notify["trace_id"] == dispatch["trace_id"]
    request = everything[dispatch["parent_id"]]
    assert request["service"] == "intake"
    assert request["name"].startswith("POST /api/v1/hazards")
    trace = [s for s in everything.values() if s["trace_id"] == dispatch["trace_id"]]
    assert {"intake", "dispatch", "notify"} <= {s["service"] for s in trace}


def test_every_service_exports_request_event_and_stream_metrics(traced: System):
    filed = httpx.post(
        f"{traced.url('intake')}/api/v1/hazards",
        json={**_hazard("m@example.com"), "latitude": 31.1400 + 0.0035 * 22},
        headers=OFFICER,
        timeout=10,
    )
    assert filed.status_code == 201

    def scraped() -> dict[str, str] | None:
        texts = {n: httpx.get(f"{traced.url(n)}/metrics", timeout=5).text for n in SERVICES}
        return texts if "waystation_events_consumed_total" in texts["notify"] else None

    texts = eventually(scraped, timeout=30)
    for name, text in texts.items():
        assert "waystation_http_request_duration_seconds_bucket" in text, name
        assert "waystation_consumer_pending{" in text, name
        assert "waystation_consumer_lag{" in text, name
    assert 'waystation_events_published_total{event_type="case.filed"}' in texts["intake"]
    assert 'waystation_events_consumed_total{event_type="case.filed"}' in texts["dispatch"]
    assert "waystation_notifications_total" in texts["notify"]


# --- PII leak scan ---------------------------------------------------------------------------

PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
RUNNER_PHONES = ("13812345678", "13911112222")
RUNNER_IDS = ("11010519491231002X", "31011819900101001X")
# Where a raw phone or ID number may rest, and why. Everything else is scanned.
ALLOWED_COLUMNS = {
    ("intake", "party", "phone"): "intake keeps the runner's phone to call back; shown masked",
    ("intake", "party", "id_number_enc"): "AES-GCM ciphertext, not plaintext",
    ("intake", "party", "id_number_hash"): "HMAC-SHA256 of the number (hex), not the number",
}


def _leaks(text: str) -> list[str]:
    found = PHONE.findall(text) + ID_NUMBER.findall(text)
    found += [v for v in (*RUNNER_PHONES, *RUNNER_IDS) if v in text]
    return found


def _database_leaks(
    system: System, allowed: dict[tuple[str, str, str], str] = ALLOWED_COLUMNS
) -> list[str]:
    leaks = []
    for name in SERVICES:
        db = sqlite3.connect(system.folder / "data" / f"{name}.db")
        try:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            for table in tables:
                cursor = db.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the db)
                columns = [c[0] for c in cursor.description]
                for row in cursor:
                    for column, value in zip(columns, row, strict=True):
                        if (name, table, column) in allowed or value is None:
                            continue
                        text = (
                            value.decode(errors="replace")
                            if isinstance(value, bytes)
                            else str(value)
                        )
                        leaks += [f"{name}.{table}.{column}: {hit}" for hit in _leaks(text)]
        finally:
            db.close()
    return leaks


def _stream_leaks(system: System) -> list[str]:
    client = redis.Redis.from_url(system.redis_url)
    leaks = []
    for key in client.scan_iter(match="waystation.*"):
        kind = client.type(key)
        if kind == b"stream":
            entries = [repr(fields) for _id, fields in client.xrange(key)]
        elif kind == b"hash":
            entries = [repr(client.hgetall(key))]
        else:
            continue
        leaks += [f"{key.decode()}: {hit}" for text in entries for hit in _leaks(text)]
    return leaks


def test_no_raw_phone_or_id_number_leaks_into_logs_streams_outboxes_or_notifications(
    traced: System, sinks: Sinks
):
    email = f"runner-{uuid.uuid4().hex[:8]}@example.com"
    hazard = _hazard(email) | {"latitude": 31.1400 + 0.0035 * 24}
    hazard["reporter"] |= {"phone": RUNNER_PHONES[0], "id_number": RUNNER_IDS[0]}
    filed = httpx.post(
        f"{traced.url('intake')}/api/v1/hazards", json=hazard, headers=OFFICER, timeout=10
    )
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["case_id"]
    dispute = {
        "complainant": {
            "name": "李某",
            "phone": RUNNER_PHONES[1],
            "email": email,
            "id_number": RUNNER_IDS[1],
        },
        "respondents": [{"name": "速达快递有限公司", "email": f"hr-{email}"}],
        "dispute_type": "unpaid_wages",
        "dispute_arose_on": "2026-11-02",
        "claim": "支付10月工资8600元",
        "facts": "10月工资未发放",
    }
    assert httpx.post(
        f"{traced.url('intake')}/api/v1/disputes", json=dispute, headers=OFFICER, timeout=10
    ).is_success

    hazard_url = f"{traced.url('dispatch')}/api/v1/hazards/{case_id}"

    def dispatched() -> dict[str, Any] | None:
        answer = httpx.get(hazard_url, headers=OFFICER, timeout=5)
        found = answer.json() if answer.status_code == 200 else {}
        return found if found.get("state") == "dispatched" else None

    dept = auth_headers("department", eventually(dispatched)["department_id"])
    assert httpx.post(f"{hazard_url}/acknowledge", headers=dept, timeout=10).status_code == 200
    eventually(lambda: len(sinks.mails_to(email)) >= 3, timeout=30)
    eventually(lambda: sinks.hooks_at("/committee"), timeout=30)
    eventually(lambda: _quiet(traced), timeout=30)

    assert not _database_leaks(traced), _database_leaks(traced)
    # the scan does see what it skips: the allowed columns hold the raw values
    unfiltered = _database_leaks(traced, allowed={})
    assert any(leak.startswith("intake.party.phone: 13812345678") for leak in unfiltered)
    assert not _stream_leaks(traced), _stream_leaks(traced)
    for name in SERVICES:
        log = traced.log(name)
        assert not _leaks(log), (name, _leaks(log))
    spans = "\n".join(p.read_text() for p in (traced.folder / "traces").glob("*.jsonl"))
    assert not _leaks(spans)
    with sinks.lock:
        mails = [f"{m.subject}\n{m.body}" for m in sinks.mails]
        hooks = [json.dumps(h.body, ensure_ascii=False) for h in sinks.hooks]
    assert mails and hooks
    assert not [hit for text in mails + hooks for hit in _leaks(text)]


def _quiet(system: System) -> bool:
    """Every group has read and acknowledged everything, and no delivery is queued."""
    client = redis.Redis.from_url(system.redis_url)
    for stream in ("waystation.intake", "waystation.mediation", "waystation.dispatch"):
        for group in client.xinfo_groups(stream):
            if group["pending"] or group.get("lag"):
                return False
    return True
