"""Duplicates: a hazard merged into an open one is not routed; its reporter follows the original."""

from __future__ import annotations

import uuid

from sqlmodel import col, delete, select

from services.dispatch.adapters.tables import Follower, Hazard
from services.dispatch.domain.lifecycle import OPEN, State
from services.dispatch.service_layer.clocks import stop_all
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.steps import announce, find, step
from shared.contracts.envelope import SYSTEM, Envelope
from shared.contracts.events.dispatch import HazardMarkedDuplicate
from shared.contracts.events.intake import CaseMerged
from shared.contracts.reading import read_payload
from shared.messaging.errors import PermanentError
from shared.messaging.uow import UnitOfWork


async def follow(
    uow: UnitOfWork, case_id: uuid.UUID, party_id: str, duplicate_case_id: uuid.UUID | None
) -> None:
    """Idempotent: the merge may be learnt from case.filed and from case.merged."""
    exists = await uow.session.exec(
        select(Follower.id).where(Follower.case_id == case_id, Follower.party_id == party_id)
    )
    if exists.first() is None:
        uow.session.add(
            Follower(case_id=case_id, party_id=party_id, duplicate_case_id=duplicate_case_id)
        )


async def unfollow(uow: UnitOfWork, case_id: uuid.UUID, party_id: str) -> None:
    await uow.session.exec(
        delete(Follower).where(col(Follower.case_id) == case_id, col(Follower.party_id) == party_id)
    )


async def followers_of(uow: UnitOfWork, case_id: uuid.UUID) -> list[str]:
    rows = await uow.session.exec(
        select(Follower.party_id).where(Follower.case_id == case_id).order_by(col(Follower.since))
    )
    return list(rows.all())


async def register_duplicate(
    uow: UnitOfWork, hazard: Hazard, original: uuid.UUID, ctx: Context, cause: Envelope
) -> None:
    """Mark `hazard` a duplicate of `original` (no routing, no timers, no points)."""
    now = ctx.clock.now()
    step(uow, hazard, "mark_duplicate", SYSTEM, now, note=f"duplicate of {original}")
    hazard.original_case_id = original
    await stop_all(uow, hazard, now)
    await follow(uow, original, hazard.reporter_id, hazard.case_id)
    announce(
        uow,
        hazard,
        "hazard.marked_duplicate",
        HazardMarkedDuplicate(state=hazard.state, original_case_id=original),
        SYSTEM,
        cause,
    )


async def on_case_merged(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> None:
    """On the original: remember the follower; a duplicate already routed stops being worked."""
    try:
        merged = read_payload(envelope, CaseMerged)
    except ValueError as exc:
        raise PermanentError(f"case.merged payload: {exc}") from exc
    await follow(uow, envelope.case_id, merged.follower.party_id, merged.duplicate_case_id)
    duplicate = await find(uow, merged.duplicate_case_id)
    if duplicate is not None and State(duplicate.state) in OPEN:
        await register_duplicate(uow, duplicate, envelope.case_id, ctx, envelope)
