"""Intake's officer API and tracking over real HTTP: filing, idempotency, duplicates, split,
corrections, attachments and the reporter's page, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from services.intake.domain.geo import haversine_m
from shared.contracts.events.dispatch import HazardClosed, HazardResolved
from tests.auth import OFFICER, auth_headers
from tests.integration.intake_server import Intake
from tests.places import Spots
from tests.polling import eventually_async

pytestmark = pytest.mark.integration

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 4


_SPOTS = Spots(31.138, 121.168, rows=5, columns=6)  # inside 赵巷镇


def _spot() -> tuple[float, float]:
    """A fresh spot inside 赵巷镇 for each use (no duplicate merges)."""
    return _SPOTS.next()


def _hazard(lat: float, lng: float, category: str = "fire_lane_blocked", **extra: Any) -> dict:
    return {
        "category": category,
        "latitude": lat,
        "longitude": lng,
        "description": "小区消防通道被车辆堵塞",
        "reporter": {"name": "吴师傅", "phone": "13812345678", "email": "wu@example.com"},
    } | extra


def _dispute(**extra: Any) -> dict[str, Any]:
    return {
        "complainant": {"name": "李某", "phone": "13811112222"},
        "respondents": [
            {"name": "沪青劳务外包有限公司", "org_code": "91310118HQLW00002A"},
            {"name": "速达快递有限公司", "org_code": "91310000SUDA00001X"},
        ],
        "dispute_type": "unpaid_wages",
        "dispute_arose_on": "2026-11-02",
        "claim": "支付10月工资8600元",
        "facts": "10月工资未发放",
        "desired_outcome": "一次性付清",
        "oral_application": {"confirmed_by_applicant": True, "read_back_by": "officer-7"},
    } | extra


async def _post(intake: Intake, path: str, **kw: Any) -> httpx.Response:
    async with httpx.AsyncClient(headers=OFFICER) as client:
        return await client.post(f"{intake.url}{path}", **kw)


async def _get(intake: Intake, path: str, **kw: Any) -> httpx.Response:
    async with httpx.AsyncClient(headers=OFFICER) as client:
        return await client.get(f"{intake.url}{path}", **kw)


async def _events(intake: Intake, case_id: str, event_type: str) -> list[dict[str, Any]]:
    return [
        json.loads(e["body"])["payload"]
        for e in await intake.outbox(case_id)
        if e["event_type"] == event_type
    ]


async def test_an_oral_dispute_keeps_the_confirmation_and_the_servers_time(intake: Intake):
    filed = await _post(intake, "/api/v1/disputes", json=_dispute())
    assert filed.status_code == 201, filed.text
    case = (await _get(intake, f"/api/v1/cases/{filed.json()['case_id']}")).json()
    oral = case["details"]["oral_application"]
    assert oral["confirmed_by_applicant"] is True and oral["read_back_by"] == "officer-7"
    assert datetime.fromisoformat(oral["recorded_at"]) == intake.clock.now()
    assert [p["role"] for p in case["parties"]].count("respondent") == 2
    assert case["details"]["desired_outcome"] == "一次性付清"
    # The applicant's tracking page: no hazard reporter's points on a wage dispute.
    page = await _get(intake, f"/track/{filed.json()['tracking_code']}?format=html")
    assert page.status_code == 200 and "查询码" in page.text
    assert "贡献积分" not in page.text


async def test_cases_are_listed_by_respondent_and_date_with_a_cursor(intake: Intake):
    org = f"9131{uuid.uuid4().hex[:14].upper()}"
    respondent = {"name": f"测试物流{org[-4:]}有限公司", "org_code": org}
    for _ in range(3):
        response = await _post(intake, "/api/v1/disputes", json=_dispute(respondents=[respondent]))
        assert response.status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"respondent": org, "limit": 2, "kind": "dispute"}
        if cursor:
            params["cursor"] = cursor
        page = (await _get(intake, "/api/v1/cases", params=params)).json()
        seen += [c["case_id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 3
    by_name = await _get(intake, "/api/v1/cases", params={"respondent": respondent["name"]})
    assert len(by_name.json()["items"]) == 3
    later = (intake.clock.now() + timedelta(hours=1)).isoformat()
    none_yet = await _get(intake, "/api/v1/cases", params={"respondent": org, "filed_from": later})
    assert none_yet.json()["items"] == []
    naive = await _get(intake, "/api/v1/cases", params={"filed_from": "2026-01-01T00:00:00"})
    assert naive.status_code == 422


async def test_an_idempotency_key_never_files_a_second_hazard(intake: Intake):
    body = _hazard(*_spot(), category="road_damage")
    key = {"Idempotency-Key": f"officer-{uuid.uuid4()}"}
    first = await _post(intake, "/api/v1/hazards", json=body, headers=key)
    again = await _post(intake, "/api/v1/hazards", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    other = await _post(intake, "/api/v1/hazards", json=body | {"description": "别处"}, headers=key)
    assert other.status_code == 409
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    filed = await intake.outbox(first.json()["case_id"])
    assert [e["event_type"] for e in filed] == ["case.filed"]
    too_long = await _post(
        intake, "/api/v1/hazards", json=body, headers={"Idempotency-Key": "k" * 201}
    )
    assert too_long.status_code == 422


async def test_a_second_report_nearby_is_merged_and_its_reporter_follows(intake: Intake):
    lat, lng = _spot()
    original = (await _post(intake, "/api/v1/hazards", json=_hazard(lat, lng))).json()
    near = (lat + 0.0006, lng + 0.0002)  # about 70 m
    assert 50 < haversine_m(lat, lng, *near) < 100
    second = (
        await _post(intake, "/api/v1/hazards", json=_hazard(*near, reporter={"name": "张师傅"}))
    ).json()
    assert second["duplicate_of"] == original["case_id"]
    assert second["status"] == "duplicate"
    assert second["tracking_code"] != original["tracking_code"]

    [filed] = await _events(intake, second["case_id"], "case.filed")
    assert filed["duplicate_of"] == original["case_id"]
    [merged] = await _events(intake, original["case_id"], "case.merged")
    assert merged["duplicate_case_id"] == second["case_id"]
    assert merged["follower"]["role"] == "follower"
    assert merged["follower"]["display_name"] == "张师傅"
    assert 50 < merged["distance_m"] < 100
    case = (await _get(intake, f"/api/v1/cases/{original['case_id']}")).json()
    assert "follower" in [p["role"] for p in case["parties"]]
    assert "case.merged" in [t["event_type"] for t in case["timeline"]]

    far = (await _post(intake, "/api/v1/hazards", json=_hazard(lat + 0.004, lng))).json()
    assert far["duplicate_of"] is None  # about 450 m away
    other_kind = (
        await _post(intake, "/api/v1/hazards", json=_hazard(*near, category="road_damage"))
    ).json()
    assert other_kind["duplicate_of"] is None

    tracked = (await _get(intake, f"/track/{second['tracking_code']}")).json()
    assert tracked["merged"] is True
    assert "case.merged" in [t["event_type"] for t in tracked["timeline"]]


async def test_old_or_closed_hazards_do_not_swallow_new_reports(intake: Intake):
    lat, lng = _spot()
    old = (await _post(intake, "/api/v1/hazards", json=_hazard(lat, lng))).json()
    start = intake.clock.now()
    intake.clock.advance(timedelta(days=15))
    try:
        later = (await _post(intake, "/api/v1/hazards", json=_hazard(lat, lng))).json()
    finally:
        intake.clock.set(start)
    assert later["duplicate_of"] is None, "outside the 14-day window"

    lat2, lng2 = _spot()
    done = (await _post(intake, "/api/v1/hazards", json=_hazard(lat2, lng2))).json()
    await intake.dispatch_says(
        done["case_id"], "hazard.closed", HazardClosed(state="closed", resolution="fixed")
    )

    async def closed() -> bool:
        case = (await _get(intake, f"/api/v1/cases/{done['case_id']}")).json()
        return case["status"] == "closed"

    await eventually_async(closed)
    again = (await _post(intake, "/api/v1/hazards", json=_hazard(lat2, lng2))).json()
    assert again["duplicate_of"] is None
    assert old["case_id"] != later["case_id"]


async def test_an_officer_splits_a_wrong_merge(intake: Intake):
    lat, lng = _spot()
    original = (await _post(intake, "/api/v1/hazards", json=_hazard(lat, lng))).json()
    dup = (await _post(intake, "/api/v1/hazards", json=_hazard(lat, lng))).json()
    assert dup["duplicate_of"] == original["case_id"]

    dept = auth_headers("department", "zhaoxiang-road")
    path = f"/api/v1/cases/{dup['case_id']}/split"
    refused = await _post(intake, path, json={"reason": "不是同一处"}, headers=dept)
    assert refused.status_code == 403
    split = await _post(intake, path, json={"reason": "不是同一处"})
    assert split.status_code == 200, split.text
    assert split.json()["duplicate_of"] is None
    assert split.json()["details"]["split_reason"] == "不是同一处"
    [unmerged] = await _events(intake, dup["case_id"], "case.unmerged")
    assert unmerged["from_case_id"] == original["case_id"]
    roles = [
        p["role"]
        for p in (await _get(intake, f"/api/v1/cases/{original['case_id']}")).json()["parties"]
    ]
    assert "follower" not in roles
    again = await _post(intake, path, json={"reason": "再拆一次"})
    assert again.status_code == 409 and "not merged" in again.text
    assert (await _post(intake, path, json={})).status_code == 422


async def test_a_correction_retriages_and_lands_on_the_timeline(intake: Intake):
    filed = (
        await _post(intake, "/api/v1/hazards", json=_hazard(*_spot(), category="road_damage"))
    ).json()
    path = f"/api/v1/cases/{filed['case_id']}/correct"
    start = intake.clock.now()
    intake.clock.advance(timedelta(seconds=1))  # the correction comes after the filing
    try:
        moved = await _post(
            intake,
            path,
            json={
                "category": "manhole_cover",
                "latitude": 31.180,
                "longitude": 121.270,
                "reason": "报告人定位有误",
            },
        )
    finally:
        intake.clock.set(start)
    assert moved.status_code == 200, moved.text
    case = moved.json()
    assert case["category"] == "manhole_cover" and case["jurisdiction"] == "xujing"
    assert case["urgency"] == "high"
    assert "窨井盖" in case["title"] and "徐泾镇" in case["title"]
    assert case["timeline"][-1]["event_type"] == "case.corrected"
    [corrected] = await _events(intake, filed["case_id"], "case.corrected")
    assert corrected["previous_category"] == "road_damage"
    assert corrected["previous_jurisdiction"] == "zhaoxiang"
    assert corrected["jurisdiction"] == "xujing"
    assert corrected["location"] == {"lat": 31.18, "lng": 121.27}
    assert corrected["title"] == case["title"]  # dispatch re-dispatches under the new title

    outside = await _post(intake, path, json={"latitude": 39.9, "longitude": 116.4, "reason": "x"})
    assert outside.status_code == 400 and outside.json()["errors"][0]["field"] == "latitude"
    unknown = await _post(intake, path, json={"category": "volcano", "reason": "x"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "category"
    half = await _post(intake, path, json={"latitude": 31.1, "reason": "x"})
    assert half.status_code == 422
    missing = await _post(
        intake, f"/api/v1/cases/{uuid.uuid4()}/correct", json={"category": "other", "reason": "x"}
    )
    assert missing.status_code == 404

    dispute = (await _post(intake, "/api/v1/disputes", json=_dispute())).json()
    retyped = await _post(
        intake,
        f"/api/v1/cases/{dispute['case_id']}/correct",
        json={"category": "overtime_pay", "reason": "实为加班费"},
    )
    assert retyped.status_code == 200 and retyped.json()["category"] == "overtime_pay"
    placed = await _post(
        intake,
        f"/api/v1/cases/{dispute['case_id']}/correct",
        json={"latitude": 31.1, "longitude": 121.1, "reason": "x"},
    )
    assert placed.status_code == 422


async def test_attachments_are_checked_stored_once_and_shown_only_to_those_allowed(
    intake: Intake,
):
    filed = (await _post(intake, "/api/v1/hazards", json=_hazard(*_spot()))).json()
    path = f"/api/v1/cases/{filed['case_id']}/attachments"
    photo = PNG + uuid.uuid4().bytes
    first = await _post(intake, path, files={"file": ("a.png", photo, "image/png")})
    assert first.status_code == 201, first.text
    again = await _post(intake, path, files={"file": ("b.png", photo, "application/octet-stream")})
    assert again.json()["attachment_id"] == first.json()["attachment_id"]
    doc = await _post(intake, path, files={"file": ("r.pdf", PDF, "application/pdf")})
    assert doc.status_code == 201 and doc.json()["media_type"] == "application/pdf"

    disguised = await _post(intake, path, files={"file": ("x.png", b"MZ\x90\x00exe", "image/png")})
    assert disguised.status_code == 415 and disguised.json()["errors"][0]["field"] == "file"
    huge = await _post(
        intake, path, files={"file": ("big.png", PNG + b"\x00" * (10 * 1024 * 1024), "image/png")}
    )
    assert huge.status_code == 413 and "MB" in huge.text
    added = await _events(intake, filed["case_id"], "case.attachment_added")
    assert len(added) == 2

    url = first.json()["url"]
    officer = await _get(intake, url)
    assert officer.status_code == 200 and officer.content == photo
    stranger = await _get(intake, url, headers=auth_headers("department", "x"))
    assert stranger.status_code == 403
    reporter = await _get(
        intake, f"/track/{filed['tracking_code']}/attachments/{first.json()['attachment_id']}"
    )
    assert reporter.status_code == 200 and reporter.content == photo
    other_case = (
        await _post(intake, "/api/v1/hazards", json=_hazard(*_spot(), category="other"))
    ).json()
    wrong = await _get(
        intake, f"/track/{other_case['tracking_code']}/attachments/{first.json()['attachment_id']}"
    )
    assert wrong.status_code == 404
    pdf_public = await _get(intake, f"/open311/v2/media/{doc.json()['attachment_id']}")
    assert pdf_public.status_code == 404, "documents are never public"

    by_reporter = await _post(
        intake,
        f"/track/{filed['tracking_code']}/attachments",
        files={
            "file": ("c.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + uuid.uuid4().bytes, "image/webp")
        },
    )
    assert by_reporter.status_code == 201 and by_reporter.json()["media_type"] == "image/webp"


async def test_the_tracking_page_speaks_chinese_then_english_and_takes_the_fix_answer(
    intake: Intake,
):
    lat, lng = _spot()
    filed = (await _post(intake, "/api/v1/hazards", json=_hazard(lat, lng))).json()
    follower = (await _post(intake, "/api/v1/hazards", json=_hazard(lat, lng))).json()
    code = filed["tracking_code"]
    page = await _get(intake, f"/track/{code}", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'lang="zh-CN"' in page.text and "查询码" in page.text and "已受理" in page.text
    assert "我的贡献积分" in page.text  # a hazard reporter's points
    assert "http" not in page.text.split("<body>")[0].replace("http-equiv", ""), (
        "no external assets"
    )
    english = await _get(intake, f"/track/{code}", params={"format": "html", "lang": "en"})
    assert 'lang="en"' in english.text and "Tracking code" in english.text
    assert "修好了吗" not in page.text  # not resolved yet: no form

    await intake.dispatch_says(
        filed["case_id"],
        "hazard.resolved",
        HazardResolved(state="resolved", department_id="zhaoxiang-road", note="已清理"),
    )

    async def resolved() -> bool:
        return (await _get(intake, f"/track/{code}")).json()["can_answer_fix"]

    await eventually_async(resolved)
    page = await _get(intake, f"/track/{code}", params={"format": "html"})
    assert "修好了吗" in page.text and '<label for="note">' in page.text
    answered = await _post(
        intake, f"/track/{code}/answer-form", data={"fixed": "yes", "lang": "en"}
    )
    assert answered.status_code == 303
    assert answered.headers["location"] == f"/track/{code}?format=html&lang=en&answered=yes"
    thanked = await _get(intake, answered.headers["location"])
    assert "Thank you for confirming" in thanked.text
    assert "Is it fixed?" not in thanked.text  # answered: the form is gone at once
    # the follower answers through their own code; it lands on the original ticket
    not_fixed = await _post(
        intake,
        f"/track/{follower['tracking_code']}/answer",
        json={"fixed": False, "note": "还堵着"},
    )
    assert not_fixed.status_code == 200, not_fixed.text
    assert await _events(intake, filed["case_id"], "reporter.confirmed_fixed")
    [rejected] = await _events(intake, filed["case_id"], "reporter.reported_not_fixed")
    assert rejected["note"] == "还堵着"
    missing = await _get(intake, "/track/ZZZZ-ZZZZ")
    assert missing.status_code == 404
    bad_form = await _post(intake, f"/track/{code}/answer-form", data={"fixed": "maybe"})
    assert bad_form.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"latitude": 91}, "latitude"),
        ({"longitude": -181}, "longitude"),
        ({"description": "x" * 4001}, "description"),
        ({"description": ""}, "description"),
        ({"address": "路" * 301}, "address"),
        ({"reporter": {"name": "a", "locale": "fr"}}, "reporter.locale"),
        ({"reporter": {"name": "a", "email": "nope"}}, "reporter.email"),
    ],
)
async def test_every_hazard_field_is_bounded_and_named_when_wrong(
    intake: Intake, body: dict[str, Any], field: str
):
    before = len((await _get(intake, "/api/v1/cases", params={"limit": 200})).json()["items"])
    response = await _post(intake, "/api/v1/hazards", json=_hazard(*_spot()) | body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    after = len((await _get(intake, "/api/v1/cases", params={"limit": 200})).json()["items"])
    assert after == before


async def test_the_officer_api_is_documented_in_openapi(intake: Intake):
    spec = (await _get(intake, "/openapi.json")).json()
    for path in (
        "/api/v1/disputes",
        "/api/v1/hazards",
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/correct",
        "/api/v1/cases/{case_id}/split",
        "/api/v1/cases/{case_id}/attachments",
        "/track/{code}",
        "/open311/v2/requests.{fmt}",
    ):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/v1/cases"]["get"]["parameters"]}
    assert {"kind", "status", "category", "jurisdiction", "respondent", "filed_from"} <= params


async def test_a_batch_of_two_cases_events_lands_on_each_timeline_in_order(intake: Intake):
    """One read of dispatch's stream, one transaction: the batch's cases are locked and read
    up front (projection.prepare), and each event still moves its own case."""
    from shared.contracts.events.dispatch import HazardAcknowledged, HazardDispatched

    cases = []
    for _ in range(2):
        lat, lng = _spot()
        cases.append((await _post(intake, "/api/v1/hazards", json=_hazard(lat, lng))).json())
    due = datetime.now().astimezone() + timedelta(days=2)
    batch = [
        intake.dispatch_event(
            c["case_id"],
            "hazard.dispatched",
            HazardDispatched(
                state="dispatched",
                department_id="zhaoxiang-road",
                department_name="赵巷镇道路养护所",
                acknowledge_due=due,
                resolve_due=due,
            ),
        )
        for c in cases
    ]
    batch.append(
        intake.dispatch_event(
            cases[0]["case_id"],
            "hazard.acknowledged",
            HazardAcknowledged(state="acknowledged", department_id="zhaoxiang-road"),
        )
    )
    entries = [(f"1-{i}", e.to_json(), {}) for i, e in enumerate(batch)]
    acks = await intake.runtime.consumer.apply_entries("waystation.dispatch", entries)
    assert len(acks) == 3 and intake.runtime.consumer.batch_fallbacks_total == 0

    first = (await _get(intake, f"/api/v1/cases/{cases[0]['case_id']}")).json()
    second = (await _get(intake, f"/api/v1/cases/{cases[1]['case_id']}")).json()
    assert first["status"] == "acknowledged" and second["status"] == "dispatched"
    assert [t["event_type"] for t in first["timeline"]][-2:] == [
        "hazard.dispatched",
        "hazard.acknowledged",
    ]
    assert [t["event_type"] for t in second["timeline"]][-1] == "hazard.dispatched"
    assert second["agency_responsible"] == "赵巷镇道路养护所"


async def test_a_batchs_events_of_one_case_update_its_row_once_at_the_commit(intake: Intake):
    """The projection's changes to a locked case wait for the commit: two events of one case
    in a batch are one UPDATE of its row (the newer values), and the batch's timeline entries
    one INSERT statement (executemany); the case and its timeline read as before."""
    import sqlalchemy as sa

    from shared.contracts.events.dispatch import HazardAcknowledged, HazardDispatched

    lat, lng = _spot()
    case_id = (await _post(intake, "/api/v1/hazards", json=_hazard(lat, lng))).json()["case_id"]
    due = datetime.now().astimezone() + timedelta(days=2)
    batch = [
        intake.dispatch_event(
            case_id,
            "hazard.dispatched",
            HazardDispatched(
                state="dispatched",
                department_id="zhaoxiang-road",
                department_name="赵巷镇道路养护所",
                acknowledge_due=due,
                resolve_due=due,
            ),
        ),
        intake.dispatch_event(
            case_id,
            "hazard.acknowledged",
            HazardAcknowledged(state="acknowledged", department_id="zhaoxiang-road"),
        ),
    ]
    seen: list[tuple[str, bool]] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append((statement.split("(")[0].strip(), executemany))

    engine = intake.runtime.engine.sync_engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        entries = [(f"1-{i}", e.to_json(), {}) for i, e in enumerate(batch)]
        acks = await intake.runtime.consumer.apply_entries("waystation.dispatch", entries)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(acks) == 2 and intake.runtime.consumer.batch_fallbacks_total == 0
    updates = [s for s, _ in seen if s.startswith('UPDATE "case"')]
    inserts = [s for s in seen if s[0].startswith("INSERT INTO timeline_entry")]
    assert len(updates) == 1 and len(inserts) == 1 and inserts[0][1]

    case = (await _get(intake, f"/api/v1/cases/{case_id}")).json()
    assert case["status"] == "acknowledged" and case["agency_responsible"] == "赵巷镇道路养护所"
    assert [t["event_type"] for t in case["timeline"]][-2:] == [
        "hazard.dispatched",
        "hazard.acknowledged",
    ]


async def test_a_dispute_received_days_before_it_is_entered_keeps_its_day_and_says_who_took_it(
    intake: Intake,
):
    received = intake.clock.now() - timedelta(days=2, hours=3)
    body = _dispute(received_at=received.isoformat(), received_by="王敏", received_via="post")
    filed = await _post(intake, "/api/v1/disputes", json=body)
    assert filed.status_code == 201, filed.text
    case_id = filed.json()["case_id"]
    (payload,) = await _events(intake, case_id, "case.filed")
    assert datetime.fromisoformat(payload["dispute"]["received_at"]) == received
    assert (payload["dispute"]["received_by"], payload["dispute"]["received_via"]) == (
        "王敏",
        "post",
    )
    case = (await _get(intake, f"/api/v1/cases/{case_id}")).json()
    first = case["timeline"][0]
    assert "由 王敏 收到（邮寄），期限自该日起算" in first["text_zh"]
    # No ISO timestamp (the tracking code itself may hold a "T").
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", first["text_zh"])
    assert "+00:00" not in first["text_zh"]


async def test_a_received_time_is_never_in_the_future_and_an_earlier_one_needs_who_and_how(
    intake: Intake,
):
    now = intake.clock.now()
    future = await _post(
        intake,
        "/api/v1/disputes",
        json=_dispute(received_at=(now + timedelta(hours=1)).isoformat()),
    )
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "received_at"
    earlier = (now - timedelta(days=1)).isoformat()
    nobody = await _post(intake, "/api/v1/disputes", json=_dispute(received_at=earlier))
    assert nobody.status_code == 422
    assert nobody.json()["errors"][0]["field"] == "received_by"
    no_way = await _post(
        intake, "/api/v1/disputes", json=_dispute(received_at=earlier, received_by="王敏")
    )
    assert no_way.status_code == 422
    assert no_way.json()["errors"][0]["field"] == "received_via"
    just_now = await _post(
        intake,
        "/api/v1/disputes",
        json=_dispute(received_at=(now - timedelta(minutes=1)).isoformat()),
    )
    assert just_now.status_code == 201, just_now.text
    (payload,) = await _events(intake, just_now.json()["case_id"], "case.filed")
    assert payload["dispute"]["received_by"] is None
