"""An officer's corrections: re-categorise or move a ticket, or split a wrong merge."""

from __future__ import annotations

import uuid

from services.intake.domain.case import Case, Move
from services.intake.domain.commands import CorrectCase, SplitCase
from services.intake.domain.errors import NotFound
from services.intake.domain.repository import CaseRepository
from services.intake.service_layer.case_repository import cases_in, settle
from services.intake.service_layer.context import Context
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork


class _Places:
    """The service area as the context knows it, for a hazard moved by an officer."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def locate(self, lat: float, lng: float) -> str:
        return self._ctx.place(lat, lng).code

    def name_of(self, code: str | None) -> str:
        return next((j.name_zh for j in self._ctx.jurisdictions.all() if j.code == code), "")


async def _case(cases: CaseRepository, case_id: uuid.UUID) -> Case:
    case = await cases.get(case_id)
    if case is None:
        raise NotFound(str(case_id))
    return case


async def correct_case(
    case_id: uuid.UUID, cmd: CorrectCase, uow: UnitOfWork, actor: Actor, ctx: Context
) -> Case:
    """Change category and/or location, triage again and record it on the timeline."""
    cases = cases_in(uow)
    case = await _case(cases, case_id)
    if case.kind == "dispute":
        moved = cmd.latitude is not None
        case.correct_dispute(cmd.category, moved=moved, reason=cmd.reason, actor=actor)
    else:
        move = (
            Move(cmd.latitude, cmd.longitude, cmd.address)
            if cmd.latitude is not None and cmd.longitude is not None
            else None
        )
        case.correct_hazard(cmd.category, move, _Places(ctx), reason=cmd.reason, actor=actor)
    await settle(uow, cases, case, ctx.now())
    return case


async def split_case(
    case_id: uuid.UUID, cmd: SplitCase, uow: UnitOfWork, actor: Actor, ctx: Context
) -> Case:
    """Undo a wrong merge: the case is handled on its own; its reporter stops following."""
    cases = cases_in(uow)
    case = await _case(cases, case_id)
    reporter = next((p for p in await cases.parties_of(case.id) if p.role == "reporter"), None)
    follower_id = reporter.party_id if reporter else ""
    now = ctx.now()
    original_id = case.unmerge(cmd.reason, follower_id, actor, now)
    await cases.drop_follower(original_id, follower_id)
    await settle(uow, cases, case, now)
    return case
