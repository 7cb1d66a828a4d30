"""The rider's own pages over intake's real HTTP (SQLite and PostgreSQL): ask for a code by
phone, sign in (the session an HttpOnly cookie scoped to /me), see both reports, the points
with what earned them and each ticket's history; a wrong code, a forged or an officer's token
and a signed-out browser see the sign-in form only."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from shared.contracts.envelope import Actor, Envelope
from shared.contracts.events.dispatch import PointsCredited
from shared.platform.auth.tokens import issue
from tests.auth import PRIVATE_PEM, token
from tests.integration.intake_server import Intake
from tests.places import Spots
from tests.polling import eventually_async

pytestmark = pytest.mark.integration


_SPOTS = Spots(31.02, 121.075, rows=15, columns=5)


def _spot() -> tuple[str, str]:
    """A place of its own for each filing (no duplicate merges)."""
    lat, lng = _SPOTS.next()
    return f"{lat:.5f}", f"{lng:.5f}"


async def _file(client: httpx.AsyncClient, key: str, **who: str) -> str:
    lat, lng = _spot()
    posted = await client.post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "manhole_cover",
            "lat": lat,
            "long": lng,
            "description": "井盖缺失，联系人另一位 13800138000",
            "attribute[severity]": "danger",
        }
        | who,
    )
    assert posted.status_code == 201, posted.text
    return str(posted.json()[0]["service_notice"].split("查询码 ")[1][:9])


async def _newest_code(intake: Intake) -> str:
    events = [e for e in await intake.outbox() if e["event_type"] == "rider.code_requested"]
    return str(Envelope.model_validate_json(events[-1]["body"]).payload["code"])


async def _case_of(intake: Intake, code: str) -> str:
    for event in await intake.outbox():
        envelope = Envelope.model_validate_json(event["body"])
        if envelope.event_type == "case.filed" and envelope.payload["tracking_code"] == code:
            return str(envelope.case_id)
    raise AssertionError(code)


async def test_a_rider_signs_in_on_the_page_sees_tickets_points_and_history_and_signs_out(
    intake: Intake,
):
    key = await intake.api_key("rider-pages")
    digits = f"139{uuid.uuid4().int % 10**8:08d}"
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        mine = [
            await _file(client, key, phone=digits),
            await _file(client, key, phone=f"+86 {digits[:3]}-{digits[3:7]}-{digits[7:]}"),
        ]
        theirs = await _file(client, key, phone=f"137{uuid.uuid4().int % 10**8:08d}")

        start = await client.get("/me")
        assert start.status_code == 200 and 'action="/me/code"' in start.text
        assert start.headers["cache-control"] == "no-store"
        track = await client.get(f"/track/{mine[0]}?format=html")
        assert 'href="/me?lang=zh-CN"' in track.text and "我的积分和工单" in track.text

        bad = await client.post("/me/code", data={"who": "abc"})
        assert bad.status_code == 422 and "请填写 11 位手机号或邮箱地址" in bad.text
        sent = await client.post("/me/code", data={"who": f"{digits[:3]} {digits[3:]}"})
        assert sent.status_code == 202 and 'action="/me/login"' in sent.text
        said = sent.text.split('role="status">')[1].split("</p>")[0]
        assert f"{digits[:3]}****{digits[-4:]}" in said and digits not in said  # masked
        stranger = await client.post("/me/code", data={"who": "13100000000"})
        assert stranger.status_code == 202  # the same answer for nobody
        code = await _newest_code(intake)

        wrong = "000000" if code != "000000" else "111111"
        refused = await client.post("/me/login", data={"who": digits, "code": wrong})
        assert refused.status_code == 401 and "验证码错误或已过期" in refused.text
        assert "ws_rider" not in refused.headers.get("set-cookie", "")
        signed = await client.post("/me/login", data={"who": digits, "code": code})
        assert signed.status_code == 303 and signed.headers["location"].startswith("/me")
        cookie = signed.headers["set-cookie"]
        assert "ws_rider=" in cookie and "HttpOnly" in cookie
        assert "SameSite=strict" in cookie and "Path=/me" in cookie and "Max-Age=900" in cookie
        again = await client.post("/me/login", data={"who": digits, "code": code})
        assert again.status_code == 401  # good once

        await intake.dispatch_says(
            await _case_of(intake, mine[0]),
            "points.credited",
            PointsCredited(reporter_id="x", points=20, balance=20, reason="hazard_verified"),
        )
        party = (await client.get("/me")).text
        assert all(c in party for c in mine) and theirs not in party
        assert "退出登录" in party and "处理经过" in party and "已受理" in party
        assert "13800138000" not in party
        # No dispatch here: the page still renders, and says the exchange cannot be shown now.
        assert "积分兑换暂时无法显示，请稍后再试" in party
        for c in mine:
            assert f'href="/track/{c}?format=html&amp;lang=zh-CN"' in party

        # The credit was for another party id: this rider's points do not move.
        assert re.search(r'class="points">0<', party)

        signed_out = await client.post("/me/logout", data={"lang": "zh-CN"})
        assert signed_out.status_code == 303
        assert 'ws_rider=""' in signed_out.headers["set-cookie"]
        client.cookies.clear()
        after = await client.get("/me?out=1")
        assert "您已退出登录" in after.text and mine[0] not in after.text


async def test_the_ledger_names_the_report_that_earned_the_points(intake: Intake):
    key = await intake.api_key("rider-pages-ledger")
    who = f"ledger-{uuid.uuid4().hex[:8]}@x.cn"
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        mine = [await _file(client, key, email=who) for _ in range(2)]
        await client.post("/me/code", data={"who": who.upper()})
        signed = await client.post(
            "/me/login", data={"who": who, "code": await _newest_code(intake)}
        )
        assert signed.status_code == 303
        party_id = await _party_of(intake, mine[0])
        for n, c in enumerate(mine, start=1):
            await intake.dispatch_says(
                await _case_of(intake, c),
                "points.credited",
                PointsCredited(
                    reporter_id=party_id, points=20, balance=20 * n, reason="hazard_verified"
                ),
            )

        async def summed() -> str | None:
            page = (await client.get("/me")).text
            return page if re.search(r'class="points">40<', page) else None

        page = await eventually_async(summed)
        ledger = page.split('class="cards ledger"')[1].split("</ul>")[0]
        assert ledger.count("<li>") == 2
        assert all(f"/track/{c}?" in ledger for c in mine)
        assert "获得贡献积分 20 分" in ledger
        english = (await client.get("/me?lang=en")).text
        assert "My contribution points" in english and "Sign out" in english


async def test_only_a_riders_own_live_token_opens_the_page(intake: Intake):
    officer = token("intake_officer", "o-1")
    not_a_rider = issue(
        PRIVATE_PEM, Actor(role="reporter", id="someone"), user_id="tracking", ttl_seconds=60
    )
    async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
        for held in (officer, not_a_rider, "not-a-token"):
            page = await client.get("/me", headers={"Cookie": f"ws_rider={held}"})
            assert page.status_code == 200 and 'action="/me/code"' in page.text


async def _party_of(intake: Intake, code: str) -> str:
    for event in await intake.outbox():
        envelope = Envelope.model_validate_json(event["body"])
        if envelope.event_type == "case.filed" and envelope.payload["tracking_code"] == code:
            for party in envelope.payload.get("parties", []):
                if party.get("role") == "reporter":
                    return str(party["party_id"])
    raise AssertionError(code)
