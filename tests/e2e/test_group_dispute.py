"""J6 end to end: twelve couriers file one group dispute, a thirteenth joins later; mediation
runs it as one dispute with one agreement and a line per member, performance member by member;
every member hears the acceptance and their own line by e-mail; the committee counts one group
dispute and thirteen workers. Four processes, real Redis and databases, a real SMTP sink."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from services.intake.domain.identity import check_digit
from tests.auth import OFFICER, auth_headers
from tests.e2e.harness import Sinks, System
from tests.polling import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
COMMITTEE = auth_headers("committee", "chair")


def _id_number(n: int) -> str:
    first17 = f"31011819850202{n:03d}"
    return first17 + check_digit(first17)


def _member(run: str, n: int, representative: bool = False) -> dict[str, Any]:
    return {
        "name": f"快递员{n:02d}",
        "phone": f"1370000{n:04d}",
        "email": f"courier-{run}-{n}@example.com",
        "id_number": _id_number(n),
        "claim_amount_yuan": 3000 + 100 * n,
        "representative": representative,
    }


def _post(url: str, headers: dict[str, str] = OFFICER, **kw: Any) -> httpx.Response:
    return httpx.post(url, timeout=30, headers=headers, **kw)


def _get(url: str, headers: dict[str, str] = OFFICER, **kw: Any) -> Any:
    response = httpx.get(url, timeout=30, headers=headers, **kw)
    return response.json() if response.status_code == 200 else None


def test_twelve_couriers_one_claim_from_filing_to_per_member_performance(
    system: System, sinks: Sinks
):
    run = uuid.uuid4().hex[:6]
    body = {
        "members": [_member(run, n, representative=n in (0, 4, 8)) for n in range(12)],
        "respondents": [
            {"name": "沪青劳务外包有限公司", "org_code": "91310118HQLW00002A"},
            {"name": "速达快递有限公司", "org_code": "91310000SUDA00001X"},
        ],
        "dispute_type": "overtime_pay",
        "dispute_arose_on": "2026-11-02",
        "claim": "支付2026年10月加班费",
        "facts": "华新镇速达快递网点十二名快递员10月加班费未发放。",
        "workplace_address": "青浦区华新镇华腾路速达快递网点",
    }
    filed = _post(f"{system.url('intake')}/api/v1/disputes", json=body)
    assert filed.status_code == 201, filed.text
    parent_id = filed.json()["case_id"]
    assert filed.json()["jurisdiction"] == "huaxin"
    url = f"{system.url('mediation')}/api/v1/disputes/{parent_id}"

    def group_of(size: int) -> Any:
        def check() -> Any:
            found = _get(url, COMMITTEE)
            return found if found and found.get("group_size") == size else None

        return check

    eventually(group_of(12), timeout=60)
    accepted = _post(f"{url}/accept", COMMITTEE)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["town"] == "huaxin"
    mediator = auth_headers("mediator", accepted.json()["mediator_id"])
    assert _post(f"{url}/start", mediator).status_code == 200
    session = _post(
        f"{url}/sessions",
        mediator,
        json={"starts_at": f"{date.today() + timedelta(days=2)}T02:00:00+00:00", "online": True},
    )
    assert session.status_code in (200, 201), session.text
    assert len(session.json()["attendees"]) >= 3  # the three representatives, and the rest

    later = _post(
        f"{system.url('intake')}/api/v1/disputes/{parent_id}/members",
        json={"members": [_member(run, 12)]},
    )
    assert later.status_code == 201, later.text
    group = eventually(group_of(13), timeout=60)
    members = {m["complainant_name"]: m["case_id"] for m in group["members"]}
    due = (date.today() + timedelta(days=10)).isoformat()
    schedule = [
        {"case_id": members[f"快递员{n:02d}"], "amount_yuan": 3000 + 100 * n, "due_on": due}
        for n in range(13)
    ]
    signed = _post(
        f"{url}/agreement",
        mediator,
        json={
            "facts": "十三名快递员10月加班费未发放，被申请人确认欠付。",
            "terms": "被申请人按附表向每名成员支付加班费。",
            "performance_manner": "银行转账",
            "performance_deadline": due,
            "signed_by_complainant": True,
            "signed_by_respondent": True,
            "signed_by_mediator": True,
            "sealed_by_committee": True,
            "schedule": schedule,
        },
    )
    assert signed.status_code == 200, signed.text
    for n in range(13):
        performed = _post(
            f"{url}/members/{members[f'快递员{n:02d}']}/performance",
            mediator,
            json={"performed": n != 7, "note": "已转账" if n != 7 else "未到账"},
        )
        if n == 7:  # time order (#19): "not paid" only once the member's own day has passed
            assert performed.status_code == 409, performed.text
            assert "performance_deadline" in performed.text
            continue
        assert performed.status_code == 200, performed.text
    outcomes = {m["complainant_name"]: m["outcome"] for m in performed.json()["members"]}
    assert outcomes["快递员07"] is None
    assert sum(o == "performed" for o in outcomes.values()) == 12

    def everyone_told() -> Any:
        for n in range(13):
            subjects = [m.subject for m in sinks.mails_to(f"courier-{run}-{n}@example.com")]
            wanted = ["集体调解协议已生效"] + (["按协议支付"] if n != 7 else [])
            wanted += ["集体争议已受理"] if n < 12 else []
            if not all(any(w in s for s in subjects) for w in wanted):
                return None
        return True

    eventually(everyone_told, timeout=90)
    fifth = sinks.mails_to(f"courier-{run}-5@example.com")
    line = next(m for m in fifth if "集体调解协议已生效" in m.subject)
    written = f"{int(due[:4])}年{int(due[5:7])}月{int(due[8:])}日"  # as people write a day
    assert "3500.00 元" in line.body and written in line.body
    for mail in fifth:
        assert _id_number(5) not in mail.body and "13700000005" not in mail.body

    stats = _get(
        f"{system.url('mediation')}/api/v1/committee/statistics",
        COMMITTEE,
        params={"by": "dispute_type", "year": date.today().year},
    )
    overtime = next(r for r in stats["rows"] if r["key"] == "overtime_pay")
    assert (overtime["filed"], overtime["groups"], overtime["workers"]) == (1, 1, 13)
    track = httpx.get(
        f"{system.url('intake')}/track/{filed.json()['members'][5]['tracking_code']}",
        timeout=10,
    )
    assert _id_number(5) not in track.text
