"""Duplicates: a hazard merged into an open one is not routed; its reporter follows the original."""

from __future__ import annotations

import uuid

from services.dispatch.domain.hazard import Hazard
from services.dispatch.service_layer.clocks import stop_all
from services.dispatch.service_layer.context import Context
from services.dispatch.service_layer.repository import hazards_in
from services.dispatch.service_layer.steps import find, settle
from shared.contracts.envelope import Envelope
from shared.contracts.events.intake import CaseMerged
from shared.contracts.reading import read_payload
from shared.messaging.errors import PermanentError
from shared.messaging.uow import UnitOfWork


async def unfollow(uow: UnitOfWork, case_id: uuid.UUID, party_id: str) -> None:
    await hazards_in(uow).unfollow(case_id, party_id)


async def followers_of(uow: UnitOfWork, case_id: uuid.UUID) -> list[str]:
    return await hazards_in(uow).followers_of(case_id)


async def register_duplicate(
    uow: UnitOfWork, hazard: Hazard, original: uuid.UUID, ctx: Context
) -> None:
    """Mark `hazard` a duplicate of `original` (no routing, no timers, no points)."""
    now = ctx.clock.now()
    hazard.mark_duplicate(original, now)
    await stop_all(uow, hazard, now)
    # Idempotent: the merge may be learnt from case.filed and from case.merged.
    await hazards_in(uow).follow(original, hazard.reporter_id, hazard.case_id)


async def on_case_merged(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> None:
    """On the original: remember the follower; a duplicate already routed stops being worked."""
    try:
        merged = read_payload(envelope, CaseMerged)
    except ValueError as exc:
        raise PermanentError(f"case.merged payload: {exc}") from exc
    await hazards_in(uow).follow(
        envelope.case_id, merged.follower.party_id, merged.duplicate_case_id
    )
    duplicate = await find(uow, merged.duplicate_case_id)
    if duplicate is not None and duplicate.is_open:
        await register_duplicate(uow, duplicate, envelope.case_id, ctx)
        await settle(uow, duplicate, envelope)
