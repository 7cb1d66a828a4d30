"""The messaging kit against a real Redis and real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import orjson
import pytest
import sqlalchemy as sa

from shared.contracts.envelope import Envelope
from shared.messaging.dead_letters import list_dead_letters
from shared.messaging.uow import UnitOfWork
from tests.integration.kit_harness import KIT, KitService, filed_event, ledger
from tests.polling import eventually_async

pytestmark = pytest.mark.integration


@pytest.fixture
async def kit(database_url: str, redis_url: str):
    service = KitService(database_url, redis_url)
    await service.create_schema()
    yield service
    await service.close()


async def _outbox_rows(kit: KitService) -> list[sa.Row]:
    async with kit.engine.connect() as conn:
        return list((await conn.execute(sa.select(KIT.outbox).order_by(KIT.outbox.c.seq))).all())


async def test_a_state_change_and_its_event_commit_together(kit: KitService):
    event = filed_event()
    async with kit.uow() as uow:
        await uow.session.execute(sa.insert(ledger).values(event_id=event.event_id, note="a"))
        uow.emit(event)
        await uow.commit()
    assert await kit.ledger_count(event.event_id) == 1
    assert [r.event_id for r in await _outbox_rows(kit)] == [event.event_id]


async def test_nothing_is_half_stored_when_the_transaction_fails(kit: KitService):
    event = filed_event()
    with pytest.raises(RuntimeError):
        async with kit.uow() as uow:
            await uow.session.execute(sa.insert(ledger).values(event_id=event.event_id, note="a"))
            uow.emit(event)
            raise RuntimeError("crash before commit")
    assert await kit.ledger_count() == 0
    assert await _outbox_rows(kit) == []


async def test_after_commit_callbacks_run_once_after_the_commit_and_never_after_a_rollback(
    kit: KitService,
):
    rung: list[str] = []
    event = filed_event()
    with pytest.raises(RuntimeError):
        async with kit.uow() as uow:
            await uow.session.execute(sa.insert(ledger).values(event_id=event.event_id, note="a"))
            uow.after_commit(lambda: rung.append("rolled back"))
            raise RuntimeError("crash before commit")
    assert rung == []

    async with kit.uow() as uow:

        def ring() -> None:
            rung.append("committed")

        await uow.session.execute(sa.insert(ledger).values(event_id=event.event_id, note="a"))
        uow.after_commit(ring)
        uow.after_commit(ring)  # asked twice in one transaction: called once
        assert rung == []  # not before the commit
        await uow.commit()
        assert rung == ["committed"]
        await uow.commit()  # a later commit of the same unit does not call it again
    assert rung == ["committed"]
    assert await kit.ledger_count(event.event_id) == 1


async def test_the_relay_publishes_committed_events_in_commit_order(kit: KitService):
    await kit.broker.connect()
    events = [e for _ in range(4) for e in await kit.emit_committed(5)]
    assert await kit.relay.relay_once() == 20
    entries = await kit.redis.xrange("waystation.intake")
    from faststream.redis.parser.binary import BinaryMessageFormatV1

    ids = [
        orjson.loads(BinaryMessageFormatV1.parse(f[b"__data__"])[0])["event_id"]
        for _id, f in entries
    ]
    assert ids == [str(e.event_id) for e in events]
    assert all(r.published_at is not None for r in await _outbox_rows(kit))
    assert await kit.relay.relay_once() == 0


async def test_the_relay_catches_up_after_a_crash_before_publishing(kit: KitService):
    await kit.emit_committed(3)  # committed, but the relay "died" before publishing
    assert await kit.redis.exists("waystation.intake") == 0
    await kit.broker.connect()
    assert await kit.relay.relay_once() == 3
    assert await kit.redis.xlen("waystation.intake") == 3


async def test_a_redelivered_event_changes_nothing(kit: KitService):
    event = filed_event()
    assert await kit.consumer.apply(event) is True
    assert await kit.consumer.apply(event) is False
    assert await kit.ledger_count(event.event_id) == 1


async def test_events_published_before_the_consumer_started_are_not_lost(kit: KitService):
    await kit.broker.connect()
    from shared.contracts.streams import all_group_pairs
    from shared.messaging.groups import ensure_groups

    await ensure_groups(kit.redis, all_group_pairs())
    events = await kit.emit_committed(3)
    await kit.relay.relay_once()
    await kit.start_consuming()

    async def all_applied() -> bool:
        return await kit.ledger_count() == 3

    await eventually_async(all_applied)
    for e in events:
        assert await kit.ledger_count(e.event_id) == 1


async def test_the_group_starts_at_the_beginning_even_if_the_stream_already_exists(
    kit: KitService,
):
    await kit.broker.connect()
    await kit.emit_committed(2)
    await kit.relay.relay_once()  # stream exists, no group yet
    await kit.start_consuming()  # ensure_groups creates the group at 0, not at $

    async def both() -> bool:
        return await kit.ledger_count() == 2

    await eventually_async(both)


async def test_an_entry_left_pending_by_a_crashed_consumer_is_reclaimed(
    database_url: str, redis_url: str
):
    kit = KitService(database_url, redis_url, reclaim_idle_ms=200)
    await kit.create_schema()
    try:
        from shared.contracts.streams import all_group_pairs
        from shared.messaging.groups import ensure_groups

        await ensure_groups(kit.redis, all_group_pairs())
        await kit.broker.connect()
        event = (await kit.emit_committed(1))[0]
        await kit.relay.relay_once()
        # a consumer reads the entry and dies before acknowledging it
        await kit.redis.xreadgroup("mediation", "dead-consumer", {"waystation.intake": ">"})
        await kit.start_consuming()

        async def applied_and_acked() -> bool:
            pending = await kit.redis.xpending("waystation.intake", "mediation")
            return await kit.ledger_count(event.event_id) == 1 and pending["pending"] == 0

        await eventually_async(applied_and_acked)
    finally:
        await kit.close()


async def test_a_malformed_event_is_dead_lettered_and_the_rest_flow(kit: KitService):
    await kit.start_consuming()
    await kit.broker.publish(b"{not json", stream="waystation.intake")
    await kit.broker.publish({"event_id": "nope"}, stream="waystation.intake")
    good = (await kit.emit_committed(1))[0]
    await kit.relay.relay_once()

    async def settled() -> bool:
        return (
            await kit.ledger_count(good.event_id) == 1
            and len(await list_dead_letters(kit.redis, "waystation.intake")) == 2
        )

    await eventually_async(settled)
    letters = await list_dead_letters(kit.redis, "waystation.intake")
    assert all(dl.group == "mediation" and dl.error.startswith("permanent") for dl in letters)
    assert letters[0].body == b"{not json"
    pending = await kit.redis.xpending("waystation.intake", "mediation")
    assert pending["pending"] == 0


async def test_an_event_that_keeps_failing_is_dead_lettered_after_n_deliveries(
    database_url: str, redis_url: str
):
    attempts: list[str] = []

    async def always_fails(envelope: Envelope, uow: UnitOfWork) -> None:
        attempts.append(str(envelope.event_id))
        raise RuntimeError("downstream is broken")

    kit = KitService(
        database_url, redis_url, reclaim_idle_ms=100, max_deliveries=3, handler=always_fails
    )
    await kit.create_schema()
    try:
        await kit.start_consuming()
        await kit.emit_committed(1)
        await kit.relay.relay_once()

        async def dead_lettered() -> bool:
            return len(await list_dead_letters(kit.redis, "waystation.intake")) == 1

        await eventually_async(dead_lettered, timeout=15)
        letter = (await list_dead_letters(kit.redis, "waystation.intake"))[0]
        assert letter.deliveries == 3
        assert "downstream is broken" in letter.error
        # first delivery: the batch, then the event alone; then one try per reclaim
        assert len(attempts) == 4

        async def acked() -> bool:
            return (await kit.redis.xpending("waystation.intake", "mediation"))["pending"] == 0

        await eventually_async(acked)
    finally:
        await kit.close()


async def test_one_statement_reserves_each_cases_numbers_after_what_it_already_had(
    kit: KitService,
):
    import uuid

    from shared.messaging.sequence import reserve_many

    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with kit.uow() as uow:
        table = uow.tables.case_sequence
        assert await reserve_many(uow.session, table, {a: 3, b: 1}) == {a: 1, b: 1}
        assert await reserve_many(uow.session, table, {}) == {}
        await uow.commit()
    async with kit.uow() as uow:
        table = uow.tables.case_sequence
        assert await reserve_many(uow.session, table, {c: 2, a: 2, b: 1}) == {a: 4, b: 2, c: 1}
        await uow.commit()
    async with kit.engine.connect() as conn:
        rows = await conn.execute(
            sa.select(KIT.case_sequence.c.case_id, KIT.case_sequence.c.last_seq)
        )
        assert {r.case_id: r.last_seq for r in rows} == {a: 5, b: 2, c: 2}


async def test_a_batch_is_prepared_once_with_the_events_it_will_handle(
    database_url: str, redis_url: str
):
    prepared: list[list[str]] = []

    async def prepare(envelopes, uow) -> None:  # type: ignore[no-untyped-def]
        assert uow.session.in_transaction()
        prepared.append(sorted(str(e.event_id) for e in envelopes))

    kit = KitService(database_url, redis_url, prepare=prepare)
    await kit.create_schema()
    try:
        events = [filed_event() for _ in range(5)]
        assert await kit.consumer.apply(events[0])  # applied before: not prepared again
        entries = [(f"1-{i}", e.model_dump_json().encode(), {}) for i, e in enumerate(events)]
        acks = await kit.consumer.apply_entries("waystation.intake", entries)
        assert len(acks) == 5
        assert prepared == [sorted(str(e.event_id) for e in events[1:])]
        assert kit.consumer.batch_fallbacks_total == 0
        assert await kit.ledger_count() == 5
    finally:
        await kit.close()


async def test_a_failing_preparation_leaves_the_events_to_the_one_by_one_path(
    database_url: str, redis_url: str
):
    async def prepare(envelopes, uow) -> None:  # type: ignore[no-untyped-def]
        raise RuntimeError("the rows could not be read")

    kit = KitService(database_url, redis_url, prepare=prepare)
    await kit.create_schema()
    try:
        events = [filed_event() for _ in range(3)]
        entries = [(f"1-{i}", e.model_dump_json().encode(), {}) for i, e in enumerate(events)]
        assert len(await kit.consumer.apply_entries("waystation.intake", entries)) == 3
        assert kit.consumer.batch_fallbacks_total == 1
        assert await kit.ledger_count() == 3
    finally:
        await kit.close()


async def test_a_transaction_memo_lasts_as_long_as_its_transaction(kit: KitService):
    from shared.platform.db import transaction_memo

    async with kit.uow() as uow:
        assert transaction_memo(uow.session, "k") == {}  # no transaction yet: nothing kept
        await uow.session.execute(sa.select(1))
        transaction_memo(uow.session, "k")["a"] = 1
        assert transaction_memo(uow.session, "k") == {"a": 1}
        assert transaction_memo(uow.session, "other") == {}
        await uow.commit()
        await uow.session.execute(sa.select(1))  # the next transaction starts empty
        assert transaction_memo(uow.session, "k") == {}


async def test_an_event_that_must_wait_leaves_the_batch_with_its_cases_later_events(
    database_url: str, redis_url: str
):
    """Prepare names one event that cannot be applied yet: the rest of the batch commits, and
    that event and the later events of its case follow one by one, in their order."""
    import uuid

    order: list[str] = []
    case_a, case_b = uuid.uuid4(), uuid.uuid4()
    a1, a2, a3 = (filed_event(case_a).model_copy(update={"sequence": n}) for n in (1, 2, 3))
    b1 = filed_event(case_b).model_copy(update={"sequence": 1})
    names = {a1.event_id: "a1", a2.event_id: "a2", a3.event_id: "a3", b1.event_id: "b1"}

    async def prepare(envelopes, uow):  # type: ignore[no-untyped-def]
        return {a2.event_id}

    async def record(envelope, uow) -> None:  # type: ignore[no-untyped-def]
        order.append(names[envelope.event_id])
        await kit.record(envelope, uow)

    kit = KitService(database_url, redis_url, handler=record, prepare=prepare)
    await kit.create_schema()
    try:
        batch = [a1, a2, b1, a3]
        entries = [(f"1-{i}", e.model_dump_json().encode(), {}) for i, e in enumerate(batch)]
        acks = await kit.consumer.apply_entries("waystation.intake", entries)
        assert sorted(acks) == sorted(i for i, _b, _h in entries)
        assert order == ["a1", "b1", "a2", "a3"]
        assert kit.consumer.batch_fallbacks_total == 0
        assert await kit.ledger_count() == 4
    finally:
        await kit.close()


async def test_a_redelivered_sequenced_event_is_known_by_its_position(kit: KitService):
    """Its case's applied position moved with its processed record: no processed look-up."""
    event = filed_event().model_copy(update={"sequence": 1})
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(kit.engine.sync_engine, "before_cursor_execute", note)
    try:
        assert await kit.consumer.apply(event) is True
        assert await kit.consumer.apply(event) is False  # redelivered alone
        entry = ("1-0", event.model_dump_json().encode(), {})
        later = filed_event(event.case_id).model_copy(update={"sequence": 2})
        entries = [entry, ("1-1", later.model_dump_json().encode(), {})]
        assert await kit.consumer.apply_entries("waystation.intake", entries) == ["1-0", "1-1"]
    finally:
        sa.event.remove(kit.engine.sync_engine, "before_cursor_execute", note)
    assert await kit.ledger_count(event.event_id) == 1
    assert await kit.ledger_count(later.event_id) == 1
    assert kit.consumer.batch_fallbacks_total == 0
    looked_up = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert looked_up and not [s for s in looked_up if "processed_event" in s]
    unsequenced = filed_event()  # no number: still looked up among the processed ones
    assert await kit.consumer.apply(unsequenced) is True
    assert await kit.consumer.apply(unsequenced) is False
    assert await kit.ledger_count(unsequenced.event_id) == 1


async def test_an_applied_position_never_moves_back(kit: KitService):
    """A replica's stale batch (of events it does not handle) cannot undo a later position."""
    import uuid

    from shared.messaging.sequence import advance_many, positions

    key = ("intake", uuid.uuid4())
    for seq in (3, 2, 4, 1):
        async with kit.uow() as uow:
            await advance_many(uow.session, KIT.applied_sequence, {key: seq})
            await uow.commit()
    async with kit.uow() as uow:
        assert await positions(uow.session, KIT.applied_sequence, {key}) == {key: 4}


async def test_a_batch_prepares_none_of_the_sequenced_events_already_applied(
    database_url: str, redis_url: str
):
    import uuid

    prepared: list[list[int]] = []

    async def prepare(envelopes, uow) -> None:  # type: ignore[no-untyped-def]
        prepared.append([e.sequence for e in envelopes])

    kit = KitService(database_url, redis_url, prepare=prepare)
    await kit.create_schema()
    try:
        case = uuid.uuid4()
        events = [filed_event(case).model_copy(update={"sequence": n}) for n in (1, 2, 3)]
        assert await kit.consumer.apply(events[0])
        entries = [(f"1-{i}", e.model_dump_json().encode(), {}) for i, e in enumerate(events)]
        assert len(await kit.consumer.apply_entries("waystation.intake", entries)) == 3
        assert prepared == [[2, 3]]  # the first was applied alone (no prepare)
        assert await kit.ledger_count() == 3
    finally:
        await kit.close()


async def test_a_failed_send_leaves_the_rows_to_the_next_pass(kit: KitService):
    await kit.broker.connect()
    events = await kit.emit_committed(3)
    sent = kit.relay._publish

    async def fails(_events) -> None:  # type: ignore[no-untyped-def]
        raise ConnectionError("Redis went away mid-send")

    kit.relay._publish = fails  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        await kit.relay.relay_once()
    assert all(r.published_at is None for r in await _outbox_rows(kit))
    kit.relay._publish = sent  # type: ignore[method-assign]
    assert await kit.relay.relay_once() == 3
    assert await kit.relay.relay_once() == 0
    entries = await kit.redis.xrange("waystation.intake")
    from faststream.redis.parser.binary import BinaryMessageFormatV1

    ids = [
        orjson.loads(BinaryMessageFormatV1.parse(f[b"__data__"])[0])["event_id"]
        for _id, f in entries
    ]
    assert ids == [str(e.event_id) for e in events]


async def test_one_relay_publishes_a_database_at_a_time(new_pg_database, redis_url: str):  # type: ignore[no-untyped-def]
    """PostgreSQL: a relay whose lock another replica's relay holds publishes nothing."""
    import zlib

    kit = KitService(new_pg_database(), redis_url)
    await kit.create_schema()
    try:
        await kit.broker.connect()
        await kit.emit_committed(3)
        key = zlib.crc32(b"waystation.relay.intake")
        async with kit.engine.connect() as other, other.begin():
            await other.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))
            assert await kit.relay.relay_once() == 0
            assert await kit.redis.exists("waystation.intake") == 0
            assert all(r.published_at is None for r in await _outbox_rows(kit))
        assert await kit.relay.relay_once() == 3
        assert await kit.redis.xlen("waystation.intake") == 3
    finally:
        await kit.close()
