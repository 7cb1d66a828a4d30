"""Log lines name the case and correlation they are about; /metrics counts what happened."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator

import httpx
import pytest
import structlog
from fastapi import FastAPI
from redis.asyncio import Redis

from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork
from shared.platform.logs import configure_logging
from shared.platform.metrics import ServiceMetrics
from shared.platform.observability import install_observability
from tests.integration.kit_harness import KitService
from tests.polling import eventually_async

pytestmark = pytest.mark.integration

log = structlog.get_logger("test.observability")


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The service's JSON log configuration, writing into a buffer for the test to read."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    out = io.StringIO()
    configure_logging("mediation", "INFO", json=True, stream=out)
    yield out
    root.handlers[:], root.level = saved
    structlog.reset_defaults()


def _lines(out: io.StringIO, event: str) -> list[dict[str, object]]:
    parsed = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    return [p for p in parsed if p.get("event") == event]


@pytest.mark.parametrize("read_batch", [50, 1])
async def test_a_handlers_log_lines_carry_the_events_case_and_correlation_ids(
    database_url: str, redis_url: str, log_lines: io.StringIO, read_batch: int
):
    async def logs_and_records(envelope: Envelope, uow: UnitOfWork) -> None:
        log.info("handling_case", phone="13812345678")

    kit = KitService(database_url, redis_url, handler=logs_and_records, read_batch=read_batch)
    await kit.create_schema()
    try:
        await kit.start_consuming()
        events = await kit.emit_committed(3)
        await kit.relay.relay_once()

        async def all_applied() -> bool:
            # Logged when the handler runs, counted once its batch commits: wait for both (a
            # loaded CI host closed the kit between the two, and the counter read 0).
            logged = len(_lines(log_lines, "handling_case")) >= 3
            return logged and kit.consumer.processed_total >= 3

        await eventually_async(all_applied)
    finally:
        await kit.close()
    lines = _lines(log_lines, "handling_case")
    assert {line["case_id"] for line in lines} == {str(e.case_id) for e in events}
    for line in lines:
        assert line["correlation_id"] == line["case_id"]  # new_event's default correlation
        assert line["service"] == "mediation"
        assert line["phone"] == "138****5678"
    metrics = kit.consumer.metrics.render().decode()
    assert 'waystation_events_consumed_total{event_type="case.filed"} 3.0' in metrics


async def test_the_consumer_groups_lag_and_pending_entries_are_exported(
    database_url: str, redis_url: str
):
    kit = KitService(database_url, redis_url)
    await kit.create_schema()
    try:
        await kit.start_consuming()
        await kit.emit_committed(2)
        await kit.relay.relay_once()

        async def drained() -> bool:
            return await kit.ledger_count() == 2

        # What is measured here is the export, not the speed: on a loaded host a batch that
        # failed once is applied by the reclaimer (30 s idle in this harness), so wait for it.
        await eventually_async(drained, timeout=45)
        metrics = ServiceMetrics("mediation")
        await metrics.refresh_streams(kit.redis)
        text = metrics.render().decode()
    finally:
        await kit.close()
    labels = 'group="mediation",stream="waystation.intake"'
    assert f"waystation_consumer_pending{{{labels}}} 0.0" in text
    assert f"waystation_consumer_lag{{{labels}}} 0.0" in text
    assert 'waystation_dead_letters{stream="waystation.intake"}' in text


async def test_a_request_is_timed_and_its_lines_carry_the_request_correlation_and_case_ids(
    redis_url: str, log_lines: io.StringIO
):
    app = FastAPI()
    metrics = ServiceMetrics("intake")
    redis = Redis.from_url(redis_url)
    install_observability(app, metrics, redis)

    @app.get("/cases/{case_id}")
    async def read_case(case_id: uuid.UUID) -> dict[str, str]:
        log.info("reading_case")
        return {"id": str(case_id)}

    case_id = uuid.uuid4()
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answer = await client.get(f"/cases/{case_id}", headers={"X-Correlation-Id": "corr-1"})
            fresh = await client.get(f"/cases/{case_id}")
            scraped = await client.get("/metrics")
    finally:
        await redis.aclose()
    assert answer.headers["X-Correlation-Id"] == "corr-1"
    assert answer.headers["X-Request-Id"]
    assert fresh.headers["X-Correlation-Id"] == fresh.headers["X-Request-Id"]
    first, second = _lines(log_lines, "reading_case")
    assert first["correlation_id"] == "corr-1"
    assert first["case_id"] == second["case_id"] == str(case_id)
    assert first["request_id"] == answer.headers["X-Request-Id"]
    assert scraped.status_code == 200
    assert (
        'waystation_http_request_duration_seconds_count{method="GET",'
        'route="/cases/{case_id}",status="200"} 2.0'
    ) in scraped.text
