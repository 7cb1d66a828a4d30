"""The committee's console on real databases: queues, clocks, workload, statistics with
year-over-year change and CSV, pattern alerts, the roster API, agreement PDFs, group disputes."""

from __future__ import annotations

import asyncio
import csv
import io
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from shared.platform.clock import FrozenClock
from tests.auth import auth_headers
from tests.integration.mediation_harness import (
    COMMITTEE,
    Mediation,
    mediator,
    running_mediation,
)

pytestmark = pytest.mark.integration
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
AGREEMENT = {
    "facts": "申请人十月工资8600元未发放，被申请人确认欠付并承担支付责任。",
    "terms": "被申请人沪青劳务外包有限公司向申请人支付十月工资捌仟陆佰元。",
    "performance_manner": "银行转账",
    "performance_deadline": "2026-03-20",
    "signed_by_complainant": True,
    "signed_by_respondent": True,
    "signed_by_mediator": True,
    "sealed_by_committee": True,
}


@pytest.fixture
async def mediation(database_url: str, redis_url: str):
    async with running_mediation(
        database_url, redis_url, FrozenClock(NOW), pattern_threshold=3, pattern_window_days=30
    ) as service:
        yield service


async def get(mediation: Mediation, path: str, **params: object) -> object:
    response = await mediation.client.get(f"/api/v1/{path}", headers=COMMITTEE, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def _agreed(mediation: Mediation, days_after: int, **kw: object) -> None:
    case_id, dispute = await mediation.in_mediation(**kw)
    clock = mediation.clock
    before = clock.now()
    clock.advance(timedelta(days=days_after))
    await mediation.ok(case_id, "agreement", mediator(dispute["mediator_id"]), AGREEMENT)
    clock.set(before)


async def test_the_console_is_for_the_committee_only(mediation: Mediation):
    response = await mediation.client.get("/api/v1/committee/queues", headers=mediator("med-zhang"))
    assert response.status_code == 403


async def test_queues_clocks_and_workload(mediation: Mediation):
    waiting, _ = await mediation.file()
    case_id, dispute = await mediation.in_mediation()
    queues = await get(mediation, "committee/queues")
    assert queues["acceptance_review"] == 1 and queues["in_mediation"] == 1
    assert queues["closed"] == 0
    listed = await get(mediation, "disputes", state="acceptance_review")
    assert [d["case_id"] for d in listed] == [str(waiting)]
    clocks = await get(mediation, "committee/clocks", clock="mediation_limit")
    assert {c["case_id"] for c in clocks} == {str(waiting), str(case_id)}
    assert all(c["due_on"] == "2026-03-17" for c in clocks)
    soon = await get(mediation, "committee/due-soon", days=3)
    assert {c["clock"] for c in soon} == {"acceptance_target"}  # due 03-05
    mediation.clock.set(NOW + timedelta(days=4))
    await mediation.scheduler.run_once()
    overdue = await get(mediation, "committee/overdue")
    assert [(o["case_id"], o["clock"]) for o in overdue] == [(str(waiting), "acceptance_target")]
    load = await get(mediation, "committee/workload")
    mine = next(m for m in load["mediators"] if m["mediator_id"] == dispute["mediator_id"])
    assert mine["open"] == 1 and mine["by_state"] == {"in_mediation": 1}
    body = next(b for b in load["bodies"] if b["body_id"] == dispute["duty_body"])
    assert body["open"] == 1


async def test_running_clocks_page_soonest_first_with_paused_last_and_no_repeats(
    mediation: Mediation,
):
    """Pages of the running clocks follow ix_dispute_clock_running: due day, then case and
    clock; a paused clock (no due day) comes after every dated one; pages never overlap."""
    for _ in range(3):
        await mediation.file()
    await mediation.in_mediation()
    whole = await get(mediation, "committee/clocks", limit=100)
    paged: list[object] = []
    for offset in range(0, len(whole), 2):
        paged += await get(mediation, "committee/clocks", limit=2, offset=offset)
    assert paged == whole and len(whole) >= 8
    keys = [(c["due_on"] is None, c["due_on"] or "", c["case_id"], c["clock"]) for c in whole]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


async def test_statistics_by_company_type_town_and_month_with_year_over_year(
    mediation: Mediation,
):
    clock = mediation.clock
    clock.set(datetime(2025, 3, 10, 2, tzinfo=UTC))
    await _agreed(mediation, 4)
    await mediation.file(town="xujing")
    clock.set(datetime(2026, 3, 3, 2, tzinfo=UTC))
    await _agreed(mediation, 2)
    await _agreed(mediation, 6)
    await _agreed(mediation, 9)
    failed, dispute = await mediation.in_mediation(dispute_type="penalty_deduction")
    await mediation.ok(failed, "fail", mediator(dispute["mediator_id"]), {"reason": "分歧"})
    await mediation.file(town=None)
    by_type = await get(mediation, "committee/statistics", by="dispute_type", year=2026)
    wages = next(r for r in by_type["rows"] if r["key"] == "unpaid_wages")
    assert (wages["filed"], wages["accepted"], wages["agreed"]) == (4, 3, 3)
    assert wages["median_days_to_agreement"] == 6.0
    assert wages["previous_year"]["filed"] == 2
    assert wages["previous_year"]["median_days_to_agreement"] == 4.0
    assert wages["change_pct"]["filed"] == 100.0
    penalty = next(r for r in by_type["rows"] if r["key"] == "penalty_deduction")
    assert (penalty["failed"], penalty["change_pct"]["filed"]) == (1, None)
    by_month = await get(mediation, "committee/statistics", by="month", year=2026)
    assert [(r["key"], r["filed"], r["previous_year"]["filed"]) for r in by_month["rows"]] == [
        ("03", 5, 2)
    ]
    by_town = await get(mediation, "committee/statistics", by="town", year=2026)
    assert {r["key"]: r["filed"] for r in by_town["rows"]} == {"huaxin": 4, "": 1, "xujing": 0}
    by_company = await get(mediation, "committee/statistics", by="company", year=2026)
    assert by_company["rows"][0]["label"] == "沪青劳务外包有限公司"
    response = await mediation.client.get(
        "/api/v1/committee/statistics.csv",
        headers=COMMITTEE,
        params={"by": "dispute_type", "year": 2026},
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert {r["dispute_type"]: r["agreed"] for r in rows}["unpaid_wages"] == "3"
    assert rows[0].keys() >= {"filed_previous_year", "filed_change_pct"}


async def test_a_pattern_alert_is_raised_once_per_run_of_disputes(mediation: Mediation):
    for _ in range(2):
        await mediation.file(dispute_type="penalty_deduction")
    assert await get(mediation, "committee/alerts") == []
    third, _ = await mediation.file(dispute_type="penalty_deduction")
    await mediation.file(dispute_type="penalty_deduction")
    await mediation.file(dispute_type="unpaid_wages")
    alerts = await get(mediation, "committee/alerts")
    assert [(a["dispute_type"], a["count"]) for a in alerts] == [("penalty_deduction", 3)]
    assert (await mediation.event_types(third))[-1] == "pattern.alert"
    all_events = [e["event_type"] for e in await mediation.events()]
    assert all_events.count("pattern.alert") == 1
    closed = await mediation.client.post(
        f"/api/v1/committee/alerts/{alerts[0]['id']}/close", headers=COMMITTEE
    )
    assert closed.status_code == 200
    mediation.clock.advance(timedelta(hours=1))
    for _ in range(3):
        await mediation.file(dispute_type="penalty_deduction")
    assert [a["seq"] for a in await get(mediation, "committee/alerts")] == [2]


async def test_two_replicas_registering_at_once_raise_one_alert(mediation: Mediation):
    from tests.integration.mediation_harness import case_filed

    for _ in range(2):
        await mediation.file(dispute_type="overtime_pay")
    events = [case_filed(dispute_type="overtime_pay", at=NOW) for _ in range(2)]
    results = await asyncio.gather(
        *(mediation.runtime.consumer.apply(e) for e in events), return_exceptions=True
    )
    for envelope, result in zip(events, results, strict=True):
        if result is not True:  # the loser of the race is redelivered, as Redis would
            assert await mediation.runtime.consumer.apply(envelope)
    alerts = await get(mediation, "committee/alerts")
    assert len(alerts) == 1
    assert [e["event_type"] for e in await mediation.events()].count("pattern.alert") == 1


async def test_the_roster_is_configured_by_api_and_assignment_follows_it(mediation: Mediation):
    roster = await get(mediation, "roster")
    assert (
        await mediation.client.put("/api/v1/roster", json=roster, headers=mediator("x"))
    ).status_code == 403
    shift = {"body_id": "huaxin-judicial", "starts_on": "2026-03-01", "ends_on": "2026-03-08"}
    added = await mediation.client.post("/api/v1/roster/shifts", json=shift, headers=COMMITTEE)
    assert added.status_code == 200, added.text
    assert (await get(mediation, "roster/on-duty"))["bodies"][0] == "huaxin-judicial"
    _, dispute = await mediation.accepted()
    assert dispute["duty_body"] == "huaxin-judicial"
    bad = roster | {"rotation": ["nowhere"]}
    refused = await mediation.client.put("/api/v1/roster", json=bad, headers=COMMITTEE)
    assert refused.status_code == 422
    # Found by the fuzzing: both were 500s.
    wrongs = (({"body_id": "nowhere"}, "body_id"), ({"ends_on": "2026-02-01"}, "ends_on"))
    for wrong, field in wrongs:
        answer = await mediation.client.post(
            "/api/v1/roster/shifts", json=shift | wrong, headers=COMMITTEE
        )
        assert answer.status_code == 422, answer.text
        assert field in answer.text


async def test_a_calendar_year_loaded_by_api_moves_party_windows(mediation: Mediation):
    year = {"year": 2027, "holidays": ["2027-01-01", "2027-01-04"], "workdays": []}
    response = await mediation.client.put("/api/v1/calendar/2027", json=year, headers=COMMITTEE)
    assert response.status_code == 200, response.text
    known = await get(mediation, "calendar")
    assert known["years"]["2027"].startswith("api:")


async def test_the_agreement_pdf_carries_the_chinese_text_in_an_embedded_font(
    mediation: Mediation, tmp_path: Path
):
    case_id, dispute = await mediation.in_mediation()
    await mediation.ok(case_id, "agreement", mediator(dispute["mediator_id"]), AGREEMENT)
    url = f"/api/v1/disputes/{case_id}/agreement.pdf"
    stranger = auth_headers("complainant", "p-stranger")
    assert (await mediation.client.get(url, headers=stranger)).status_code == 403
    respondent = auth_headers("respondent", "org-91310118HQLW00002A")
    own = await mediation.client.get(url, headers=respondent)
    assert own.status_code == 200
    assert own.headers["content-type"] == "application/pdf"
    other = await mediation.client.get(url, headers=respondent, params={"copy": "complainant"})
    assert other.status_code == 403
    for copy in ("complainant", "respondent", "committee"):
        response = await mediation.client.get(url, headers=COMMITTEE, params={"copy": copy})
        assert response.status_code == 200
        path = tmp_path / f"{copy}.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        for words in ("劳动争议人民调解协议书", "捌仟陆佰元", "银行转账", "李某", "一式三份"):
            assert words in text, words
        assert {"complainant": "申请人存执", "respondent": "被申请人存执"}.get(
            copy, "调解委员会存档"
        ) in text
    reader = PdfReader(io.BytesIO(response.content))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descendant = next(iter(fonts.values())).get_object()["/DescendantFonts"][0].get_object()
    assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded TrueType
    assert "WenQuanYi" in str(descendant["/BaseFont"])


async def test_no_agreement_no_pdf(mediation: Mediation):
    case_id, _ = await mediation.in_mediation()
    response = await mediation.client.get(
        f"/api/v1/disputes/{case_id}/agreement.pdf", headers=COMMITTEE
    )
    assert response.status_code == 409


async def test_a_group_dispute_links_members_and_records_representatives(mediation: Mediation):
    parent, dispute = await mediation.in_mediation(complainant_id="p-rep-0")
    members = [
        (await mediation.file(parent_case_id=parent, complainant_id=f"p-rep-{i}"))[0]
        for i in range(1, 12)
    ]
    assert (await mediation.event_types(members[0])) == [
        "dispute.registered",
        "dispute.group_linked",
    ]
    listed = await get(mediation, "disputes", parent_case_id=str(parent), limit=50)
    assert len(listed) == 11
    me = mediator(dispute["mediator_id"])
    unknown = await mediation.post(parent, "representatives", me, {"party_ids": ["p-outsider"]})
    assert unknown.status_code == 422
    chosen = await mediation.ok(
        parent, "representatives", me, {"party_ids": ["p-rep-1", "p-rep-5", "p-rep-9"]}
    )
    assert chosen["representatives"] == ["p-rep-1", "p-rep-5", "p-rep-9"]
    linked = (await mediation.events(members[3]))[-1]
    assert linked["event_type"] == "dispute.group_linked"
    assert linked["payload"]["representative_party_ids"] == ["p-rep-1", "p-rep-5", "p-rep-9"]
    session = await mediation.ok(
        parent, "sessions", me, {"starts_at": (NOW + timedelta(days=2)).isoformat(), "online": True}
    )
    assert session["attendees"][:3] == ["p-rep-1", "p-rep-5", "p-rep-9"]


async def test_several_respondents_are_all_checked_for_conflicts(mediation: Mediation):
    _, dispute = await mediation.accepted(
        respondents=(
            ("沪青劳务外包有限公司", "91310118HQLW00002A"),
            ("速达快递", "91310000SUDA00001X"),
        )
    )
    assert dispute["mediator_id"] != "med-sun"
    assert len(dispute["respondents"]) == 2
