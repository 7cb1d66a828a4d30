"""Industry consultations: open (from a pattern alert or on their own), record sessions, the
agreed rule change with its follow-up date, the outcome; and the pattern's disputes month by
month before and after the change (every respondent counts, not only the first)."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.mediation.adapters.tables import ConsultationRecord, Dispute, PatternAlertRecord
from services.mediation.domain.clocks import local_date
from services.mediation.domain.consultation import (
    check_agreement,
    check_step,
    month_of,
    months_around,
)
from services.mediation.domain.errors import Incomplete, NotFound
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.registration import company_key
from services.mediation.service_layer.steps import PRODUCER
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.common import PartyRef, Payload
from shared.contracts.events.mediation import (
    ConsultationAgreed,
    ConsultationOpened,
    ConsultationParticipant,
    ConsultationSessionRecorded,
)
from shared.messaging.uow import UnitOfWork
from shared.platform.json_rules import rules, unless

Side = str


class Participant(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    organisation: str = Field(min_length=1, max_length=200)
    side: Side = Field(
        pattern=r"^(company_hq|partner|rider_representative|committee|government|union)$"
    )


class OpenConsultation(BaseModel):
    # Without an alert, the company and the dispute type are named.
    model_config = ConfigDict(
        json_schema_extra=rules(unless("alert_id", "company", "dispute_type"))
    )

    title: str = Field(min_length=2, max_length=200)
    alert_id: uuid.UUID | None = None
    # without an alert: whom and what about
    company: str | None = Field(default=None, min_length=1, max_length=200)
    dispute_type: str | None = Field(default=None, min_length=1, max_length=40)
    participants: list[Participant] = Field(min_length=1, max_length=50)


class SessionIn(BaseModel):
    held_on: date
    place: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=2000)
    attendees: list[str] = Field(default_factory=list, max_length=50)


class AgreementIn(BaseModel):
    changes: list[str] = Field(min_length=1, max_length=20)
    effective_on: date
    follow_up_on: date


class CloseIn(BaseModel):
    outcome: str = Field(pattern=r"^(rule_changed|partly_changed|not_changed)$")
    note: str = Field(default="", max_length=2000)


def as_dict(row: ConsultationRecord) -> dict[str, Any]:
    return row.model_dump(mode="json")


def _about(row: ConsultationRecord) -> dict[str, Any]:
    """What every consultation event says of the consultation."""
    return {
        "consultation_id": str(row.id),
        "title": row.title,
        "company": row.company,
        "company_key": row.company_key,
        "dispute_type": row.dispute_type,
        "participants": [ConsultationParticipant.model_validate(p) for p in row.participants],
    }


def _announce(
    uow: UnitOfWork, row: ConsultationRecord, event_type: str, payload: Payload, actor_id: str
) -> None:
    """The consultation's event, in the transaction of its change (notify tells the committee
    and the company); the envelope's case id is the consultation's own id."""
    uow.emit(
        new_event(
            event_type,
            payload,
            case_id=row.id,
            actor=Actor(role="committee", id=actor_id[:100]),
            producer=PRODUCER,
            occurred_at=uow.now(),
        )
    )


async def open_consultation(
    uow: UnitOfWork, body: OpenConsultation, actor_id: str, ctx: Context
) -> dict[str, Any]:
    if body.alert_id is not None:
        alert = await uow.session.get(PatternAlertRecord, body.alert_id)
        if alert is None:
            raise NotFound(f"pattern alert {body.alert_id}")
        company, key, dispute_type = alert.company, alert.company_key, alert.dispute_type
    else:
        if not body.company:
            raise Incomplete("company", "未关联类案预警时须填写企业名称")
        if not body.dispute_type:
            raise Incomplete("dispute_type", "未关联类案预警时须填写纠纷类型")
        company, dispute_type = body.company, body.dispute_type
        key = company_key(PartyRef(role="respondent", party_id="-", display_name=company))
    now = ctx.now()
    row = ConsultationRecord(
        title=body.title,
        company=company,
        company_key=key,
        dispute_type=dispute_type,
        alert_id=body.alert_id,
        participants=[p.model_dump() for p in body.participants],
        opened_by=actor_id,
        opened_at=now,
        updated_at=now,
    )
    uow.session.add(row)
    alert_id = str(body.alert_id) if body.alert_id else None
    opened = ConsultationOpened(**_about(row), alert_id=alert_id)
    _announce(uow, row, "consultation.opened", opened, actor_id)
    out = as_dict(row)
    await uow.commit()
    return out


async def _load(uow: UnitOfWork, consultation_id: uuid.UUID) -> ConsultationRecord:
    stmt = (
        select(ConsultationRecord).where(ConsultationRecord.id == consultation_id).with_for_update()
    )
    row = (await uow.session.exec(stmt)).first()
    if row is None:
        raise NotFound(f"consultation {consultation_id}")
    return row


async def add_session(
    uow: UnitOfWork, consultation_id: uuid.UUID, body: SessionIn, actor_id: str, ctx: Context
) -> dict[str, Any]:
    row = await _load(uow, consultation_id)
    check_step("session", row.status)
    if body.held_on > local_date(ctx.now()):  # a record of a meeting that took place (#19)
        raise Incomplete("held_on", "协商会议日期不能晚于今天（记录的是已召开的会议）")
    row.sessions = [*row.sessions, body.model_dump(mode="json")]
    row.updated_at = ctx.now()
    uow.session.add(row)
    held = ConsultationSessionRecorded(
        **_about(row), held_on=body.held_on, place=body.place, summary=body.summary
    )
    _announce(uow, row, "consultation.session_recorded", held, actor_id)
    out = as_dict(row)
    await uow.commit()
    return out


async def record_agreement(
    uow: UnitOfWork, consultation_id: uuid.UUID, body: AgreementIn, actor_id: str, ctx: Context
) -> dict[str, Any]:
    row = await _load(uow, consultation_id)
    check_step("agree", row.status)
    check_agreement(body.effective_on, body.follow_up_on)
    if any(not c.strip() for c in body.changes):
        raise Incomplete("changes", "规则调整内容不能为空")
    row.agreed_changes = [c.strip() for c in body.changes]
    row.change_effective_on = body.effective_on
    row.follow_up_on = body.follow_up_on
    row.status = "agreed"
    row.updated_at = ctx.now()
    uow.session.add(row)
    agreed = ConsultationAgreed(
        **_about(row),
        changes=row.agreed_changes,
        effective_on=body.effective_on,
        follow_up_on=body.follow_up_on,
    )
    _announce(uow, row, "consultation.agreed", agreed, actor_id)
    out = as_dict(row)
    await uow.commit()
    return out


async def close(
    uow: UnitOfWork, consultation_id: uuid.UUID, body: CloseIn, ctx: Context
) -> dict[str, Any]:
    row = await _load(uow, consultation_id)
    check_step("close", row.status)
    if body.outcome != "not_changed" and row.change_effective_on is None:
        raise Incomplete("outcome", "尚未记录达成的规则调整，不能以“已调整”结束")
    row.status, row.outcome, row.outcome_note = "closed", body.outcome, body.note
    row.updated_at = ctx.now()
    uow.session.add(row)
    out = as_dict(row)
    await uow.commit()
    return out


async def list_consultations(
    session: AsyncSession, *, alert_ids: list[uuid.UUID] | None = None
) -> list[dict[str, Any]]:
    stmt = select(ConsultationRecord).order_by(col(ConsultationRecord.opened_at).desc())
    if alert_ids is not None:
        stmt = stmt.where(col(ConsultationRecord.alert_id).in_(alert_ids))
    return [as_dict(r) for r in (await session.exec(stmt.limit(500))).all()]


async def get(session: AsyncSession, consultation_id: uuid.UUID) -> dict[str, Any]:
    row = await session.get(ConsultationRecord, consultation_id)
    if row is None:
        raise NotFound(f"consultation {consultation_id}")
    return as_dict(row)


def _keys(respondents: Any) -> set[str]:
    keys = set()
    for r in respondents:
        try:
            keys.add(company_key(PartyRef.model_validate(r)))
        except ValueError:
            continue
    return keys


async def effect(
    session: AsyncSession, consultation_id: uuid.UUID, before: int, after: int, ctx: Context
) -> dict[str, Any]:
    """规范一片: the pattern's disputes per month, before and after the agreed change."""
    row = await session.get(ConsultationRecord, consultation_id)
    if row is None:
        raise NotFound(f"consultation {consultation_id}")
    pivot = row.change_effective_on or local_date(ctx.now())
    months_before, months_after = months_around(pivot, before, after)
    stmt = select(Dispute.filed_month, Dispute.respondents).where(
        Dispute.dispute_type == row.dispute_type,
        col(Dispute.filed_month) >= months_before[0],
        col(Dispute.filed_month) <= months_after[-1],
    )
    counts: Counter[str] = Counter()
    for month, respondents in (await session.exec(stmt)).all():
        if month and row.company_key in _keys(respondents or []):
            counts[month] += 1
    current = month_of(local_date(ctx.now()))

    def side(months: list[str]) -> dict[str, Any]:
        shown = [m for m in months if m <= current]
        listed = [{"month": m, "disputes": counts.get(m, 0)} for m in shown]
        total = sum(counts.get(m, 0) for m in shown)
        return {
            "months": listed,
            "total": total,
            "per_month": round(total / len(listed), 2) if listed else None,
        }

    return {
        "consultation_id": str(row.id),
        "company": row.company,
        "dispute_type": row.dispute_type,
        "change_effective_on": row.change_effective_on.isoformat()
        if row.change_effective_on
        else None,
        "before": side(months_before),
        "after": side(months_after) if row.change_effective_on else side([]),
    }
