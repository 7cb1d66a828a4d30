"""What mediation's routes read, as plain data: the routes never touch a table or a row.

Each view takes the session (or unit of work) the route opened and returns dicts and lists,
so the HTTP layer shapes answers without knowing the ORM.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.tables import Dispute, DisputeClock, DisputeHistory
from services.mediation.domain.calendar import WorkCalendar
from services.mediation.domain.lifecycle import State, allowed_actions
from services.mediation.service_layer import committee, consultations, groups, patterns, sessions
from services.mediation.service_layer.clocks import explained
from services.mediation.service_layer.grants import is_granted
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork


def may_read(dispute: Dispute, actor: Actor) -> bool:
    """Committee, admins and the desk (it answers "where is my dispute?"); the assigned
    mediator (others only with the committee's grant, see `may_see_dispute`); the complainant;
    a named respondent."""
    if actor.role in ("committee", "admin", "intake_officer"):
        return True
    if actor.role == "mediator":
        return actor.id == dispute.mediator_id
    if actor.role == "complainant":
        return actor.id == dispute.complainant_id
    if actor.role == "respondent":
        return actor.id in {str(r["party_id"]) for r in dispute.respondents}
    return False


async def may_see_dispute(session: AsyncSession, case_id: uuid.UUID, actor: Actor) -> bool | None:
    """Whether the caller may read this dispute; None when there is no such dispute.

    A mediator not assigned to it reads it with the committee's grant."""
    dispute = await session.get(Dispute, case_id)
    granted = actor.role == "mediator" and await is_granted(session, case_id, actor.id)
    if dispute is None:
        return None
    return may_read(dispute, actor) or granted


async def dispute_detail(
    uow: UnitOfWork, case_id: uuid.UUID, actor: Actor, calendar: WorkCalendar
) -> dict[str, Any] | None:
    """One dispute with its state history, its clocks (explained with `calendar`), its
    sessions, a group's members with their agreement lines, and what `actor` may do now;
    None when there is no such dispute."""
    dispute = await uow.session.get(Dispute, case_id)
    if dispute is None:
        return None
    history = (
        await uow.session.exec(
            select(DisputeHistory)
            .where(DisputeHistory.case_id == case_id)
            .order_by(col(DisputeHistory.position))
        )
    ).all()
    clocks = (
        await uow.session.exec(select(DisputeClock).where(DisputeClock.case_id == case_id))
    ).all()
    meetings = await sessions.sessions_of(uow, case_id)
    lines = {str(x["case_id"]): x for x in (dispute.agreement or {}).get("schedule", [])}
    group = await groups.members(uow, case_id) if dispute.group_size else []
    return {
        **dispute.model_dump(),
        "history": [h.model_dump() for h in history],
        "clocks": [
            {
                **c.model_dump(),
                **explained(
                    c.clock,
                    c.started_on,
                    c.due_on,
                    calendar,
                    extended_days=dispute.mediation_extended_days,
                    agreed_on=dispute.performance_deadline,
                ),
            }
            for c in clocks
        ],
        "sessions": [s.model_dump() for s in meetings],
        "members": [
            {
                "case_id": m.case_id,
                "tracking_code": m.tracking_code,
                "complainant_id": m.complainant_id,
                "complainant_name": m.complainant_name,
                "claim_amount_yuan": m.claim_amount_yuan,
                "outcome": m.outcome,
                "amount_yuan": lines.get(str(m.case_id), {}).get("amount_yuan"),
                "due_on": lines.get(str(m.case_id), {}).get("due_on"),
            }
            for m in group
        ],
        "allowed_actions": allowed_actions(
            State(dispute.state),
            actor.role,
            own=actor.id == dispute.mediator_id,
            platform_worker=dispute.platform_worker,
            extended=dispute.mediation_extended_days > 0,
        ),
    }


async def dispute_list(
    session: AsyncSession, filters: dict[str, Any], limit: int, offset: int
) -> list[dict[str, Any]]:
    """A queue's page of disputes (see `committee.list_disputes`), each as its fields."""
    return [d.model_dump() for d in await committee.list_disputes(session, filters, limit, offset)]


async def alerts(uow: UnitOfWork, status: str | None) -> list[dict[str, Any]]:
    """Pattern alerts, each with its disputes' tracking codes beside their case ids and the
    id of the consultation opened from it, if any."""
    records = await patterns.list_alerts(uow, status)
    codes = await patterns.tracking_codes(uow, records)
    listed = [
        a.model_dump() | {"tracking_codes": [codes.get(str(c), "") for c in a.case_ids]}
        for a in records
    ]
    opened = await consultations.list_consultations(
        uow.session, alert_ids=[a["id"] for a in listed]
    )
    by_alert = {c["alert_id"]: c["id"] for c in opened}
    return [{**a, "consultation_id": by_alert.get(str(a["id"]))} for a in listed]
