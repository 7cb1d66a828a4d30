"""A rolling upgrade: consumers not yet upgraded meet a newer producer's events.

Tolerant readers, strict writers: a field the consumer does not know is ignored (nested ones
too); a version bump is read through the registered upcaster when the event is older than the
consumer, and kept pending (never dead-lettered) when it is newer, until a consumer that knows
the version takes it. Dispatch is the consumer here, on real Redis and databases, fed through
the paths its stream reader (a batch) and its reclaimer (one entry, redelivered) use.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as aioredis

from shared.contracts.catalogue import CATALOGUE
from shared.contracts.envelope import Envelope
from shared.contracts.reading import UPCASTERS
from shared.messaging.errors import NotYetReadable
from shared.platform.clock import FrozenClock
from tests.integration.dispatch_harness import START, Dispatch, case_filed

pytestmark = pytest.mark.integration
STREAM = "waystation.intake"


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


def _written(envelope: Envelope, version: int, payload: dict[str, Any]) -> bytes:
    """The envelope as a producer of `version` wrote it."""
    return envelope.model_copy(update={"schema_version": version, "payload": payload}).to_json()


async def _dead_letters(redis_url: str) -> int:
    client = aioredis.Redis.from_url(redis_url)
    try:
        return int(await client.xlen(f"{STREAM}.dlq"))
    finally:
        await client.aclose()


async def test_an_added_field_is_ignored_by_a_consumer_that_does_not_know_it(
    dispatch: Dispatch, redis_url: str
):
    filed = case_filed()
    payload = dict(filed.payload, received_via="wechat_mini_program")
    payload["parties"] = [dict(filed.payload["parties"][0], wechat_openid="o-123")]
    body = _written(filed, filed.schema_version, payload)
    acked = await dispatch.runtime.consumer.apply_entries(STREAM, [("1-1", body, {})])
    assert acked == ["1-1"]
    assert (await dispatch.get(filed.case_id))["state"] == "dispatched"
    assert await _dead_letters(redis_url) == 0


async def test_a_version_bump_is_upcast_when_older_and_waits_for_the_upgrade_when_newer(
    dispatch: Dispatch, redis_url: str, monkeypatch: pytest.MonkeyPatch
):
    # The consumer's code reads case.filed v2; v1 called the title `subject` (the breaking
    # change), and its upcaster renames it.
    spec = CATALOGUE["case.filed"]
    monkeypatch.setitem(CATALOGUE, "case.filed", dataclasses.replace(spec, version=2))

    def v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
        payload["title"] = payload.pop("subject")
        return payload

    monkeypatch.setitem(UPCASTERS, ("case.filed", 1), v1_to_v2)
    consumer = dispatch.runtime.consumer

    # An old producer's v1 event: read through the upcaster.
    old = case_filed()
    v1 = {k: v for k, v in old.payload.items() if k != "title"} | {"subject": "窨井盖缺失"}
    assert await consumer.apply_entries(STREAM, [("1-1", _written(old, 1, v1), {})]) == ["1-1"]
    assert (await dispatch.get(old.case_id))["state"] == "dispatched"

    # A newer producer's v3 event, read by the group and left pending: not applied, not
    # acknowledged, not dead-lettered, however often the reclaimer hands it over...
    new = case_filed()
    v3 = _written(new, 3, dict(new.payload, priority_hint="high"))
    entry = await _pending(redis_url, v3, consumer.config.instance)
    assert await consumer.apply_entries(STREAM, [(entry, v3, {})]) == []
    for _ in range(3):
        with pytest.raises(NotYetReadable):
            await consumer.handle_entry(
                STREAM, entry, v3, {}, deliveries=await _deliveries(redis_url, entry) + 1,
                reclaimed=True,
            )  # fmt: skip
    assert await _dead_letters(redis_url) == 0
    assert await dispatch.types(new.case_id) == []
    assert await _deliveries(redis_url, entry) == 0  # the wait does not count as failures

    # ... until the consumer is upgraded to v3 and its reclaimer takes the entry: applied once.
    monkeypatch.setitem(CATALOGUE, "case.filed", dataclasses.replace(spec, version=3))
    monkeypatch.setitem(UPCASTERS, ("case.filed", 2), lambda payload: payload)
    await consumer.handle_entry(STREAM, entry, v3, {}, deliveries=1, reclaimed=True)
    assert (await dispatch.get(new.case_id))["state"] == "dispatched"
    assert await _dead_letters(redis_url) == 0


async def _pending(redis_url: str, body: bytes, consumer: str) -> str:
    """XADD the entry and read it with dispatch's group, so it is pending as a delivered one."""
    client = aioredis.Redis.from_url(redis_url)
    with contextlib.suppress(aioredis.ResponseError):  # the group exists already
        await client.xgroup_create(STREAM, "dispatch", id="0", mkstream=True)
    try:
        entry = (await client.xadd(STREAM, {"__data__": body})).decode()
        await client.xreadgroup("dispatch", consumer, {STREAM: ">"}, count=100)
        return entry
    finally:
        await client.aclose()


async def _deliveries(redis_url: str, entry: str) -> int:
    client = aioredis.Redis.from_url(redis_url)
    try:
        [pending] = await client.xpending_range(STREAM, "dispatch", entry, entry, 1)
        return int(pending["times_delivered"])
    finally:
        await client.aclose()
