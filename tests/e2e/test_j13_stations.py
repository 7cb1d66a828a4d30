"""J13 — where help sits today: a driver's dispute names the nearest station with legal help on
duty (on his tracking page and in his notice), the session is set at that station and every
party's invitation names it with its address; the committee's coverage shows a night-time hole
on a road in 练塘镇, and longer hours at a station there close it. Over the running services.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.auth import OFFICER, auth_headers
from tests.e2e.harness import Sinks, System
from tests.polling import eventually

COMMITTEE = auth_headers("committee", "chair")
ADMIN = auth_headers("admin", "admin")
KAYOU = "huaxin-kayou"  # 华新镇卡友驿站, in the demo register
NEAR_KAYOU = {"latitude": 31.2385, "longitude": 121.2178}  # about 1.1 km south of it
ROAD = (30.962, 121.200)  # a road in 练塘镇 no demo station reaches
WEEKDAYS = "一二三四五六日"


def _get(url: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
    answer = httpx.get(url, headers=headers or OFFICER, params=params, timeout=10)
    answer.raise_for_status()
    return answer.json()


def _post(url: str, headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
    return httpx.post(url, headers=headers or OFFICER, timeout=10, **kw)


def _today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _seat_the_judicial_office_at_the_truckers_station(system: System) -> None:
    # Every day, all day, so that it is on duty whenever the suite runs (J13: Tue/Thu 9–17).
    shift = {
        "body_id": "huaxin-judicial",
        "starts_on": _today().isoformat(),
        "ends_on": (_today() + timedelta(days=30)).isoformat(),
        "station_id": KAYOU,
        "from_time": "00:00",
        "to_time": "23:59",
    }
    added = _post(f"{system.url('mediation')}/api/v1/roster/shifts", COMMITTEE, json=shift)
    assert added.status_code == 200, added.text

    def on_the_station_page() -> bool:
        page = httpx.get(f"{system.url('dispatch')}/stations/{KAYOU}", timeout=10)
        return page.status_code == 200 and "华新镇司法所" in page.text

    eventually(on_the_station_page, timeout=60)


def _file_the_fare_dispute(system: System, email: str) -> tuple[str, str]:
    dispute = {
        "complainant": {"name": "周师傅", "phone": "13822223333", "email": email},
        "respondents": [
            {
                "name": "沪青劳务外包有限公司",
                "org_code": "91310118HQLW00002A",
                "email": f"hr-{email}",
            }
        ],
        "dispute_type": "penalty_deduction",
        "dispute_arose_on": "2026-11-02",
        "claim": "退还平台扣除的车费320元",
        "facts": "平台以绕路为由扣除车费，行程记录显示并未绕路。",
        "platform_worker": True,
        **NEAR_KAYOU,
    }
    filed = _post(f"{system.url('intake')}/api/v1/disputes", json=dispute)
    assert filed.status_code == 201, filed.text
    return filed.json()["case_id"], filed.json()["tracking_code"]


def test_j13_the_nearest_legal_help_the_session_at_the_station_and_the_coverage_hole(
    system: System, sinks: Sinks
):
    _seat_the_judicial_office_at_the_truckers_station(system)
    email = f"driver-{uuid.uuid4().hex[:8]}@example.com"
    case_id, code = _file_the_fare_dispute(system, email)

    # His tracking page and his notice name the station, how far, and that help is on duty.
    def tracked() -> str | None:
        page = httpx.get(
            f"{system.url('intake')}/track/{code}", params={"format": "html"}, timeout=10
        )
        return page.text if "华新镇卡友驿站" in page.text else None

    page = eventually(tracked, timeout=60)
    assert "就近的法律服务" in page and "步行约 14 分钟" in page and "电动车约 5 分钟" in page
    assert "司法所值班" in page
    notice = eventually(
        lambda: next((m for m in sinks.mails_to(email) if "法律服务" in m.subject), None),
        timeout=60,
    )
    assert "华新镇卡友驿站" in notice.body and "步行约 14 分钟" in notice.body

    # The session is set at the station: every party's invitation names it with its address.
    url = f"{system.url('mediation')}/api/v1/disputes/{case_id}"
    eventually(lambda: _get(url).get("state") == "acceptance_review", timeout=60)
    accepted = _post(f"{url}/accept", COMMITTEE)
    assert accepted.status_code == 200, accepted.text
    mediator = auth_headers("mediator", accepted.json()["mediator_id"])
    assert _post(f"{url}/start", mediator).status_code == 200
    starts = (datetime.now(ZoneInfo("UTC")) + timedelta(days=2)).replace(microsecond=0)
    session = {"starts_at": starts.isoformat(), "station_id": KAYOU}
    scheduled = _post(f"{url}/sessions", mediator, json=session)
    assert scheduled.status_code == 201, scheduled.text
    for address in (email, f"hr-{email}"):
        invitation = eventually(
            lambda a=address: next(
                (m for m in sinks.mails_to(a) if "调解会议安排" in m.subject), None
            ),
            timeout=60,
        )
        assert "地点：华新镇卡友驿站（华新镇" in invitation.body

    # That evening: reports on one road in 练塘镇 lie in no one's circle ...
    for n in range(3):
        hazard = {
            "category": "road_damage",
            "latitude": ROAD[0],
            "longitude": ROAD[1] + n * 0.002,
            "description": "练塘镇这条路夜里没有路灯，路面坑洼。",
            "reporter": {"name": "骑手", "phone": "13833334444"},
        }
        assert _post(f"{system.url('intake')}/api/v1/hazards", json=hazard).status_code == 201
    coverage = f"{system.url('dispatch')}/api/v1/stations/coverage"

    def liantang() -> dict[str, Any] | None:
        towns = _get(coverage, COMMITTEE)["towns"]
        town = next((t for t in towns if t["town"] == "liantang"), None)
        return town if town and town["reports"] >= 3 else None

    before = eventually(liantang, timeout=60)
    assert before["covered"] == 0 and before["town_name"] == "练塘镇"
    cells = _get(coverage, COMMITTEE)["uncovered"]["features"]
    assert sum(c["properties"]["count"] for c in cells) >= 3

    # ... a station there, open only on another day, does not change that; longer hours do.
    other_day = WEEKDAYS[(_today().weekday() + 3) % 7]
    station = {
        "name": f"练塘镇路边驿站{uuid.uuid4().hex[:4]}",
        "kind": "驿站",
        "town": "练塘镇",
        "address": "练塘镇某路1号",
        "latitude": ROAD[0] + 0.001,
        "longitude": ROAD[1] + 0.002,
        "opening_hours": f"周{other_day} 09:00-17:00",
        "facilities": ["热水", "充电"],
    }
    made = _post(f"{system.url('dispatch')}/api/v1/stations", ADMIN, json=station)
    assert made.status_code == 201, made.text
    assert eventually(liantang)["covered"] == 0
    longer = station | {"opening_hours": "24小时"}
    changed = httpx.put(
        f"{system.url('dispatch')}/api/v1/stations/{made.json()['station_id']}",
        headers=ADMIN,
        json=longer,
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    after = eventually(lambda: (t := liantang()) and t["covered"] >= 3 and t, timeout=30)
    assert after["covered"] == after["reports"]
