"""One trace follows a case across the services; every service exports Prometheus metrics."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.harness import SERVICES, Sinks, System, eventually
from tests.infra import private_redis

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
            sut.start_all()
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
    filed = httpx.post(f"{traced.url('intake')}/api/v1/hazards", json=_hazard(email), timeout=10)
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["case_id"]

    def chain() -> dict[str, dict[str, Any]] | None:
        spans = [s for s in _spans(traced) if s["attributes"].get("waystation.case_id") == case_id]
        by_name = {s["name"]: s for s in spans}
        wanted = ("dispatch apply case.filed", "notify apply hazard.dispatched")
        return by_name if all(name in by_name for name in wanted) else None

    named = eventually(chain, timeout=30)
    everything = {s["span_id"]: s for s in _spans(traced)}
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
