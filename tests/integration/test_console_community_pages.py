"""The committee's consultation and compound pages (#20), rendered by the console over the real
dispatch and mediation services (in process, real database): zh-CN words, no raw codes, the
before/after table, a refused step's reason by its form."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import httpx
import pytest

from services.console.app import create_app as console_app
from services.console.config import ConsoleSettings
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import CaseFiled, HazardDetails
from shared.platform.clock import FrozenClock
from tests.auth import token
from tests.integration.dispatch_harness import START, Dispatch
from tests.integration.mediation_harness import running_mediation

pytestmark = pytest.mark.integration
PLATFORM = ("青浦快送平台有限公司", "91310118MA1JL0TEST")


@pytest.fixture
async def console(
    database_url: str,
    redis_url: str,
    new_sqlite_database: Callable[[], str],
    new_pg_database: Callable[[], str],
) -> AsyncIterator[tuple[httpx.AsyncClient, Dispatch, object]]:
    # each service its own database
    other_db = new_sqlite_database() if "sqlite" in database_url else new_pg_database()
    clock = FrozenClock(datetime(2026, 6, 10, 2, 0, tzinfo=UTC))
    async with (
        Dispatch(database_url, redis_url, FrozenClock(START)) as dispatch,
        running_mediation(
            other_db, redis_url, clock, pattern_threshold=3, pattern_window_days=60
        ) as mediation,
    ):
        app = console_app(
            ConsoleSettings(
                log_json=False, mediation_url="http://mediation", dispatch_url="http://dispatch"
            )
        )
        backends = app.state.console.backends
        backends.client = httpx.AsyncClient(
            mounts={
                "http://mediation": httpx.ASGITransport(app=mediation.app),
                "http://dispatch": httpx.ASGITransport(app=dispatch.app),
            }
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://console") as client:
            client.cookies.set("ws_session", token("committee", "chair"))
            yield client, dispatch, mediation
        await backends.client.aclose()


def _no_raw_codes(html: str) -> None:
    for code in ("company_hq", "rule_changed", "property_office", "compound_access", "location"):
        assert f">{code}<" not in html and f"（{code}）" not in html, code


async def test_the_committee_opens_a_consultation_from_the_alert_and_sees_before_and_after(
    console: tuple[httpx.AsyncClient, Dispatch, object],
) -> None:
    client, _dispatch, mediation = console
    for month, n in ((2, 4), (3, 1)):
        for day in range(n):
            await mediation.file(  # type: ignore[attr-defined]
                dispute_type="penalty_deduction",
                respondents=(PLATFORM,),
                at=datetime(2026, month, 3 + day, 2, 0, tzinfo=UTC),
            )
    alerts = await client.get("/console/alerts")
    assert alerts.status_code == 200 and "开启行业协商" in alerts.text
    alert_id = re.search(r"/console/consultations\?alert_id=([0-9a-f-]{36})", alerts.text)
    assert alert_id
    form = await client.get(f"/console/consultations?alert_id={alert_id[1]}")
    assert form.status_code == 200 and "来自类案预警" in form.text and "企业总部" in form.text
    opened = await client.post(
        "/console/consultations",
        data={
            "title": "超时扣款规则行业协商",
            "alert_id": alert_id[1],
            "p0_name": "张经理",
            "p0_organisation": PLATFORM[0],
            "p0_side": "company_hq",
            "p1_name": "吴师傅",
            "p1_organisation": "骑手代表",
            "p1_side": "rider_representative",
        },
    )
    assert opened.status_code == 303, opened.text
    page_url = opened.headers["location"]
    wrong = await client.post(
        f"{page_url}/agreement",
        data={
            "changes": "停止超时扣款",
            "effective_on": "2026-03-01",
            "follow_up_on": "2026-01-01",
        },
    )
    assert wrong.status_code == 422 and "跟踪回访日期不能早于" in wrong.text
    agreed = await client.post(
        f"{page_url}/agreement",
        data={
            "changes": "自下月1日起停止超时扣款\n退还近三个月已扣款项",
            "effective_on": "2026-03-01",
            "follow_up_on": "2026-06-01",
        },
    )
    assert agreed.status_code == 303
    page = await client.get(page_url)
    assert page.status_code == 200
    html = page.text
    assert "规范一片" in html and "调整前" in html and "调整后" in html
    # the month in words, its count beside it
    assert '2026年2月</td><td class="before">4' in html.replace("\n", "").replace("  ", "")
    assert "骑手代表" in html and "企业总部" in html and "已达成规则调整，跟踪中" in html
    _no_raw_codes(html)
    closed = await client.post(
        f"{page_url}/close", data={"outcome": "rule_changed", "note": "已退款"}
    )
    assert closed.status_code == 303
    assert "企业已调整规则" in (await client.get(page_url)).text
    assert "查看行业协商" in (await client.get("/console/alerts")).text


async def test_the_committee_sees_each_compound_with_its_reports_and_adoption(
    console: tuple[httpx.AsyncClient, Dispatch, object],
) -> None:
    client, dispatch, _mediation = console
    party = PartyRef(role="reporter", party_id="p-sun", display_name="孙骑手")
    filed = new_event(
        "case.filed",
        CaseFiled(
            kind="hazard",
            tracking_code="TCMPD001",
            channel="open311",
            title="明珠苑北门不让骑手进",
            description="明珠苑北门保安中午不让骑手进小区",
            jurisdiction="xujing",
            parties=[party],
            hazard=HazardDetails(
                category="compound_access", location=GeoPoint(lat=31.19, lng=121.28)
            ),
        ),
        case_id=uuid.uuid4(),
        actor=Actor(role="intake_officer", id="officer-1"),
        producer="intake",
    )
    assert await dispatch.feed(filed)
    listing = await client.get("/console/compounds")
    assert listing.status_code == 200
    assert (
        "演示·徐泾明珠苑" in listing.text
        and "未制定" in listing.text
        and "已制定（" in listing.text
    )
    assert "物业牵头" in listing.text and "居委会牵头" in listing.text
    _no_raw_codes(listing.text)
    one = await client.get("/console/compounds/demo-compound-06")
    assert one.status_code == 200
    assert "TCMPD001" in one.text and "按小区名称关联" in one.text and "已派单" in one.text
    assert "徐泾镇物业管理办公室" in one.text
    _no_raw_codes(one.text)
