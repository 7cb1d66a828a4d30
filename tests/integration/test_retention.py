"""The retention job clears personal data of long-finished cases and leaves audit stubs
(intake and notify, SQLite and PostgreSQL, with an injected clock)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from services.intake.adapters.tables import Case, Party
from services.intake.service_layer.retention import purge_all
from services.notify.adapters.tables import KIT as NOTIFY_KIT
from services.notify.adapters.tables import Contact, Delivery, KnownCase
from services.notify.service_layer.retention import note_closure, purge_contacts
from shared.contracts.envelope import new_event
from shared.contracts.events.dispatch import HazardClosed
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import FrozenClock
from shared.platform.db import make_engine, make_sessions, upgrade_async
from tests.auth import auth_headers
from tests.integration.intake_server import Intake

pytestmark = pytest.mark.integration

ID_NUMBER = "11010519491231002X"
OFFICER = auth_headers("intake_officer", "officer-1")
NOTIFY_MIGRATIONS = Path("services/notify/migrations")


async def _file(intake: Intake) -> str:
    dispute = {
        "complainant": {
            "name": "李某",
            "phone": "13811112222",
            "email": "li@example.com",
            "id_number": ID_NUMBER,
        },
        "respondents": [{"name": "速达快递有限公司", "email": "hr@suda.example.com"}],
        "dispute_type": "unpaid_wages",
        "dispute_arose_on": "2026-11-02",
        "claim": "支付10月工资8600元",
        "facts": "10月工资未发放，联系电话13811112222",
    }
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"{intake.url}/api/v1/disputes", json=dispute, headers=OFFICER, timeout=10
        )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["case_id"])


async def _set_status(intake: Intake, case_id: str, status: str, at: datetime) -> None:
    async with intake.runtime.sessions() as session:
        case = await session.get(Case, uuid.UUID(case_id))
        assert case is not None
        case.status, case.status_at = status, at
        session.add(case)
        await session.commit()


async def _parties(intake: Intake, case_id: str) -> dict[str, Party]:
    async with intake.runtime.sessions() as session:
        rows = (
            await session.execute(sa.select(Party).where(Party.case_id == uuid.UUID(case_id)))
        ).scalars()
        return {p.role: p for p in rows}


async def test_personal_data_of_a_case_closed_past_the_period_is_replaced_by_stubs(
    intake: Intake,
):
    now = datetime(2031, 6, 1, 9, 0, tzinfo=UTC)
    old, recent, still_open = [await _file(intake) for _ in range(3)]
    await _set_status(intake, old, "closed", now - timedelta(days=31))
    await _set_status(intake, recent, "closed", now - timedelta(days=29))
    await _set_status(intake, still_open, "in_mediation", now - timedelta(days=400))

    done = await purge_all(intake.runtime.uow, FrozenClock(now), retention_days=30)

    assert done.cases >= 1
    purged = await _parties(intake, old)
    person = purged["complainant"]
    assert person.name == "已清除 2031-06-01"
    assert person.phone is None and person.email is None
    assert person.id_number_enc is None and person.id_number_hash is None
    assert person.purged_at is not None
    company = purged["respondent"]
    assert company.name == "速达快递有限公司" and company.email is None
    async with intake.runtime.sessions() as session:
        case = await session.get(Case, uuid.UUID(old))
    assert case is not None and "13811112222" not in case.description
    for kept in (recent, still_open):
        person = (await _parties(intake, kept))["complainant"]
        assert person.name == "李某" and person.phone == "13811112222"
        assert person.id_number_hash is not None
    # the stubs stay: a second run has nothing more to clear for that case
    again = await purge_all(intake.runtime.uow, FrozenClock(now), retention_days=30)
    assert (await _parties(intake, old))["complainant"].name == "已清除 2031-06-01"
    assert again.parties == 0
    async with httpx.AsyncClient() as client:
        found = await client.post(
            f"{intake.url}/api/v1/parties/search",
            json={"id_number": ID_NUMBER},
            headers=OFFICER,
            timeout=10,
        )
    assert {m["case_id"] for m in found.json()} == {recent, still_open}


async def test_notify_clears_contacts_and_finished_deliveries_of_long_closed_cases(
    database_url: str,
):
    await upgrade_async(NOTIFY_MIGRATIONS, database_url)
    engine = make_engine(database_url)
    sessions = make_sessions(engine)

    def uow() -> UnitOfWork:
        return UnitOfWork(sessions, NOTIFY_KIT, producer="notify")

    closed_at = datetime(2031, 1, 1, tzinfo=UTC)
    old, fresh = uuid.uuid4(), uuid.uuid4()
    try:
        async with uow() as work:
            for case_id in (old, fresh):
                work.session.add(
                    KnownCase(case_id=case_id, kind="hazard", tracking_code="T", title="t")
                )
                work.session.add(
                    Contact(
                        case_id=case_id,
                        role="reporter",
                        party_id=f"p-{case_id.hex[:8]}",
                        display_name="吴师傅",
                        email="wu@example.com",
                        phone_masked="138****5678",
                    )
                )
                work.session.add(
                    Delivery(
                        idempotency_key=f"k-{case_id}",
                        event_id=uuid.uuid4(),
                        event_type="hazard.closed",
                        case_id=case_id,
                        party_role="reporter",
                        party_id=f"p-{case_id.hex[:8]}",
                        channel="email",
                        target="mailto://127.0.0.1?to=wu@example.com",
                        locale="zh-CN",
                        subject="工单已办结",
                        body="吴师傅您好",
                        status="sent",
                    )
                )
            await work.commit()
        for case_id, at in ((old, closed_at), (fresh, closed_at + timedelta(days=40))):
            closing = new_event(
                "hazard.closed",
                HazardClosed(state="closed", resolution="fixed"),
                case_id=case_id,
                producer="dispatch",
                occurred_at=at,
            )
            async with uow() as work:
                await note_closure(closing, work)
                await work.commit()

        async with uow() as work:
            cleared = await purge_contacts(work, closed_at + timedelta(days=45), retention_days=30)
        assert cleared == 1
        async with sessions() as session:
            contacts = {c.case_id: c for c in (await session.execute(sa.select(Contact))).scalars()}
            deliveries = {
                d.case_id: d for d in (await session.execute(sa.select(Delivery))).scalars()
            }
        assert contacts[old].display_name.startswith("已清除")
        assert contacts[old].email is None and contacts[old].phone_masked is None
        assert deliveries[old].target == "" and deliveries[old].body == ""
        assert deliveries[old].subject == "工单已办结"  # the audit trail of what was sent
        assert contacts[fresh].email == "wu@example.com"
        assert deliveries[fresh].target.endswith("wu@example.com")
    finally:
        await engine.dispose()
