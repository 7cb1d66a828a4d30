"""The judge's account of what is still in the streams, against a real (private) Redis."""

from __future__ import annotations

from typing import cast

import pytest
import redis

from shared.contracts.streams import stream_of
from tests.chaos.faults import RedisProcess
from tests.chaos.workload import stream_totals, stuck_entries

pytestmark = [pytest.mark.chaos]
_FRAME = b"\x89BIN\r\n\x1a\n"  # FastStream's binary frame: bodies are not UTF-8


def test_stuck_entries_name_each_group_its_entries_and_lag(chaos_redis: RedisProcess) -> None:
    client = redis.Redis.from_url(chaos_redis.url)
    stream = stream_of("intake")
    client.xgroup_create(stream, "dispatch", id="0", mkstream=True)
    client.xgroup_create(stream, "notify", id="0")
    first = cast(bytes, client.xadd(stream, {"__data__": _FRAME + b"one"})).decode()
    client.xadd(stream, {"__data__": _FRAME + b"two"})
    client.xreadgroup("dispatch", "vm-1", {stream: ">"}, count=1)
    client.xreadgroup("notify", "vm-2", {stream: ">"}, count=2)
    client.xack(stream, "notify", first)

    # dispatch: one read and unacknowledged, one unread; notify: one read and unacknowledged.
    assert stream_totals(chaos_redis.url) == (3, 0)
    stuck = stuck_entries(chaos_redis.url)
    assert len(stuck) == 2
    dispatch, notify = sorted(stuck)
    assert dispatch.startswith(f"{stream}>dispatch: pending=1 lag=1 ")
    assert f"entries=['{first}@vm-1 idle=" in dispatch
    assert "consumers=['vm-1(pending=1" in dispatch
    assert notify.startswith(f"{stream}>notify: pending=1 lag=0 ")


def test_a_drained_stream_names_nothing(chaos_redis: RedisProcess) -> None:
    client = redis.Redis.from_url(chaos_redis.url)
    stream = stream_of("dispatch")
    client.xgroup_create(stream, "notify", id="0", mkstream=True)
    entry = client.xadd(stream, {"__data__": _FRAME})
    client.xreadgroup("notify", "vm-1", {stream: ">"})
    client.xack(stream, "notify", entry)
    assert stream_totals(chaos_redis.url) == (0, 0)
    assert stuck_entries(chaos_redis.url) == []
