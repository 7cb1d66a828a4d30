"""A rider signs in with a one-time code (sent by notify, by e-mail here) and reads their
own reports and points; the code is good once, for a few tries, and shows up nowhere else."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import httpx
import pytest

from shared.contracts.envelope import Envelope
from shared.contracts.events.dispatch import PointsCredited
from tests.integration.intake_server import Intake
from tests.integration.notify_harness import NotifyUnderTest
from tests.integration.receivers import SmtpReceiver, smtp_receiver
from tests.places import Spots
from tests.polling import eventually_async

pytestmark = pytest.mark.integration


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with smtp_receiver() as sink:
        yield sink


_SPOTS = Spots(31.02, 121.075, rows=15, columns=5)


def _spot() -> tuple[str, str]:
    """A place of its own for each filing (no duplicate merges)."""
    lat, lng = _SPOTS.next()
    return f"{lat:.5f}", f"{lng:.5f}"


async def _file(client: httpx.AsyncClient, key: str, spot: tuple[str, str], email: str) -> str:
    posted = await client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "manhole_cover",
            "lat": spot[0],
            "long": spot[1],
            "description": "井盖缺失",
            "attribute[severity]": "danger",
            "email": email,
        },
    )
    assert posted.status_code == 201, posted.text
    return str(posted.json()[0]["service_notice"].split("查询码 ")[1][:9])


async def test_a_rider_signs_in_with_a_code_and_sees_only_their_reports_and_points(
    intake: Intake, database_url: str, redis_url: str, smtp: SmtpReceiver
):
    key = await intake.api_key("rider-app-sign-in")
    notify = await NotifyUnderTest(
        database_url, redis_url, smtp_url=f"mailto://127.0.0.1:{smtp.port}?from=noreply@ws.test"
    ).start()
    try:
        async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
            # The intake fixture lives for the module: this run's rider is its own.
            rider = f"rider-{uuid.uuid4().hex[:8]}@x.cn"
            mine = [await _file(client, key, _spot(), rider) for _ in range(2)]
            theirs = await _file(client, key, _spot(), f"other-{uuid.uuid4().hex[:8]}@x.cn")

            unknown = await client.post("/api/v1/rider/code", json={"email": "nobody@x.cn"})
            asked = await client.post("/api/v1/rider/code", json={"email": rider})
            assert asked.status_code == unknown.status_code == 202
            assert asked.json() == unknown.json()  # a stranger learns nothing
            both = await client.post(
                "/api/v1/rider/code", json={"email": rider, "phone": "13900000000"}
            )
            assert both.status_code == 422

            # notify hears intake's events and mails the code to the rider alone
            for event in await intake.outbox():
                await notify.apply(Envelope.model_validate_json(event["body"]))
            await notify.send_due()
            [mail] = [m for m in smtp.to(rider) if "验证码" in m.subject]
            code = re.search(r"验证码 (\d{6})", mail.subject).group(1)  # type: ignore[union-attr]
            coded = await notify.deliveries(event_type="rider.code_requested")
            assert {d.channel for d in coded} == {"email"}  # no inbox copy
            # sent: the delivery log keeps the message with the code masked, not the code
            assert all(code not in d.subject + d.body for d in coded)
            assert all("验证码 ******" in d.subject and d.status == "sent" for d in coded)
            page = (await client.get(f"/track/{mine[0]}")).text
            assert code not in page

            wrong = "000000" if code != "000000" else "111111"
            refused = await client.post("/api/v1/rider/login", json={"email": rider, "code": wrong})
            assert refused.status_code == 401 and "验证码" in refused.json()["detail"]
            signed = await client.post(
                "/api/v1/rider/login", json={"email": rider.upper(), "code": code}
            )
            assert signed.status_code == 200, signed.text
            token = {"Authorization": f"Bearer {signed.json()['access_token']}"}
            again = await client.post("/api/v1/rider/login", json={"email": rider, "code": code})
            assert again.status_code == 401  # good once

            me = (await client.get("/api/v1/rider/me", headers=token)).json()
            assert sorted(r["tracking_code"] for r in me["reports"]) == sorted(mine)
            assert theirs not in str(me)
            assert all(r["timeline"] for r in me["reports"])

            case = await client.get(f"/track/{mine[0]}")
            assert case.status_code == 200
            await intake.dispatch_says(
                await _case_of(intake, mine[0]),
                "points.credited",
                PointsCredited(reporter_id=me["party_id"], points=10, balance=10, reason="闭环"),
            )

            async def credited() -> bool:
                answer = await client.get("/api/v1/rider/me", headers=token)
                return bool(answer.json()["points"] == 10)

            await eventually_async(credited)
    finally:
        await notify.stop()


async def test_a_code_dies_after_five_wrong_tries(intake: Intake):
    key = await intake.api_key("rider-app-tries")
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        who = f"tries-{uuid.uuid4().hex[:8]}@x.cn"
        await _file(client, key, _spot(), who)
        await client.post("/api/v1/rider/code", json={"email": who})
        events = [e for e in await intake.outbox() if e["event_type"] == "rider.code_requested"]
        code = Envelope.model_validate_json(events[-1]["body"]).payload["code"]
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            answer = await client.post("/api/v1/rider/login", json={"email": who, "code": wrong})
            assert answer.status_code == 401
        late = await client.post("/api/v1/rider/login", json={"email": who, "code": code})
        assert late.status_code == 401


async def _case_of(intake: Intake, code: str) -> str:
    for event in await intake.outbox():
        envelope = Envelope.model_validate_json(event["body"])
        if envelope.event_type == "case.filed" and envelope.payload["tracking_code"] == code:
            return str(envelope.case_id)
    raise AssertionError(code)
