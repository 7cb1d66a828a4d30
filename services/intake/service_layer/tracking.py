"""Use cases of the reporter who follows a ticket by its tracking code."""

from __future__ import annotations

from services.intake.adapters import repository
from services.intake.adapters.tables import Case
from services.intake.domain.commands import AnswerFix
from services.intake.domain.errors import Conflict, NotFound
from services.intake.domain.tracking import normalise
from services.intake.service_layer.projection import apply_event
from shared.clock import Clock, SystemClock
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.intake import ReporterConfirmedFixed, ReporterReportedNotFixed
from shared.messaging.uow import UnitOfWork

PRODUCER = "intake"


async def followed_case(uow: UnitOfWork, case: Case) -> Case:
    """The case whose progress a tracking code shows: the original when merged as a duplicate."""
    if case.duplicate_of is None:
        return case
    original = await repository.get_case(uow.session, case.duplicate_of, lock=True)
    return original or case


async def answer_fix(
    code: str, cmd: AnswerFix, uow: UnitOfWork, clock: Clock | None = None
) -> Case:
    """The reporter (or a follower, through their own code) answers "is it fixed?"."""
    own = await repository.case_by_code(uow.session, normalise(code))
    if own is None:
        raise NotFound(code)
    case = await followed_case(uow, own)
    if case.kind != "hazard" or case.status != "resolved":
        raise Conflict(f"the ticket is {case.status}; only a resolved hazard can be confirmed")
    reporter = next(
        (p for p in await repository.parties_of(uow.session, own.id) if p.role == "reporter"),
        None,
    )
    actor = Actor(role="reporter", id=reporter.party_id if reporter else "anonymous")
    at = (clock or SystemClock()).now()
    event = (
        new_event(
            "reporter.confirmed_fixed",
            ReporterConfirmedFixed(note=cmd.note),
            case_id=case.id,
            actor=actor,
            producer=PRODUCER,
            occurred_at=at,
        )
        if cmd.fixed
        else new_event(
            "reporter.reported_not_fixed",
            ReporterReportedNotFixed(note=cmd.note),
            case_id=case.id,
            actor=actor,
            producer=PRODUCER,
            occurred_at=at,
        )
    )
    # The status stays with dispatch's lifecycle; the answer lands on the timeline now.
    apply_event(case, event, uow.session)
    uow.emit(event)
    return case
