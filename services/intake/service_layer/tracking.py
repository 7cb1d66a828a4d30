"""Use cases of the reporter who follows a ticket by its tracking code."""

from __future__ import annotations

from services.intake.adapters import repository
from services.intake.adapters.tables import Case as CaseRow
from services.intake.domain.case import Case
from services.intake.domain.commands import AnswerFix
from services.intake.domain.errors import NotFound
from services.intake.domain.tracking import normalise
from services.intake.service_layer.case_repository import cases_in, settle
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import Clock, SystemClock


async def followed_case(uow: UnitOfWork, case: CaseRow) -> CaseRow:
    """The case whose progress a tracking code shows: the original when merged as a duplicate."""
    if case.duplicate_of is None:
        return case
    original = await repository.get_case(uow.session, case.duplicate_of, lock=True)
    return original or case


async def answer_fix(
    code: str, cmd: AnswerFix, uow: UnitOfWork, clock: Clock | None = None
) -> Case:
    """The reporter (or a follower, through their own code) answers "is it fixed?"."""
    cases = cases_in(uow)
    own = await cases.by_code(normalise(code))
    if own is None:
        raise NotFound(code)
    case = own
    if own.duplicate_of is not None:
        case = await cases.get(own.duplicate_of) or own
    reporter = next((p for p in await cases.parties_of(own.id) if p.role == "reporter"), None)
    actor = Actor(role="reporter", id=reporter.party_id if reporter else "anonymous")
    # The status stays with dispatch's lifecycle; the answer lands on the timeline now.
    case.answer_fix(cmd.fixed, cmd.note, actor)
    await settle(uow, cases, case, (clock or SystemClock()).now())
    return case
