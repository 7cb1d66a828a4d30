"""Pattern alerts: "mediate one case, set the rule for a whole area" (调解一案、规范一片).

When one company collects `threshold` disputes of one type within `window_days`, one alert is
raised and shown to the committee. It stays open until the committee closes it; only disputes
filed after the last alert count towards the next one. Each (company, type) pair numbers its
alerts (`seq`) under a unique constraint, so two replicas racing on the N-th dispute cannot
both raise it: the loser's transaction fails and its redelivered event finds the alert.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import col, select

from services.mediation.adapters.tables import Dispute, DisputeCompany, PatternAlertRecord
from services.mediation.domain.errors import AgainstTheRules, NotFound
from services.mediation.domain.rollup import companies
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.steps import emit_case_event
from shared.contracts.envelope import SYSTEM, Actor, Envelope
from shared.contracts.events.mediation import PatternAlert
from shared.messaging.uow import UnitOfWork


def index_companies(uow: UnitOfWork, dispute: Dispute) -> None:
    """One row per respondent company of the dispute: a pattern counts every respondent."""
    for key, name in companies(dispute.model_dump()).items():
        uow.session.add(
            DisputeCompany(
                case_id=dispute.case_id,
                company_key=key,
                company=name,
                dispute_type=dispute.dispute_type,
                created_at=dispute.created_at,
            )
        )


async def check_patterns(
    uow: UnitOfWork, dispute: Dispute, ctx: Context, cause: Envelope | None = None
) -> list[PatternAlertRecord]:
    """Each respondent company of the dispute may reach its pattern: the second one too."""
    raised = []
    for key, name in companies(dispute.model_dump()).items():
        alert = await check_pattern(uow, dispute, ctx, cause, key=key, name=name)
        if alert is not None:
            raised.append(alert)
    return raised


async def check_pattern(
    uow: UnitOfWork,
    dispute: Dispute,
    ctx: Context,
    cause: Envelope | None = None,
    *,
    key: str | None = None,
    name: str | None = None,
) -> PatternAlertRecord | None:
    """Raise the pair's next alert when the window holds enough disputes since the last one."""
    key = key or dispute.company_key
    name = name or dispute.company
    await uow.session.flush()
    last = (
        await uow.session.exec(
            select(PatternAlertRecord)
            .where(
                PatternAlertRecord.company_key == key,
                PatternAlertRecord.dispute_type == dispute.dispute_type,
            )
            .order_by(col(PatternAlertRecord.seq).desc())
            .limit(1)
        )
    ).first()
    if last is not None and last.status == "open":
        return None
    since = dispute.created_at - timedelta(days=ctx.policy.pattern_window_days)
    if last is not None:
        since = max(since, last.raised_at)
    stmt = (
        select(DisputeCompany.case_id)
        .where(
            DisputeCompany.company_key == key,
            DisputeCompany.dispute_type == dispute.dispute_type,
            col(DisputeCompany.created_at) > since,
            col(DisputeCompany.created_at) <= dispute.created_at,
        )
        .limit(1000)
    )
    case_ids = [str(c) for c in (await uow.session.exec(stmt)).all()]
    if len(case_ids) < ctx.policy.pattern_threshold:
        return None
    alert = PatternAlertRecord(
        company_key=key,
        company=name,
        dispute_type=dispute.dispute_type,
        seq=(last.seq + 1) if last else 1,
        count=len(case_ids),
        window_days=ctx.policy.pattern_window_days,
        case_ids=case_ids,
        raised_at=ctx.now(),
    )
    uow.session.add(alert)
    org = key.removeprefix("org:") if key.startswith("org:") else None
    emit_case_event(
        uow,
        dispute.case_id,
        "pattern.alert",
        PatternAlert(
            company=name,
            org_code=org,
            dispute_type=dispute.dispute_type,
            count=len(case_ids),
            window_days=ctx.policy.pattern_window_days,
            case_ids=case_ids,
        ),
        SYSTEM,
        cause,
    )
    return alert


async def list_alerts(uow: UnitOfWork, status: str | None) -> list[PatternAlertRecord]:
    stmt = select(PatternAlertRecord).order_by(col(PatternAlertRecord.raised_at).desc())
    if status:
        stmt = stmt.where(PatternAlertRecord.status == status)
    return list((await uow.session.exec(stmt.limit(500))).all())


async def tracking_codes(uow: UnitOfWork, alerts: list[PatternAlertRecord]) -> dict[str, str]:
    """The tracking code of every dispute the alerts name (case id -> code), in one read."""
    ids = {uuid.UUID(c) for a in alerts for c in a.case_ids}
    if not ids:
        return {}
    stmt = select(Dispute.case_id, Dispute.tracking_code).where(col(Dispute.case_id).in_(ids))
    return {str(case_id): code for case_id, code in (await uow.session.exec(stmt)).all()}


async def close_alert(
    alert_id: uuid.UUID,
    uow: UnitOfWork,
    ctx: Context,
    note: str = "",
    actor: Actor = SYSTEM,
) -> PatternAlertRecord:
    """The committee handled the pattern (e.g. an industry consultation): close the alert,
    keeping what was done and who closed it. Closing it again would overwrite that: refused."""
    alert = await uow.session.get(PatternAlertRecord, alert_id)
    if alert is None:
        raise NotFound(str(alert_id))
    if alert.status == "closed":
        raise AgainstTheRules("the pattern alert is already closed")
    alert.status, alert.closed_at = "closed", ctx.now()
    alert.close_note, alert.closed_by = note.strip(), actor.id
    uow.session.add(alert)
    await uow.commit()
    return alert
