"""Riders without e-mail hear by SMS through the configured gateway: the phone is asked of
intake (notify's own service token) as the message leaves; notify keeps masked phones only."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa

from services.intake.service_layer.apikeys import create_key
from services.notify.adapters.phone_book import IntakePhoneBook
from services.notify.adapters.tables import Contact, Delivery
from shared.contracts.envelope import Envelope
from tests.auth import auth_headers
from tests.integration.intake_server import Intake
from tests.integration.notify_harness import NotifyUnderTest
from tests.integration.receivers import HttpReceiver, http_receiver

pytestmark = pytest.mark.integration
PHONE = "13955556666"


@pytest.fixture
def gateway() -> Iterator[HttpReceiver]:
    with http_receiver() as sink:
        yield sink


async def _filed_envelope(intake: Intake, key: str, **who: str) -> Envelope:
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        posted = await client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": key,
                "service_code": "manhole_cover",
                "lat": "31.1552",
                "long": "121.2247",
                "description": "井盖缺失",
                "attribute[severity]": "danger",
                **who,
            },
        )
        assert posted.status_code == 201, posted.text
        notice = posted.json()[0]["service_notice"]
    code = notice.split("查询码 ")[1][:9]
    for event in await intake.outbox():
        envelope = Envelope.model_validate_json(event["body"])
        if envelope.event_type == "case.filed" and envelope.payload["tracking_code"] == code:
            return envelope
    raise AssertionError("no case.filed in intake's outbox")


async def test_a_rider_without_email_gets_an_sms_addressed_at_send_time(
    intake: Intake, database_url: str, redis_url: str, gateway: HttpReceiver
):
    app_key = await intake.api_key("rider-app-sms")
    async with intake.runtime.sessions() as session:
        _row, notify_key = await create_key(session, "notify", service="notify")
    phones = IntakePhoneBook(intake.url, notify_key)
    notify = await NotifyUnderTest(
        database_url,
        redis_url,
        sms_gateway_url=f"json://127.0.0.1:{gateway.port}/sms?:to={{phone}}",
        smtp_url="mailto://127.0.0.1:9?from=noreply@waystation.test",
        phones=phones,
    ).start()
    try:
        filed = await _filed_envelope(intake, app_key, phone="139-5555-6666")
        assert PHONE not in filed.model_dump_json()  # the event carries the masked phone
        await notify.apply(filed)
        await notify.send_due()
        [sms] = gateway.at("/sms")
        assert sms.body["to"] == "139-5555-6666"
        assert "查询码" in sms.body["message"] and sms.headers.get("Idempotency-Key")
        # Notify stored no raw phone: the delivery's target keeps the slot.
        async with notify.sessions() as session:
            rows = (await session.execute(sa.select(Delivery.target, Delivery.body))).all()
            contacts = (await session.execute(sa.select(Contact.phone_masked))).all()
        stored = " ".join(f"{t} {b}" for t, b in rows) + str(contacts)
        assert PHONE not in stored and "139-5555-6666" not in stored
        assert any("{phone}" in t for t, _b in rows)
        # A rider with an e-mail is written to, not texted.
        mailed = await _filed_envelope(intake, app_key, phone="13955557777", email="w@x.cn")
        await notify.apply(mailed)
        channels = {d.channel for d in await notify.deliveries(case_id=mailed.case_id)}
        assert "email" in channels and "sms" not in channels
    finally:
        await notify.stop()


async def test_the_contact_route_answers_only_notifys_service_token(intake: Intake):
    async with intake.runtime.sessions() as session:
        _row, notify_key = await create_key(session, "notify-2", service="notify")
        _row, dept_key = await create_key(session, "dept", department_id="zhaoxiang-road")
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        url = "/api/v1/parties/p-nobody/contact"
        assert (await client.get(url)).status_code == 401
        for role in ("admin", "intake_officer", "department", "reporter"):
            answer = await client.get(url, headers=auth_headers(role, "x"))
            assert answer.status_code == 403, role
        token = await client.post(
            "/api/v1/auth/token",
            data={"grant_type": "client_credentials", "client_secret": dept_key},
        )
        as_department = {"Authorization": f"Bearer {token.json()['access_token']}"}
        assert (await client.get(url, headers=as_department)).status_code == 403
    assert await IntakePhoneBook(intake.url, notify_key).phone_of("p-nobody") is None


async def test_without_an_sms_service_the_filing_answer_names_the_tracking_page(intake: Intake):
    from tests.auth import OFFICER
    from tests.integration.authz_table import hazard_body

    key = await intake.api_key("rider-app-notice")
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        posted = await client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": key,
                "service_code": "manhole_cover",
                "lat": "31.0952",
                "long": "121.2547",
                "description": "井盖缺失",
                "attribute[severity]": "danger",
                "phone": "13955558888",
            },
        )
        notice = posted.json()[0]["service_notice"]
        code = notice.split("查询码 ")[1][:9]
        assert f"/track/{code}" in notice and "暂无短信通知" in notice
        mailed = await client.post(
            "/open311/v2/requests.json",
            data={
                "api_key": key,
                "service_code": "manhole_cover",
                "lat": "31.0652",
                "long": "121.2847",
                "description": "井盖缺失",
                "attribute[severity]": "danger",
                "email": "r@x.cn",
            },
        )
        assert "邮件" in mailed.json()[0]["service_notice"]
        filed = await client.post("/api/v1/hazards", json=hazard_body(), headers=OFFICER)
        answer = filed.json()
        assert f"/track/{answer['tracking_code']}" in answer["follow_up"]
        assert "tracking code" in answer["follow_up_en"]
