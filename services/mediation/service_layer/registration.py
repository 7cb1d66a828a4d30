"""A filed dispute reaches mediation: register it, review, accept and assign a mediator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import col, select

from services.mediation.adapters.tables import Dispute
from services.mediation.domain.lifecycle import TERMINAL
from services.mediation.domain.roster import Roster, choose_mediator
from services.mediation.service_layer.steps import announce, step
from shared.contracts.envelope import SYSTEM, Envelope
from shared.contracts.events.intake import CaseFiled
from shared.contracts.events.mediation import DisputeRegistered, MediatorAssigned
from shared.messaging.errors import PermanentError
from shared.messaging.uow import UnitOfWork

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def open_caseload(uow: UnitOfWork) -> dict[str, int]:
    closed = [s.value for s in TERMINAL]
    stmt = (
        select(Dispute.mediator_id, sa.func.count())
        .where(col(Dispute.mediator_id).is_not(None), col(Dispute.state).not_in(closed))
        .group_by(col(Dispute.mediator_id))
    )
    return {mid: n for mid, n in (await uow.session.exec(stmt)).all() if mid}


async def register_dispute(
    envelope: Envelope, uow: UnitOfWork, roster: Roster, now: Callable[[], datetime]
) -> None:
    """Handler of `case.filed` for disputes; hazards are not mediation's business."""
    if envelope.payload.get("kind") != "dispute":
        return
    try:
        filed = CaseFiled.model_validate(envelope.payload)
    except ValueError as exc:
        raise PermanentError(f"case.filed payload: {exc}") from exc
    assert filed.dispute is not None
    complainant = next(p for p in filed.parties if p.role == "complainant")
    respondents = [p.model_dump(mode="json") for p in filed.parties if p.role == "respondent"]
    dispute = Dispute(
        case_id=envelope.case_id,
        tracking_code=filed.tracking_code,
        state="registered",
        dispute_type=filed.dispute.dispute_type,
        platform_worker=filed.dispute.platform_worker,
        title=filed.title,
        complainant_id=complainant.party_id,
        respondents=respondents,
        application_received_at=envelope.occurred_at,
    )
    uow.session.add(dispute)
    at = now()
    announce(
        uow,
        dispute,
        "dispute.registered",
        DisputeRegistered(state="registered", dispute_type=dispute.dispute_type),
        SYSTEM,
        envelope,
    )
    step(uow, dispute, "review", SYSTEM, now=at)
    step(uow, dispute, "accept", SYSTEM, now=at, note="accepted on registration")
    await assign(uow, dispute, roster, at, envelope)


async def assign(
    uow: UnitOfWork,
    dispute: Dispute,
    roster: Roster,
    at: datetime,
    cause: Envelope | None = None,
    exclude: tuple[str, ...] = (),
) -> None:
    orgs = [r["party_id"].removeprefix("org-") for r in dispute.respondents]
    mediator = choose_mediator(
        roster,
        at.astimezone(SHANGHAI).date(),
        orgs,
        await open_caseload(uow),
        skill=dispute.dispute_type,
        exclude=exclude,
    )
    step(uow, dispute, "assign", SYSTEM, now=at, note=mediator.mediator_id)
    dispute.mediator_id = mediator.mediator_id
    dispute.mediator_name = mediator.name
    dispute.duty_body = mediator.body_id
    body = roster.body(mediator.body_id)
    announce(
        uow,
        dispute,
        "mediator.assigned",
        MediatorAssigned(
            state=dispute.state,
            mediator_id=mediator.mediator_id,
            mediator_name=mediator.name,
            duty_body=body.name,
        ),
        SYSTEM,
        cause,
    )
