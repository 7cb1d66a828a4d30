"""Who sees what (#18), end to end: four processes, real Redis and databases, real SMTP, a real
SMS gateway (the webhook sink) and the command line.

- nothing personal comes back from a public surface (/track, Open311 requests, status notes,
  servicerequestupdates) nor from a message to a rider, whatever the rider, the department or
  dispatch wrote;
- the supervisor a hazard escalates to reads it, queues it and presses the department;
- the assigned mediator, and one the committee grants, read the dispute in full at intake;
- a follower of a merged duplicate follows with its own tracking code;
- a rider is one party: points add up over reports with one phone; the rider signs in with a
  one-time code sent by SMS and sees their reports and points;
- a rider without e-mail is texted (phone resolved at send time); the CLI signs in; the demo
  prints case ids and tracking codes.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.auth import OFFICER, auth_headers
from tests.e2e.harness import SERVICES, Sinks, System
from tests.infra import create_database, private_redis
from tests.pii_corpus import corpus_notes, leaks
from tests.polling import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ADMIN = auth_headers("admin", "admin-1")
COMMITTEE = auth_headers("committee", "chair")
NOTES = corpus_notes()
_SPOTS = iter(range(1, 60))


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def system(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    pg_admin_url: str,
    sinks: Sinks,
) -> Iterator[System]:
    """The harness's system, with an SMS gateway (the webhook sink) and notify's intake key."""
    folder: Path = tmp_path_factory.mktemp(f"who-{request.param}")
    if request.param == "postgresql":
        databases = {name: create_database(pg_admin_url) for name in SERVICES}
    else:
        databases = {
            name: f"sqlite+aiosqlite:///{folder / 'data' / f'{name}.db'}" for name in SERVICES
        }
    with private_redis(folder / "redis", aof=True) as (redis_url, _proc):
        sut = System(folder, redis_url, databases, sinks)
        (folder / "data").mkdir(parents=True, exist_ok=True)  # intake's SQLite file goes here
        made = subprocess.run(
            [sys.executable, "-m", "waystation.cli", "apikey", "create"]
            + ["--name", "notify", "--service", "notify"],
            env=sut.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert made.returncode == 0, made.stdout + made.stderr[-3000:]
        key = made.stdout.strip().splitlines()[-1]
        sut.env |= {
            "NOTIFY_SMS_GATEWAY_URL": f"json://127.0.0.1:{sinks.webhook_port}/sms?:to={{phone}}",
            "NOTIFY_INTAKE_URL": sut.url("intake"),
            "NOTIFY_INTAKE_CLIENT_SECRET": key,
            "INTAKE_SMS_NOTICES": "true",
            "DISPATCH_TIMER_POLL_INTERVAL": "0.5",
        }
        try:
            sut.start_all()
            yield sut
        finally:
            sut.stop_all()


def _get(url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.get(url, headers=OFFICER if headers is None else headers, timeout=10)


def _post(url: str, headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
    return httpx.post(url, headers=OFFICER if headers is None else headers, timeout=10, **kw)


def _spot() -> tuple[float, float]:
    """A place in 赵巷镇 of its own (~390 m apart: no accidental merges)."""
    n = next(_SPOTS)
    return 31.1300 + 0.0035 * (n % 12), 121.1800 + 0.004 * (n // 12)


def _open311(system: System, key: str, **fields: str) -> dict[str, str]:
    lat, lng = _spot()
    form = {
        "api_key": key,
        "service_code": "manhole_cover",
        "lat": str(lat),
        "long": str(lng),
        "description": "人行道上窨井盖缺失",
        "attribute[severity]": "danger",
    } | fields
    posted = _post(f"{system.url('intake')}/open311/v2/requests.json", headers={}, data=form)
    assert posted.status_code == 201, posted.text
    notice = posted.json()[0]["service_notice"]
    code = notice.split("查询码 ")[1][:9]
    token = posted.json()[0]["token"]

    def resolved() -> str | None:
        found = _get(f"{system.url('intake')}/open311/v2/tokens/{token}.json", headers={})
        return found.json()[0]["service_request_id"] if found.status_code == 200 else None

    return {"case_id": eventually(resolved), "code": code, "notice": notice}


def _apikey(system: System, name: str) -> str:
    made = subprocess.run(
        [sys.executable, "-m", "waystation.cli", "apikey", "create", "--name", name],
        env=system.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stdout + made.stderr[-3000:]
    return made.stdout.strip().splitlines()[-1]


def _dispatched(system: System, case_id: str) -> dict[str, Any]:
    url = f"{system.url('dispatch')}/api/v1/hazards/{case_id}"

    def ready() -> dict[str, Any] | None:
        answer = _get(url)
        found = answer.json() if answer.status_code == 200 else {}
        return found if found.get("department_id") else None

    return eventually(ready)


def _close_the_loop(system: System, case_id: str, code: str, note: str = "已处理") -> None:
    hazard = _dispatched(system, case_id)
    url = f"{system.url('dispatch')}/api/v1/hazards/{case_id}"
    dept = auth_headers("department", hazard["department_id"])
    assert _post(f"{url}/acknowledge", headers=dept).status_code == 200
    assert _post(f"{url}/resolve", headers=dept, json={"note": note}).status_code == 200
    track = f"{system.url('intake')}/track/{code}"
    eventually(lambda: _get(track, headers={}).json()["status"] == "resolved")
    answered = _post(f"{track}/answer", headers={}, json={"fixed": True, "note": "修好了"})
    assert answered.status_code == 200, answered.text


def test_nothing_personal_comes_back_from_a_public_surface_or_a_riders_message(
    system: System, sinks: Sinks
):
    key = _apikey(system, f"rider-app-{uuid.uuid4().hex[:6]}")
    email = f"masked-{uuid.uuid4().hex[:8]}@example.com"
    filed = _open311(system, key, description=NOTES[0], address_string=NOTES[1], email=email)
    case_id, code = filed["case_id"], filed["code"]
    hazard = _dispatched(system, case_id)
    url = f"{system.url('dispatch')}/api/v1/hazards/{case_id}"
    dept = auth_headers("department", hazard["department_id"])
    assert _post(f"{url}/acknowledge", headers=dept).status_code == 200
    for note in NOTES:
        assert _post(f"{url}/progress", headers=dept, json={"note": note}).status_code == 200
    assert _post(f"{url}/resolve", headers=dept, json={"note": NOTES[2]}).status_code == 200
    track = f"{system.url('intake')}/track/{code}"
    eventually(lambda: _get(track, headers={}).json()["status"] == "resolved")
    # The report: the rider answers "修好了吗？" with their numbers in the note.
    answered = _post(f"{track}/answer", headers={}, json={"fixed": False, "note": NOTES[3]})
    assert answered.status_code == 200
    eventually(
        lambda: (
            "hazard.reopened"
            in [t["event_type"] for t in _get(track, headers={}).json()["timeline"]]
        )
    )

    intake = system.url("intake")
    public = [
        f"/track/{code}",
        f"/track/{code}?format=html",
        f"/track/{code}?format=html&lang=en",
        f"/open311/v2/requests/{case_id}.json",
        f"/open311/v2/requests/{case_id}.xml",
        f"/open311/v2/requests.json?service_request_id={case_id}",
        "/open311/v2/servicerequestupdates.json",
        "/open311/v2/servicerequestupdates.xml",
    ]
    for path in public:
        answer = _get(f"{intake}{path}", headers={})
        assert answer.status_code == 200, path
        assert leaks(answer.text) == [], path
    updates = _get(f"{intake}/open311/v2/servicerequestupdates.json", headers={}).json()
    mine = [u for u in updates if u["service_request_id"] == case_id]
    assert any("****" in u["description"] for u in mine)  # shown, masked

    # The rider's own mails (progress notes, "is it fixed?") carry the notes masked too.
    def progress_mails() -> list[Any] | None:
        mails = sinks.mails_to(email)
        return mails if sum("进展" in m.subject for m in mails) >= len(NOTES) else None

    for mail in eventually(progress_mails):
        assert leaks(mail.subject + mail.body) == [], mail.subject
    # Staff keep the original.
    staff = _get(f"{intake}/api/v1/cases/{case_id}").json()
    assert leaks(staff["description"])


def test_the_supervisor_of_an_escalated_hazard_reads_queues_and_presses_it(
    system: System, sinks: Sinks
):
    # compound_access: acknowledge within 3.6 s, so the target passes during the test.
    target = {"acknowledge_hours": 0.001, "resolve_days": 7, "points": 10}
    put = httpx.put(
        f"{system.url('dispatch')}/api/v1/directory/categories/compound_access",
        json=target,
        headers=ADMIN,
        timeout=10,
    )
    assert put.status_code == 200, put.text
    lat, lng = _spot()
    body = {
        "category": "compound_access",
        "latitude": lat,
        "longitude": lng,
        "description": "小区保安不让骑手进入送餐",
        "reporter": {"name": "吴师傅", "phone": "13812345678"},
    }
    filed = _post(f"{system.url('intake')}/api/v1/hazards", json=body)
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["case_id"]
    hazard = _dispatched(system, case_id)
    supervisor = auth_headers("department", "zhaoxiang-supervisor")
    url = f"{system.url('dispatch')}/api/v1/hazards/{case_id}"

    def queued() -> list[Any] | None:
        rows = _get(f"{system.url('dispatch')}/api/v1/supervision", headers=supervisor).json()
        return [r for r in rows if r["case_id"] == case_id] or None

    [row] = eventually(queued, timeout=60)
    assert row["escalation_level"] == 1 and row["department_id"] == hazard["department_id"]
    assert _get(url, headers=supervisor).status_code == 200
    case_url = f"{system.url('intake')}/api/v1/cases/{case_id}"
    eventually(lambda: _get(case_url, headers=supervisor).status_code == 200)
    stranger = auth_headers("department", "xujing-supervisor")
    assert _get(url, headers=stranger).status_code == 403
    assert _get(case_url, headers=stranger).status_code == 403

    urged = _post(f"{url}/urge", headers=supervisor, json={"note": "请今天内处理"})
    assert urged.status_code == 200, urged.text
    told = eventually(
        lambda: [
            h
            for h in sinks.hooks_at(f"/departments/{hazard['department_id']}")
            if h.body.get("case_id") == case_id and h.body.get("event") == "hazard.urged"
        ]
    )
    assert "请今天内处理" in told[0].body["message"]


def test_the_assigned_and_a_granted_mediator_read_the_dispute_in_full(system: System):
    email = f"li-{uuid.uuid4().hex[:8]}@example.com"
    body = {
        "complainant": {"name": "李某", "phone": "13811112222", "email": email},
        "respondents": [{"name": "沪青劳务外包有限公司", "org_code": "91310118HQLW00002A"}],
        "dispute_type": "unpaid_wages",
        "dispute_arose_on": "2026-11-02",
        "claim": "支付10月工资8600元",
        "desired_outcome": "一次性付清",
        "facts": "10月工资未发放",
    }
    filed = _post(f"{system.url('intake')}/api/v1/disputes", json=body)
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["case_id"]
    url = f"{system.url('mediation')}/api/v1/disputes/{case_id}"
    eventually(lambda: _get(url, headers=COMMITTEE).status_code == 200)
    accepted = _post(f"{url}/accept", headers=COMMITTEE)
    assert accepted.status_code == 200, accepted.text
    dispute = accepted.json()
    assert dispute["complainant_name"] == "李某"
    mediator = auth_headers("mediator", dispute["mediator_id"])
    case_url = f"{system.url('intake')}/api/v1/cases/{case_id}"

    def full() -> dict[str, Any] | None:
        answer = _get(case_url, headers=mediator)
        return answer.json() if answer.status_code == 200 else None

    case = eventually(full)
    complainant = next(p for p in case["parties"] if p["role"] == "complainant")
    assert complainant["phone"] == "13811112222" and complainant["email"] == email
    assert case["details"]["claim"] == "支付10月工资8600元"
    assert case["details"]["desired_outcome"] == "一次性付清"
    assert case["description"] == "10月工资未发放"

    roster = _get(f"{system.url('mediation')}/api/v1/roster", headers=COMMITTEE).json()
    ids = [m["mediator_id"] for m in roster["mediators"]]
    other_id = next(m for m in ids if m != dispute["mediator_id"])
    other = auth_headers("mediator", other_id)
    assert _get(case_url, headers=other).status_code == 403
    granted = _post(f"{url}/grants", headers=COMMITTEE, json={"mediator_id": other_id})
    assert granted.status_code == 201, granted.text
    shown = _get(case_url, headers=other)
    assert shown.status_code == 200
    assert "11010519491231002X" not in shown.text


def test_a_follower_follows_with_its_own_tracking_code(system: System, sinks: Sinks):
    lat, lng = _spot()
    first_mail = f"first-{uuid.uuid4().hex[:8]}@example.com"
    second_mail = f"second-{uuid.uuid4().hex[:8]}@example.com"
    codes = []
    for email in (first_mail, second_mail):
        body = {
            "category": "manhole_cover",
            "latitude": lat,
            "longitude": lng,
            "description": "井盖缺失",
            "reporter": {"name": "吴师傅", "email": email},
        }
        filed = _post(f"{system.url('intake')}/api/v1/hazards", json=body)
        assert filed.status_code == 201, filed.text
        codes.append(filed.json())
    original, follower = codes
    assert follower["duplicate_of"] == original["case_id"]
    assert follower["tracking_code"] != original["tracking_code"]

    def merged_mail() -> list[Any] | None:
        mails = [m for m in sinks.mails_to(second_mail) if "并入" in m.subject]
        return mails or None

    for mail in eventually(merged_mail):
        assert original["tracking_code"] not in mail.body
        assert f"/track/{follower['tracking_code']}" in mail.body
    page = _get(f"{system.url('intake')}/track/{follower['tracking_code']}", headers={})
    assert page.json()["merged"] is True and original["tracking_code"] not in page.text

    # The original is fixed and its reporter earns points: the follower sees the fix, never the
    # other rider's points or balance.
    _close_the_loop(system, original["case_id"], original["tracking_code"])
    first = f"{system.url('intake')}/track/{original['tracking_code']}"
    eventually(lambda: _get(first, headers={}).json()["points"] > 0)
    assert "积分" in _get(first, headers={}).text
    followed = _get(f"{system.url('intake')}/track/{follower['tracking_code']}", headers={})
    assert followed.json()["status"] == "closed" and followed.json()["points"] == 0
    assert "积分" not in followed.text


def test_a_rider_is_one_party_texted_without_email_and_signs_in_with_an_sms_code(
    system: System, sinks: Sinks
):
    key = _apikey(system, f"rider-app-{uuid.uuid4().hex[:6]}")
    digits = f"139{uuid.uuid4().int % 10**8:08d}"
    spaced = f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"
    first = _open311(system, key, phone=digits)
    second = _open311(system, key, phone=spaced)
    assert "短信" in first["notice"]  # the gateway is configured: filings promise an SMS

    # Without e-mail the rider is texted; the gateway got the number, notify kept it masked.
    def texted() -> list[Any] | None:
        return [h for h in sinks.hooks_at("/sms") if h.body.get("to") in (digits, spaced)] or None

    assert any("查询码" in h.body["message"] for h in eventually(texted))
    deliveries = _get(f"{system.url('notify')}/api/v1/cases/{first['case_id']}/deliveries")
    assert digits not in deliveries.text

    for ticket in (first, second):
        _close_the_loop(system, ticket["case_id"], ticket["code"])
    track = f"{system.url('intake')}/track/{first['code']}"
    eventually(lambda: _get(track, headers={}).json()["points"] == 40, timeout=60)

    asked = _post(f"{system.url('intake')}/api/v1/rider/code", headers={}, json={"phone": spaced})
    assert asked.status_code == 202

    def code_sms() -> str | None:
        for hook in sinks.hooks_at("/sms"):
            found = re.search(r"验证码 (\d{6})", hook.body.get("title", ""))
            if found and hook.body.get("to") in (digits, spaced):
                return found.group(1)
        return None

    code = eventually(code_sms)
    signed = _post(
        f"{system.url('intake')}/api/v1/rider/login",
        headers={},
        json={"phone": digits, "code": code},
    )
    assert signed.status_code == 200, signed.text
    me = _get(
        f"{system.url('intake')}/api/v1/rider/me",
        headers={"Authorization": f"Bearer {signed.json()['access_token']}"},
    ).json()
    assert me["points"] == 40
    assert {r["tracking_code"] for r in me["reports"]} == {first["code"], second["code"]}
    points = _get(
        f"{system.url('dispatch')}/api/v1/reporters/{me['party_id']}/points",
        headers={"Authorization": f"Bearer {signed.json()['access_token']}"},
    )
    assert points.status_code == 200 and points.json()["balance"] == 40


def test_the_cli_signs_in_and_the_demo_prints_case_ids_and_tracking_codes(system: System):
    demo = subprocess.run(
        [sys.executable, "-m", "waystation.cli", "demo", "--no-flow"]
        + ["--intake-url", system.url("intake")]
        + ["--mediation-url", system.url("mediation")]
        + ["--dispatch-url", system.url("dispatch")],
        env=system.env | {"COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    pairs = re.findall(r"case ([0-9a-f-]{36})\s+tracking ([0-9A-Z]{4}-[0-9A-Z]{4})", demo.stdout)
    assert pairs, demo.stdout
    case_id = pairs[0][0]
    shown = subprocess.run(
        [sys.executable, "-m", "waystation.cli", "timeline", case_id]
        + ["--intake-url", system.url("intake")],
        env=system.env | {"COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "case.filed" in shown.stdout
