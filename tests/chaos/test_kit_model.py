"""Model-based test of the messaging kit against a real Redis (Hypothesis state machine).

Random sequences of publish, relay (also crashing after the send and before recording it),
consume, crash before ack, reclaim and poison; invariants: no effect is ever applied twice,
and once everything is drained every committed event was applied exactly once, and only
poison lies in the dead-letter stream.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from shared.contracts.streams import all_group_pairs
from shared.messaging.dead_letters import list_dead_letters
from shared.messaging.groups import ensure_groups
from shared.messaging.partitions import group_pairs, partitions_of
from shared.messaging.relay import OutgoingEvent
from tests.cluster import flush, sync_client
from tests.integration.kit_harness import KitService, ledger

pytestmark = [pytest.mark.chaos]
BASE, GROUP = "waystation.intake", "mediation"
LONG = os.environ.get("CHAOS_LONG") == "1"
CONTEXT: dict[str, Any] = {}


class Crash(Exception):
    pass


class KitModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        flush(CONTEXT["redis"])
        db = Path(CONTEXT["folder"]) / f"{uuid.uuid4().hex}.db"
        n = CONTEXT["partitions"]
        self.streams = partitions_of(BASE, n)  # N = 1: just `waystation.intake`
        self.kit = KitService(
            f"sqlite+aiosqlite:///{db}", CONTEXT["redis"], max_deliveries=3, partitions=n
        )
        self.crash_after_send = False
        self.kit.relay._publish = self._publish  # the relay's own send, with a crash switch
        self.run(self.kit.create_schema())
        self.run(ensure_groups(self.kit.redis, all_group_pairs() if n == 1 else group_pairs(n)))
        self.run(self.kit.broker.connect())
        self.committed: set[str] = set()
        self.poison = 0
        self.redis = sync_client(CONTEXT["redis"])

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    async def _publish(self, events: Sequence[OutgoingEvent]) -> None:
        await KitService.publish(self.kit, events)
        if self.crash_after_send:
            raise Crash("relay died after XADD, before marking the rows published")

    @rule(n=st.integers(1, 3))
    def commit_events(self, n: int) -> None:
        for e in self.run(self.kit.emit_committed(n)):
            self.committed.add(str(e.event_id))

    @rule(crash=st.booleans())
    def relay(self, crash: bool) -> None:
        self.crash_after_send = crash
        try:
            self.run(self.kit.relay.relay_once())
        except Crash:
            pass
        finally:
            self.crash_after_send = False

    def _read(self, consumer: str) -> list[tuple[str, str, dict[bytes, bytes]]]:
        """One entry from each partition (each its own XREADGROUP: on a cluster they are
        in different slots)."""
        found = []
        for stream in self.streams:
            got = self.redis.xreadgroup(GROUP, consumer, {stream: ">"}, count=1)
            found += [(stream, i.decode(), f) for _s, entries in got for i, f in entries]
        return found

    def _handle(
        self,
        stream: str,
        entry_id: str,
        fields: dict[bytes, bytes],
        deliveries: int,
        reclaimed: bool,
        ack: bool,
    ) -> None:
        from faststream.redis.parser.binary import BinaryMessageFormatV1

        raw = fields[b"__data__"]
        body = BinaryMessageFormatV1.parse(raw)[0] if raw.startswith(b"\x89BIN") else raw
        try:
            self.run(
                self.kit.consumer.handle_entry(
                    stream, entry_id, body, {}, deliveries=deliveries, reclaimed=reclaimed
                )
            )
        except Exception:
            return  # left pending, as the subscriber would
        if ack:
            self.redis.xack(stream, GROUP, entry_id)

    @rule(ack=st.booleans())
    def consume(self, ack: bool) -> None:
        """ack=False: the consumer applied the event and died before acknowledging it."""
        for stream, entry_id, fields in self._read("reader"):
            self._handle(stream, entry_id, fields, 1, reclaimed=False, ack=ack)

    @rule()
    def crash_before_apply(self) -> None:
        self._read("reader")  # read, then the process died

    @rule()
    def reclaim(self) -> None:
        for stream in self.streams:
            _next, claimed, _deleted = self.redis.xautoclaim(stream, GROUP, "reclaimer", 0, count=5)
            for raw_id, fields in claimed:
                entry_id = raw_id.decode()
                info = self.redis.xpending_range(stream, GROUP, entry_id, entry_id, 1)
                deliveries = info[0]["times_delivered"]
                self._handle(stream, entry_id, fields, deliveries, reclaimed=True, ack=True)

    @precondition(lambda self: self.poison < 2)
    @rule()
    def publish_poison(self) -> None:
        stream = self.streams[self.poison % len(self.streams)]
        self.redis.xadd(stream, {"__data__": b"\xff not an event"})
        self.poison += 1

    def _applied(self) -> dict[str, int]:
        async def count() -> dict[str, int]:
            async with self.kit.engine.connect() as conn:
                rows = await conn.execute(
                    sa.select(ledger.c.event_id, sa.func.count()).group_by(ledger.c.event_id)
                )
                return {str(r[0]): int(r[1]) for r in rows}

        return self.run(count())

    @invariant()
    def no_effect_applied_twice(self) -> None:
        assert all(n == 1 for n in self._applied().values())

    def teardown(self) -> None:
        try:
            while self.run(self.kit.relay.relay_once()):
                pass
            for _ in range(200):  # drain: read everything new, reclaim everything pending
                self.consume(ack=True)
                self.reclaim()
                if not self._pending() and not self._read_lag():
                    break
            applied = self._applied()
            assert set(applied) == self.committed, "an acknowledged event was lost"
            letters = [
                letter
                for stream in self.streams
                for letter in self.run(list_dead_letters(self.kit.redis, stream))
            ]
            assert len(letters) == self.poison
        finally:
            self.run(self.kit.close())
            self.loop.close()

    def _pending(self) -> int:
        return sum(int(self.redis.xpending(s, GROUP)["pending"]) for s in self.streams)

    def _read_lag(self) -> int:
        return sum(
            int(g.get("lag") or 0)
            for stream in self.streams
            for g in self.redis.xinfo_groups(stream)
            if g["name"] == GROUP.encode()
        )


KitModel.TestCase.settings = settings(
    max_examples=200 if LONG else 25,
    stateful_step_count=40 if LONG else 20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _context(redis_server: str, tmp_path: Path) -> None:
    CONTEXT.update(redis=redis_server, folder=str(tmp_path), partitions=1)


def test_the_messaging_kit_never_loses_or_repeats_an_effect() -> None:
    KitModel.TestCase().runTest()


def test_the_messaging_kit_never_loses_or_repeats_an_effect_on_a_redis_cluster(
    redis_cluster_server: str,
) -> None:
    """The same model on a real 3-master cluster, the stream in 3 partitions (3 slots)."""
    CONTEXT.update(redis=redis_cluster_server, partitions=3)
    KitModel.TestCase().runTest()
