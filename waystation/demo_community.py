"""`waystation demo`, continued (#20): the compound register (J3), the points exchange (J12)
and an industry consultation from a pattern alert (J7 → J10), over the services' HTTP APIs.

Every step can run again: rewards and consultations already there are left as they are."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from shared.contracts.glossary import term
from shared.platform.clock import utc_now
from waystation.demo_login import login

console = Console()
PROVIDER = "zhaoxiang-xiangxin"  # 巷新驿站, 赵巷镇 (the demo station register)

# J3: the same compound reported twice, the second time 1.3 km off (linked by its name).
COMPOUND_REPORTS: list[dict[str, Any]] = [
    {
        "category": "compound_access",
        "latitude": 31.2441,
        "longitude": 121.2072,
        "description": "华新馨苑南门保安中午不让外卖骑手进小区，只能让顾客下楼自取。",
        "reporter": {"name": "孙骑手", "phone": "13600003333"},
    },
    {
        "category": "compound_access",
        "latitude": 31.2330,
        "longitude": 121.2001,
        "description": "华新馨苑北门也拦骑手，说物业规定送餐一律不得入内。",
        "reporter": {"name": "郑骑手", "phone": "13600005555"},
    },
]

# J12: what the station in 赵巷镇 offers for points.
REWARDS: list[dict[str, Any]] = [
    {"reward_id": "demo-first-aid", "name": "急救培训课程", "cost": 150, "stock": 20},
    {"reward_id": "demo-battery-check", "name": "电动车电池检测", "cost": 40, "stock": 30},
    {"reward_id": "demo-helmet-care", "name": "头盔清洗消毒", "cost": 20, "stock": 50},
]

# J7: more disputes over the same deduction against the platform's regional partner (J5 is the
# first): with the default threshold of five the committee sees a pattern alert.
PARTNER = {"name": "快送平台青浦区域合作商", "org_code": "91310118KSPT00003B"}
PATTERN_DISPUTES = [
    {
        "complainant": {"name": name, "phone": phone},
        "respondents": [PARTNER],
        "dispute_type": "penalty_deduction",
        "dispute_arose_on": "2026-11-18",
        "claim": f"退还超时罚款扣款{amount}元",
        "claim_amount_yuan": amount,
        "facts": "平台合作商以超时为由扣款，扣款规则未经公示。",
        "platform_worker": True,
    }
    for name, phone, amount in (
        ("陈某", "13822224444", 800),
        ("林某", "13822225555", 650),
        ("黄某", "13822226666", 900),
        ("何某", "13822227777", 720),
    )
]


async def run_community(
    client: httpx.AsyncClient,
    intake: str,
    mediation: str,
    dispatch: str,
    *,
    first_hazard: dict[str, Any] | None,
) -> None:
    """File the compound reports and the pattern's disputes, keep the catalogue; with a closed
    J1 ticket (`first_hazard`), its reporter redeems a reward and the station hands it over."""
    officer = await login(client, intake, "intake_officer", "officer-demo")
    admin = await login(client, intake, "admin", "admin-demo")
    committee = await login(client, intake, "committee", "committee-chair")
    for body in COMPOUND_REPORTS:
        url = f"{intake}/api/v1/hazards"
        (await client.post(url, json=body, headers=officer)).raise_for_status()
    for body in PATTERN_DISPUTES:
        url = f"{intake}/api/v1/disputes"
        (await client.post(url, json=body, headers=officer)).raise_for_status()
    await _catalogue(client, dispatch, admin)
    if first_hazard is not None:
        await _redeem(client, intake, dispatch, admin, officer, first_hazard)
    await _compounds(client, dispatch, committee)
    await _consultation(client, mediation, committee)


async def _catalogue(client: httpx.AsyncClient, dispatch: str, admin: dict[str, str]) -> None:
    today = utc_now().astimezone().date()
    for reward in REWARDS:
        body = {
            **reward,
            "station_id": PROVIDER,
            "valid_from": today.replace(day=1).isoformat(),
            "valid_to": (today + timedelta(days=180)).isoformat(),
        }
        made = await client.post(f"{dispatch}/api/v1/rewards", json=body, headers=admin)
        if made.status_code != 409:  # 409: kept from an earlier demo run
            made.raise_for_status()


async def _redeem(
    client: httpx.AsyncClient,
    intake: str,
    dispatch: str,
    admin: dict[str, str],
    officer: dict[str, str],
    ticket: dict[str, Any],
) -> None:
    """J12: 吴师傅 spends the points of his confirmed fix; the station confirms the hand-over.
    (A rider signs in with a one-time code to his phone; the demo acts as him directly.)"""
    case = (await client.get(f"{intake}/api/v1/cases/{ticket['case_id']}", headers=officer)).json()
    party = next(p["party_id"] for p in case["parties"] if p["role"] == "reporter")
    points_url = f"{dispatch}/api/v1/reporters/{party}/points"
    for _ in range(60):
        if (await client.get(points_url, headers=admin)).json()["balance"] >= 20:
            break
        await asyncio.sleep(0.5)
    rider = await login(client, intake, "reporter", party)
    key = {"Idempotency-Key": f"demo-helmet-{party}"}
    redeemed = await client.post(
        f"{dispatch}/api/v1/rewards/demo-helmet-care/redeem", headers=rider | key
    )
    if redeemed.status_code == 409:
        console.print(f"积分兑换未成功：{redeemed.json()['detail']['message']}")
        return
    redeemed.raise_for_status()
    handover = f"{dispatch}/api/v1/redemptions/{redeemed.json()['redemption_id']}/handover"
    # the provider station's own staff (an officer signed in as `<station>/<name>`) confirm it
    staff = await login(client, intake, "intake_officer", f"{PROVIDER}/staff-demo")
    (await client.post(handover, headers=staff)).raise_for_status()
    ledger = (await client.get(points_url, headers=rider)).json()
    table = Table("积分变动", "原因", title=f"吴师傅的积分（余额 {ledger['balance']} 分）")
    for entry in ledger["history"]:
        reason = "兑换奖励" if entry["reason"] == "redeemed" else "报告经核实"
        table.add_row(f"{entry['points']:+d}", reason)
    console.print(table, soft_wrap=True)


async def _compounds(client: httpx.AsyncClient, dispatch: str, committee: dict[str, str]) -> None:
    for _ in range(40):  # the reports reach dispatch through the stream
        rows = (await client.get(f"{dispatch}/api/v1/compounds", headers=committee)).json()
        if any(r["reports"] for r in rows):
            break
        await asyncio.sleep(0.5)
    table = Table(
        "小区", "街镇", "牵头方", "出入管理规范", "报告", "处理中", title="小区出入管理（演示）"
    )
    for r in rows:
        adopted = f"已制定（{r['adopted_on']}）" if r["rules_adopted"] else "未制定"
        table.add_row(
            r["name"],
            r["town_name"],
            term("compound_lead", r["lead"]),
            adopted,
            str(r["reports"]),
            str(r["open_reports"]),
        )
    console.print(table, soft_wrap=True)


async def _consultation(
    client: httpx.AsyncClient, mediation: str, committee: dict[str, str]
) -> None:
    """J10: the chair opens the consultation from the alert: two sessions, the agreed change
    from the first of next month, a follow-up three months on."""
    alert = None
    for _ in range(40):
        url = f"{mediation}/api/v1/committee/alerts"
        alerts = (await client.get(url, headers=committee)).json()
        alert = next((a for a in alerts if a["company"] == PARTNER["name"]), None)
        if alert is not None:
            break
        await asyncio.sleep(0.5)
    if alert is None:
        console.print("尚未出现类案预警（阈值见 MEDIATION_PATTERN_THRESHOLD）。")
        return
    base = f"{mediation}/api/v1/consultations"
    if alert.get("consultation_id"):
        cid = alert["consultation_id"]
    else:
        opened = await client.post(
            base,
            headers=committee,
            json={
                "title": "超时扣款规则行业协商",
                "alert_id": alert["id"],
                "participants": [
                    {
                        "name": "张经理",
                        "organisation": "快送平台总部（徐泾镇）",
                        "side": "company_hq",
                    },
                    {"name": "陈总", "organisation": PARTNER["name"], "side": "partner"},
                    {"name": "吴师傅", "organisation": "骑手代表", "side": "rider_representative"},
                    {"name": "刘师傅", "organisation": "骑手代表", "side": "rider_representative"},
                ],
            },
        )
        opened.raise_for_status()
        cid = opened.json()["id"]
        today = utc_now().astimezone().date()
        for days, summary in (
            (0, "通报类案情况，平台承诺核查扣款规则"),
            (7, "平台同意停止超时扣款"),
        ):
            session = {
                "held_on": (today - timedelta(days=7 - days)).isoformat(),
                "place": "快送平台总部（徐泾镇）",
                "summary": summary,
                "attendees": ["张经理", "陈总", "吴师傅", "刘师傅"],
            }
            url = f"{base}/{cid}/sessions"
            (await client.post(url, json=session, headers=committee)).raise_for_status()
        first_of_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        agreement = {
            "changes": ["自下月1日起停止超时扣款", "退还近三个月已扣款项"],
            "effective_on": first_of_next.isoformat(),
            "follow_up_on": (first_of_next + timedelta(days=92)).isoformat(),
        }
        url = f"{base}/{cid}/agreement"
        (await client.post(url, json=agreement, headers=committee)).raise_for_status()
    effect = (await client.get(f"{base}/{cid}/effect", headers=committee)).json()
    table = Table(
        "月份（调整前）", "纠纷", "月份（调整后）", "纠纷", title="规范一片：同类纠纷按月"
    )
    before, after = effect["before"]["months"], effect["after"]["months"]
    for i in range(max(len(before), len(after))):
        b = before[i] if i < len(before) else {"month": "", "disputes": ""}
        a = after[i] if i < len(after) else {"month": "", "disputes": ""}
        table.add_row(b["month"], str(b["disputes"]), a["month"], str(a["disputes"]))
    console.print(table, soft_wrap=True)
    console.print(
        f"行业协商：http://127.0.0.1:8005/console/consultations/{cid} · "
        "小区出入管理：http://127.0.0.1:8005/console/compounds"
    )
