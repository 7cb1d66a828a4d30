"""`waystation demo`: the staff's and riders' journeys as sample tickets, filed over HTTP."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from shared.contracts.glossary import moved_words, term, written_date
from shared.contracts.glossary.times import SHANGHAI
from shared.platform.clock import utc_now
from waystation.demo_community import run_community
from waystation.demo_login import DEMO_PASSWORD, login
from waystation.training import ClockUnavailable, advance_all, clock_states, describe, settle

console = Console()

HAZARDS: list[dict[str, Any]] = [
    {  # J1
        "category": "manhole_cover",
        "latitude": 31.1552,
        "longitude": 121.1947,
        "description": "赵巷镇人行道上窨井盖缺失，送餐经过时差点踩空，很危险。",
        "address": "赵巷镇嘉松中路人行道",
        "reporter": {"name": "吴师傅", "phone": "13812345678", "email": "wu.rider@example.com"},
    },
    {  # J2, first report
        "category": "fire_lane_blocked",
        "latitude": 31.1801,
        "longitude": 121.2702,
        "description": "徐泾镇某小区消防通道被私家车堵死，电动车也过不去。",
        "address": "徐泾镇明珠路小区北门",
        "reporter": {"name": "赵骑手", "phone": "13900001111", "email": "zhao.rider@example.com"},
    },
    {  # J2, second report ten minutes later, 80 m away
        "category": "fire_lane_blocked",
        "latitude": 31.1808,
        "longitude": 121.2704,
        "description": "小区消防通道堵塞，车辆长期占用。",
        "address": "徐泾镇明珠路小区",
        "reporter": {"name": "钱骑手", "phone": "13700002222"},
    },
    {  # J3
        "category": "compound_access",
        "latitude": 31.2405,
        "longitude": 121.2101,
        "description": "华新镇某小区门岗午餐时段不让外卖骑手进入，只能让顾客下楼自取。",
        "reporter": {"name": "孙骑手", "phone": "13600003333"},
    },
    {
        "category": "traffic_signal",
        "latitude": 31.1598,
        "longitude": 121.1223,
        "description": "盈浦街道路口红绿灯不亮，早高峰非常危险。",
        "reporter": {"name": "周司机", "phone": "13500004444", "email": "zhou.driver@example.com"},
    },
]

DISPUTES: list[dict[str, Any]] = [
    {  # J4
        "complainant": {"name": "李某", "phone": "13811112222", "email": "li.courier@example.com"},
        "respondents": [
            {"name": "沪青劳务外包有限公司", "org_code": "91310118HQLW00002A"},
            {"name": "速达快递有限公司", "org_code": "91310000SUDA00001X"},
        ],
        "dispute_type": "unpaid_wages",
        "dispute_arose_on": "2026-11-10",  # the October wages fell due and were not paid
        "claim": "支付2026年10月工资8600元",
        "claim_amount_yuan": 8600,
        "facts": "申请人在华新镇速达快递网点从事派件工作，由外包公司管理，10月工资至今未发放。",
        "desired_outcome": "一次性支付拖欠工资",
        "workplace_address": "青浦区华新镇华腾路速达快递网点",
        "oral_application": {"confirmed_by_applicant": True, "read_back_by": "officer-huaxin-01"},
    },
    {  # J5
        "complainant": {"name": "王某", "phone": "13822223333", "email": "wang.rider@example.com"},
        "respondents": [{"name": "快送平台青浦区域合作商", "org_code": "91310118KSPT00003B"}],
        "dispute_type": "penalty_deduction",
        "dispute_arose_on": "2026-11-20",  # the last deduction
        "claim": "退还超时罚款扣款1200元",
        "claim_amount_yuan": 1200,
        "facts": "平台以超时为由多次扣款，申请人认为扣款规则未经公示。",
        "platform_worker": True,
        "latitude": 31.1598,  # a map pick: 盈浦街道
        "longitude": 121.1223,
    },
]


def demo_id_number(n: int) -> str:
    """A fictional resident ID number with a valid check digit (GB 11643)."""
    first17 = f"31011819950505{n:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def courier(n: int) -> dict[str, Any]:
    """J6: one of the couriers of the 华新镇 station; 0, 4 and 8 are their representatives."""
    return {
        "name": f"快递员{'赵钱孙李周吴郑王冯陈褚卫蒋'[n]}某",
        "phone": f"1360000{n:04d}",
        "email": f"courier{n:02d}.huaxin@example.com",
        "id_number": demo_id_number(n),
        "claim_amount_yuan": 2400 + 150 * n,
        "representative": n in (0, 4, 8),
    }


GROUP: dict[str, Any] = {  # J6: twelve couriers, one claim; a thirteenth joins a week later
    "members": [courier(n) for n in range(12)],
    "respondents": [
        {"name": "沪青劳务外包有限公司", "org_code": "91310118HQLW00002A"},
        {"name": "速达快递有限公司", "org_code": "91310000SUDA00001X"},
    ],
    "dispute_type": "overtime_pay",
    "dispute_arose_on": "2026-11-15",  # the October overtime pay fell due
    "claim": "支付2026年10月加班费",
    "facts": "华新镇速达快递网点十二名快递员10月延长工作时间，加班费未发放。",
    "desired_outcome": "按每人加班时长支付加班费",
    "workplace_address": "青浦区华新镇华腾路速达快递网点",
}


async def _wait_ready(client: httpx.AsyncClient, urls: list[str]) -> None:
    for _ in range(120):
        try:
            codes = [(await client.get(f"{u}/readyz")).status_code for u in urls]
            if all(code == 200 for code in codes):
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.5)
    raise SystemExit("services are not ready: is `waystation run` up?")


async def _until(client: httpx.AsyncClient, url: str, key: str, wanted: set[Any]) -> dict[str, Any]:
    for _ in range(120):
        response = await client.get(url)
        if response.status_code == 200 and response.json().get(key) in wanted:
            return response.json()  # type: ignore[no-any-return]
        await asyncio.sleep(0.5)
    raise SystemExit(f"timed out waiting for {url} to reach {wanted}")


async def _system_today(client: httpx.AsyncClient, intake: str) -> date:
    """The system's date: the training clock's when it runs (it may be days ahead)."""
    officer = await login(client, intake, "intake_officer", "officer-demo")
    answer = await client.get(f"{intake}/api/v1/admin/clock", headers=officer)
    if answer.status_code == 200:
        return date.fromisoformat(answer.json()["today"])
    return utc_now().astimezone().date()


async def run_demo(
    intake: str,
    mediation: str,
    dispatch: str,
    *,
    flow: bool,
    days: int = 0,
    notify: str = "http://127.0.0.1:8004",
) -> None:
    async with httpx.AsyncClient(timeout=15) as client:
        await _wait_ready(client, [intake, mediation, dispatch])
        today = await _system_today(client, intake)
        await _seat_legal_help(client, intake, mediation, today)
        client.headers.update(await login(client, intake, "intake_officer", "officer-demo"))
        filed: list[dict[str, Any]] = []
        with Progress(console=console) as progress:
            task = progress.add_task(
                "filing sample tickets", total=len(HAZARDS) + len(DISPUTES) + 1
            )
            for body in HAZARDS:
                filed.append(
                    (await client.post(f"{intake}/api/v1/hazards", json=body))
                    .raise_for_status()
                    .json()
                )
                progress.advance(task)
            for body in DISPUTES:
                filed.append(
                    (await client.post(f"{intake}/api/v1/disputes", json=body))
                    .raise_for_status()
                    .json()
                )
                progress.advance(task)
            group = (
                (await client.post(f"{intake}/api/v1/disputes", json=GROUP))
                .raise_for_status()
                .json()
            )
            filed.append(group)
            progress.advance(task)
        if flow:
            await _hazard_loop(client, intake, dispatch, filed[0])
            await _dispute_loop(client, intake, mediation, filed[len(HAZARDS)], today)
            await _accept(client, intake, mediation, filed[len(HAZARDS) + 1])
            await _group_loop(client, intake, mediation, group, today)
        await run_community(
            client, intake, mediation, dispatch, first_hazard=filed[0] if flow else None
        )
        await asyncio.sleep(1.5)
        table = Table("类型", "案件编号", "查询码", "状态", "标题", title="Waystation 演示工单")
        for item in filed:
            case = (await client.get(f"{intake}/api/v1/cases/{item['case_id']}")).json()
            table.add_row(
                "纠纷" if case["kind"] == "dispute" else "隐患",
                str(case["case_id"]),
                case["tracking_code"],
                term("state", case["status"]),
                case["title"],
            )
        console.print(table, soft_wrap=True)
        # Plain lines too: ids a person can copy whatever the terminal's width.
        console.print("案件编号与查询码 (case id, tracking code):")
        for item in filed:
            console.print(
                f"case {item['case_id']}  tracking {item['tracking_code']}", soft_wrap=True
            )
        await _console_users(client, intake, mediation)
        console.print(
            f"跟进工单：{intake}/track/<查询码>（报告人的页面），"
            "或 `waystation timeline <案件编号>`（本机管理员，或 --username）；工作人员控制台：http://127.0.0.1:8005/console"
            "（演示账号见 README）。\n"
            f"Follow any ticket: {intake}/track/<tracking code> (the reporter's page), "
            "or `waystation timeline <case id>` (this host's admin, or --username); the staff "
            "console: http://127.0.0.1:8005/console (demo users: see the README)."
        )
        if days > 0:
            urls = {"intake": intake, "mediation": mediation, "dispatch": dispatch}
            await _run_the_clock(client, urls | {"notify": notify}, filed[len(HAZARDS) + 1], days)


# Who a newcomer can be in the console (beside the roster's mediators): a role and its actor.
CONSOLE_ROLES = (
    ("committee", "committee-chair"),
    ("intake_officer", "officer-demo"),
    ("admin", "admin-demo"),
    ("department", "zhaoxiang-road"),
    ("department", "zhaoxiang-supervisor"),  # the town's supervisor, where tickets escalate
    # J3's compound (华新馨苑): its property office leads, its residents' committee supports.
    ("department", "huaxin-property"),
    ("department", "huaxin-rc-08"),
)


async def _console_users(client: httpx.AsyncClient, intake: str, mediation: str) -> None:
    """A demo user for every role of the console, every mediator of the roster included, and
    a table of their usernames (one password, development only)."""
    committee = await login(client, intake, "committee", "committee-chair")
    roster = (await client.get(f"{mediation}/api/v1/roster", headers=committee)).json()
    people = [*CONSOLE_ROLES, *(("mediator", m["mediator_id"]) for m in roster["mediators"])]
    table = Table(
        "用户名 username", "身份 role", "对应 who", title="控制台演示账号 Console demo users"
    )
    for role, actor_id in people:
        await login(client, intake, role, actor_id)
        who = term("mediator", actor_id) if role == "mediator" else actor_id
        table.add_row(f"demo-{role}-{actor_id}", term("role", role), who)
    console.print(table, soft_wrap=True)
    console.print(f"密码 password: {DEMO_PASSWORD}（仅限开发环境 development only）")


async def _run_the_clock(
    client: httpx.AsyncClient, urls: dict[str, str], j5: dict[str, Any], days: int
) -> None:
    """J5 on the training clock: a day at a time, what each day brought, to its end."""
    admin = await login(client, urls["intake"], "admin", "admin-demo")
    try:
        start = await clock_states(client, urls, admin)
    except ClockUnavailable as exc:
        raise SystemExit(str(exc)) from exc
    case_id = str(j5["case_id"])
    console.print(
        f"\n[bold]训练时钟 Training clock[/bold]：J5（{j5['tracking_code']}）从"
        f"{written_date(start['intake']['today'])}起，逐日拨快 {days} 天 / {days} days on"
    )
    await _to_morning(client, urls, admin, start["intake"]["now"])
    days = await _to_the_limit(client, urls["mediation"], admin, case_id, start, days)
    seen = len((await settle(client, urls["intake"], [case_id], admin))[case_id])
    for day in range(1, days + 1):
        try:
            states = await advance_all(client, urls, admin, {"days": 1})
        except ClockUnavailable as exc:
            raise SystemExit(str(exc)) from exc
        timeline = (await settle(client, urls["intake"], [case_id], admin))[case_id]
        fresh, seen = timeline[seen:], len(timeline)
        today = written_date(states["intake"]["today"])
        console.print(f"[bold]第{day}天[/bold]（{today}）" + ("" if fresh else "：无新进展"))
        for entry in fresh:
            console.print(f"    {describe(entry)}", soft_wrap=True)
    case = (await client.get(f"{urls['intake']}/api/v1/cases/{case_id}", headers=admin)).json()
    console.print(
        f"J5 现在的状态 now：[bold]{term('state', case['status'])}[/bold]"
        f"（{case['status']}）；通知见 data/sinks/mail.jsonl"
    )


async def _to_the_limit(
    client: httpx.AsyncClient,
    mediation: str,
    admin: dict[str, str],
    case_id: str,
    start: dict[str, dict[str, Any]],
    days: int,
) -> int:
    """J5's mediation limit, said; when its last day is a rest day or a holiday it ends on the
    next working day (Civil Code art. 203), so "16 days: to its expiry" runs on to that end."""
    answer = await client.get(f"{mediation}/api/v1/disputes/{case_id}", headers=admin)
    if answer.status_code != 200:
        return days
    limit = next((c for c in answer.json()["clocks"] if c["clock"] == "mediation_limit"), None)
    if not limit or not limit.get("due_on"):
        return days
    due, note = limit["due_on"], ""
    if limit.get("moved_because"):
        note = "，" + moved_words(due, limit.get("nominal_due_on"), limit["moved_because"])
    console.print(f"J5 调解期限至{written_date(due)}{note} / the mediation limit ends on {due}")
    runs_out = (date.fromisoformat(due) - date.fromisoformat(start["intake"]["today"])).days + 1
    if days >= 16 and runs_out > days:
        console.print(f"（演示延长至第{runs_out}天 / run on to day {runs_out}）")
        return runs_out
    return days


async def _to_morning(
    client: httpx.AsyncClient, urls: dict[str, str], admin: dict[str, str], now: str
) -> None:
    """Start the days at 10:00: the warnings go out at 09:00, so each day shows its own."""
    local = datetime.fromisoformat(now).astimezone(SHANGHAI)
    short = 10 * 60 - (local.hour * 60 + local.minute)
    if short > 0:
        await advance_all(client, urls, admin, {"hours": short // 60, "minutes": short % 60})
        console.print("（先拨到当天上午10点 / first to 10:00 today）")


async def _seat_legal_help(
    client: httpx.AsyncClient, intake: str, mediation: str, today: date
) -> None:
    """J13: the judicial office sits at the truckers' station on Tuesdays and Thursdays, 9–17
    (once: a demo run again finds the shift in the roster)."""
    committee = await login(client, intake, "committee", "committee-chair")
    roster = (await client.get(f"{mediation}/api/v1/roster", headers=committee)).json()
    if any(s.get("station_id") == "huaxin-kayou" for s in roster.get("shifts", [])):
        return
    shift = {
        "body_id": "huaxin-judicial",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=90)).isoformat(),
        "station_id": "huaxin-kayou",
        "weekdays": [2, 4],
        "from_time": "09:00",
        "to_time": "17:00",
        "note": "三所联动：司法所每周二、四在华新镇卡友驿站值班",
    }
    added = await client.post(f"{mediation}/api/v1/roster/shifts", json=shift, headers=committee)
    added.raise_for_status()


async def _hazard_loop(
    client: httpx.AsyncClient, intake: str, dispatch: str, ticket: dict[str, Any]
) -> None:
    """J1: the road office acknowledges and resolves; 吴师傅 confirms the fix."""
    hazard = await _until(
        client, f"{dispatch}/api/v1/hazards/{ticket['case_id']}", "state", {"dispatched"}
    )
    dept = await login(client, intake, "department", hazard["department_id"])
    base = f"{dispatch}/api/v1/hazards/{ticket['case_id']}"
    (await client.post(f"{base}/acknowledge", headers=dept)).raise_for_status()
    (
        await client.post(
            f"{base}/resolve", headers=dept, json={"note": "已补装新井盖并设置警示标志"}
        )
    ).raise_for_status()
    await _until(client, f"{intake}/track/{ticket['tracking_code']}", "status", {"resolved"})
    (
        await client.post(
            f"{intake}/track/{ticket['tracking_code']}/answer",
            json={"fixed": True, "note": "修好了，谢谢！"},
        )
    ).raise_for_status()


async def _accept(
    client: httpx.AsyncClient, intake: str, mediation: str, ticket: dict[str, Any]
) -> None:
    """J5: the committee accepts the platform dispute; its 15-day limit starts."""
    url = f"{mediation}/api/v1/disputes/{ticket['case_id']}"
    await _until(client, url, "state", {"acceptance_review"})
    committee = await login(client, intake, "committee", "committee-chair")
    (await client.post(f"{url}/accept", headers=committee)).raise_for_status()


async def _dispute_loop(
    client: httpx.AsyncClient, intake: str, mediation: str, ticket: dict[str, Any], today: date
) -> None:
    """J4: the committee accepts; the assigned mediator mediates; an agreement is signed,
    performed and closed."""
    url = f"{mediation}/api/v1/disputes/{ticket['case_id']}"
    await _until(client, url, "state", {"acceptance_review"})
    committee = await login(client, intake, "committee", "committee-chair")
    dispute = (await client.post(f"{url}/accept", headers=committee)).raise_for_status().json()
    who = await login(client, intake, "mediator", dispute["mediator_id"])
    (await client.post(f"{url}/start", headers=who)).raise_for_status()
    agreement = {
        "facts": "申请人2026年10月工资8600元未发放；被申请人确认欠付，应承担支付责任。",
        "terms": "被申请人沪青劳务外包有限公司向申请人支付2026年10月工资8600元。",
        "performance_manner": "银行转账",
        "performance_deadline": (today + timedelta(days=10)).isoformat(),
        "signed_by_complainant": True,
        "signed_by_respondent": True,
        "signed_by_mediator": True,
        "sealed_by_committee": True,
    }
    (await client.post(f"{url}/agreement", headers=who, json=agreement)).raise_for_status()
    (
        await client.post(
            f"{url}/performance", headers=who, json={"performed": True, "note": "已全额转账"}
        )
    ).raise_for_status()
    (await client.post(f"{url}/close", headers=who)).raise_for_status()


async def _group_loop(
    client: httpx.AsyncClient, intake: str, mediation: str, ticket: dict[str, Any], today: date
) -> None:
    """J6: a thirteenth courier joins; one session for all, one agreement with each member's
    amount and date; the firm pays member by member. One payment is not in yet: it can be
    recorded as not paid only once its day has passed (time order, #19), so it stays open."""
    url = f"{mediation}/api/v1/disputes/{ticket['case_id']}"
    await _until(client, url, "group_size", {12})
    joined = await client.post(
        f"{intake}/api/v1/disputes/{ticket['case_id']}/members",
        json={"members": [courier(12) | {"representative": False}]},
    )
    joined.raise_for_status()
    group = await _until(client, url, "group_size", {13})
    committee = await login(client, intake, "committee", "committee-chair")
    dispute = (await client.post(f"{url}/accept", headers=committee)).raise_for_status().json()
    who = await login(client, intake, "mediator", dispute["mediator_id"])
    (await client.post(f"{url}/start", headers=who)).raise_for_status()
    soon = today + timedelta(days=3)
    session = {"starts_at": f"{soon.isoformat()}T01:30:00+00:00", "online": True}
    (await client.post(f"{url}/sessions", headers=who, json=session)).raise_for_status()
    due = (today + timedelta(days=14)).isoformat()
    agreement = {
        "facts": "十三名快递员2026年10月加班费未发放；被申请人确认欠付。",
        "terms": "被申请人沪青劳务外包有限公司按附表向每名成员支付加班费。",
        "performance_manner": "银行转账至成员本人账户",
        "performance_deadline": due,
        "signed_by_complainant": True,
        "signed_by_respondent": True,
        "signed_by_mediator": True,
        "sealed_by_committee": True,
        "schedule": [
            {"case_id": m["case_id"], "amount_yuan": m["claim_amount_yuan"] or 0, "due_on": due}
            for m in group["members"]
        ],
    }
    (await client.post(f"{url}/agreement", headers=who, json=agreement)).raise_for_status()
    for n, member in enumerate(group["members"]):
        if n == 7:  # not in yet; "not paid" only after its day
            continue
        body = {"performed": True, "note": "已转账"}
        answer = await client.post(
            f"{url}/members/{member['case_id']}/performance", headers=who, json=body
        )
        answer.raise_for_status()
