"""Consumer groups stay tidy: consumers that left holding nothing are removed; waiting for a
case's earlier event is logged as the routine it is (info), not as an error."""

from __future__ import annotations

import asyncio

import pytest
import structlog
from redis.asyncio import Redis

from shared.messaging.errors import RetryLater
from shared.messaging.groups import prune_consumers
from tests.integration.kit_harness import KitService, filed_event

pytestmark = pytest.mark.integration
STREAM, GROUP = "waystation.intake", "mediation"


async def test_consumers_that_left_holding_nothing_are_removed_and_the_others_kept(
    redis_url: str,
):
    redis = Redis.from_url(redis_url)
    try:
        await redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        await redis.xadd(STREAM, {"__data__": b"{}"})
        await redis.xreadgroup(GROUP, "crashed-holding-one", {STREAM: ">"}, count=1)
        for name in ("left-1", "left-2", "left-3-reclaim"):  # earlier processes' names
            await redis.xgroup_createconsumer(STREAM, GROUP, name)
        await asyncio.sleep(0.05)
        await redis.xgroup_createconsumer(STREAM, GROUP, "alive")  # just seen

        assert (
            await prune_consumers(redis, [(STREAM, GROUP), ("no.such.stream", GROUP)], idle_ms=30)
            == 3
        )
        left = {c["name"] for c in await redis.xinfo_consumers(STREAM, GROUP)}
        assert left == {b"crashed-holding-one", b"alive"}
    finally:
        await redis.aclose()


async def test_waiting_for_a_cases_earlier_event_is_logged_at_info(
    database_url: str, redis_url: str
):
    kit = KitService(database_url, redis_url)
    await kit.create_schema()
    try:
        second = filed_event().model_copy(update={"sequence": 2})  # its first has not come
        with structlog.testing.capture_logs() as logs, pytest.raises(RetryLater):
            await kit.consumer.handle_entry(
                STREAM, "1-1", second.to_json(), {}, deliveries=1, reclaimed=True
            )
        waits = [e for e in logs if e["event"] == "event_waits_will_retry"]
        assert waits and {e["log_level"] for e in waits} == {"info"}
        assert not [e for e in logs if e["log_level"] in ("warning", "error", "critical")]
    finally:
        await kit.close()
