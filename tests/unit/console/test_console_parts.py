"""The console's pure parts: clock ranking, closed-loop rate, masking, forms, users, SVG."""

from __future__ import annotations

import json
from datetime import timedelta

from services.console.entrypoints.backends import ServiceError
from services.console.entrypoints.case_pages import reporter_notes
from services.console.entrypoints.charts import grouped_bars
from services.console.entrypoints.committee_pages import ranked_clocks
from services.console.entrypoints.hazard_map import draw, parse_areas
from services.console.entrypoints.officer_pages import dispute_body, group_body
from services.console.entrypoints.overview_pages import closed_loop
from services.console.entrypoints.pages import home_of, mask_name, today_local
from services.intake.adapters.jurisdictions import DEMO_FILE
from shared.contracts.glossary.errors import explain


def _clock(case: str, clock: str, days: int) -> dict[str, object]:
    return {
        "case_id": case,
        "clock": clock,
        "due_on": (today_local() + timedelta(days)).isoformat(),
    }


def test_overdue_clocks_come_first_then_due_soon_each_once_with_days_left():
    late, soon, later = _clock("a", "mediation_limit", -2), _clock("b", "x", 1), _clock("c", "x", 9)
    rows = ranked_clocks([late], [soon], [later, soon, late])
    assert [(r["case_id"], r["flag"], r["days_left"]) for r in rows] == [
        ("a", "overdue", -2),
        ("b", "due_soon", 1),
        ("c", "", 9),
    ]


def test_closed_loop_rate_per_town_leaves_out_duplicates_and_cancellations():
    rows = closed_loop(
        [
            {"status": "closed", "jurisdiction": "zhaoxiang"},
            {"status": "dispatched", "jurisdiction": "zhaoxiang"},
            {"status": "duplicate", "jurisdiction": "zhaoxiang"},
            {"status": "cancelled", "jurisdiction": "xujing"},
        ]
    )
    assert rows == [{"town": "zhaoxiang", "total": 2, "closed": 1, "rate": 0.5}]


def test_a_department_sees_only_the_family_name_of_a_reporter():
    assert mask_name("吴师傅") == "吴**"
    assert mask_name("") == ""


def test_each_role_lands_on_its_own_first_page():
    assert home_of("committee") == "/console/board"
    assert home_of("intake_officer") == "/console/cases"
    assert home_of("department") == "/console/queue"
    assert home_of("reporter") == "/console/login"


def test_an_oral_application_carries_the_officer_and_the_applicants_confirmation():
    from services.console.entrypoints.session import Caller
    from shared.contracts.envelope import Actor
    from shared.platform.auth.tokens import Principal

    who = Caller(Principal(Actor(role="intake_officer", id="officer-7"), "u", "n", 0), "tok", "zh")
    body = dispute_body(
        {"complainant.name": "李某", "respondents.0.name": "甲公司", "oral": "on",
         "oral_confirmed": "on", "dispute_type": "unpaid_wages"},
        who,
    )  # fmt: skip
    assert body["oral_application"] == {"confirmed_by_applicant": True, "read_back_by": "officer-7"}
    assert body["respondents"] == [{"name": "甲公司", "org_code": None, "email": None}]
    assert body["complainant"]["phone"] is None
    assert who.headers()["Authorization"] == "Bearer tok"
    assert set(who.headers()) == {"Authorization"}  # only the token: the services decide


def test_service_errors_name_the_field_for_the_form_in_the_users_language():
    err = ServiceError(
        422, {"errors": [{"field": "complainant.phone", "message": "bad", "type": "missing"}]}
    )
    assert err.field_errors() == {"complainant.phone": "必填"}
    assert err.field_errors("en") == {"complainant.phone": "Required"}
    assert ServiceError(409, {"detail": "already accepted"}).field_errors() == {
        "_": "案件状态已变化，此操作不再适用"
    }


def test_every_respondent_is_filed_and_the_form_grows_a_row_on_request():
    from services.console.entrypoints.officer_pages import respondent_rows

    form = {f"respondents.{i}.name": f"公司{i}" for i in range(4)}
    assert respondent_rows(form) == 4
    assert respondent_rows(form | {"add_respondent": "1"}) == 5
    assert respondent_rows({}) == 2


def test_the_department_queue_puts_the_longest_overdue_first():
    from services.console.entrypoints.department_pages import most_overdue_first

    rows = [
        {"id": "soon", "overdue": False, "next_due": "2026-12-05T10:00:00+00:00"},
        {"id": "late", "overdue": True, "next_due": "2026-12-04T10:00:00+00:00"},
        {"id": "later", "overdue": True, "next_due": "2026-12-01T10:00:00+00:00"},
        {"id": "none", "overdue": False, "next_due": None},
    ]
    assert [r["id"] for r in most_overdue_first(rows)] == ["later", "late", "soon", "none"]


def test_charts_and_the_map_are_svg_with_escaped_labels():
    svg = grouped_bars("统计 <2026>", ["1月", "2月"], [("登记", [3, 5]), ("达成协议", [1, 0])])
    assert svg.startswith("<svg") and "统计 &lt;2026&gt;" in svg and svg.count("<rect") >= 4
    areas = parse_areas(json.loads(DEMO_FILE.read_text(encoding="utf-8")))
    assert len(areas) == 11
    dot = {"latitude": 31.154, "longitude": 121.1947, "status": "dispatched", "tracking_code": "X"}
    assert draw(areas, [dot]).count('class="hazard-dot"') == 1
    late = dot | {"overdue": True, "case_id": "c1"}
    drawn = draw(areas, [late], label=lambda h: f"甲<{h['tracking_code']}>")
    assert 'class="hazard-dot escalated"' in drawn and "甲&lt;X&gt;" in drawn
    assert 'href="/console/cases/c1"' in drawn


def test_a_received_time_from_the_form_is_read_as_shanghai_time_with_who_and_how():
    from services.console.entrypoints.session import Caller
    from shared.contracts.envelope import Actor
    from shared.platform.auth.tokens import Principal

    who = Caller(Principal(Actor(role="intake_officer", id="officer-7"), "u", "n", 0), "tok", "zh")
    body = dispute_body(
        {"complainant.name": "李某", "respondents.0.name": "甲公司", "dispute_type": "unpaid_wages",
         "received_at": "2026-12-03T14:05", "received_by": "王敏", "received_via": "post"},
        who,
    )  # fmt: skip
    assert body["received_at"] == "2026-12-03T14:05:00+08:00"
    assert (body["received_by"], body["received_via"]) == ("王敏", "post")
    assert "received_at" not in dispute_body({"received_at": " "}, who)


def test_a_mediator_lands_on_their_own_cases():
    assert home_of("mediator") == "/console/my"


def test_each_mediation_form_becomes_the_api_call_it_names():
    from services.console.entrypoints.mediation_pages import FormProblem, step_of

    assert step_of("start", {}) == ("start", None)
    assert step_of("extend", {"days": "5", "complainant_consent": "on"}) == (
        "extend",
        {"days": 5, "complainant_consent": True, "respondent_consent": False, "note": ""},
    )
    path, body = step_of("schedule_session", {"starts_at": "2026-12-10T09:30", "place": "驿站"})
    assert (path, body) == (
        "sessions",
        {"starts_at": "2026-12-10T09:30:00+08:00", "place": "驿站", "online": False},
    )
    assert step_of("held", {"session_id": "s1", "summary": "达成一致"}) == (
        "sessions/s1/held",
        {"summary": "达成一致"},
    )
    assert step_of("record_performance", {"performed": "no", "note": "未付"})[1] == {
        "performed": False,
        "note": "未付",
    }
    for action, form, field in (
        ("extend", {"days": "x"}, "days"),
        ("schedule_session", {"starts_at": "明天"}, "starts_at"),
        ("record_performance", {}, "performed"),
        ("record_application", {"clock": "mediation_limit"}, "clock"),
    ):
        try:
            step_of(action, form)
        except FormProblem as problem:
            assert problem.field == field
            assert problem.message[0] and problem.message[1]
        else:
            raise AssertionError(f"{action} accepted {form}")


def test_a_group_form_takes_member_rows_then_pasted_lines_in_order():
    from services.console.entrypoints.session import Caller
    from shared.contracts.envelope import Actor
    from shared.platform.auth.tokens import Principal

    who = Caller(Principal(Actor(role="intake_officer", id="officer-7"), "u", "n", 0), "tok", "zh")
    form = {
        "respondents.0.name": "甲公司",
        "dispute_type": "overtime_pay",
        "workplace_address": "华新镇华腾路",
        "members.0.name": "张三",
        "members.0.claim_amount_yuan": "3000",
        "members.0.representative": "on",
        "members.2.name": "李四",
        "members_csv": "王五, 13700000001, , 3200, 是\n\n赵六\t13700000002\t\t3300\t否",
    }
    body = group_body(form, who)
    assert "complainant" not in body and body["workplace_address"] == "华新镇华腾路"
    names = [(m["name"], m["representative"], m["claim_amount_yuan"]) for m in body["members"]]
    assert names == [
        ("张三", True, "3000"),
        ("李四", False, None),
        ("王五", True, "3200"),
        ("赵六", False, "3300"),
    ]
    assert body["members"][2]["phone"] == "13700000001" and body["members"][2]["id_number"] is None


def test_every_form_that_acts_carries_a_key_of_its_render():
    """A double submit must act once: each acting form sends back a key made when it was drawn
    (hidden `form_key`), which the console passes on as Idempotency-Key."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[3] / "services" / "console" / "templates"
    forms = []
    for page in templates.glob("*.html"):
        for form in re.findall(
            r"<form[^>]*method=\"post\"[^>]*>.*?</form>", page.read_text(), re.S
        ):
            action = re.search(r'action="([^"]+)"', form)
            if action and not action.group(1).endswith(("/login", "/logout")):
                forms.append((page.name, action.group(1), 'name="form_key"' in form))
    assert len(forms) >= 11
    assert [f for f in forms if not f[2]] == []


def test_a_group_agreement_lists_each_member_and_performance_goes_member_by_member():
    import uuid

    import pytest

    from services.console.entrypoints.mediation_pages import FormProblem, member_steps, step_of
    from services.mediation.domain.dispute_parties import counted_title

    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    form = {
        "facts": "欠付加班费",
        "terms": "按附表支付",
        "performance_manner": "转账",
        "performance_deadline": "2026-12-26",
        f"schedule.{a}.amount_yuan": "3000",
        f"schedule.{a}.due_on": "2026-12-16",
        f"schedule.{b}.amount_yuan": "2500.5",
        f"schedule.{b}.due_on": "",  # an empty date: the agreement's deadline
    }
    path, body = step_of("sign_agreement", form)
    assert path == "agreement" and body is not None
    assert body["schedule"] == [
        {"case_id": a, "amount_yuan": 3000.0, "due_on": "2026-12-16"},
        {"case_id": b, "amount_yuan": 2500.5, "due_on": "2026-12-26"},
    ]
    assert step_of("sign_agreement", {"performance_deadline": "2026-12-26"})[1]["schedule"] == []  # type: ignore[index]
    with pytest.raises(FormProblem) as problem:
        step_of("sign_agreement", form | {f"schedule.{b}.amount_yuan": ""})
    assert problem.value.field == "schedule" and "金额" in problem.value.message[0]

    steps = member_steps({f"performed.{a}": "yes", f"performed.{b}": "", "note": "已转账"})
    assert steps == [(f"members/{a}/performance", {"performed": True, "note": "已转账"})]
    assert member_steps({f"performed.{b}": "no"})[0][1] == {"performed": False, "note": ""}
    with pytest.raises(FormProblem) as problem:
        member_steps({f"performed.{a}": "", "performed.not-a-case": "yes"})
    assert problem.value.field == "performed"

    assert counted_title("集体争议（12人）加班费：速达", 13) == "集体争议（13人）加班费：速达"
    assert counted_title("加班费：速达", 13) == "加班费：速达"


def test_the_day_a_dispute_arose_or_its_unknown_box_reaches_the_api():
    from services.console.entrypoints.session import Caller
    from shared.contracts.envelope import Actor
    from shared.platform.auth.tokens import Principal

    who = Caller(Principal(Actor(role="intake_officer", id="officer-7"), "u", "n", 0), "tok", "zh")
    given = dispute_body({"dispute_arose_on": "2026-11-10"}, who)
    assert (given["dispute_arose_on"], given["dispute_arose_on_unknown"]) == ("2026-11-10", False)
    unknown = group_body({"dispute_arose_on": " ", "dispute_arose_on_unknown": "on"}, who)
    assert (unknown["dispute_arose_on"], unknown["dispute_arose_on_unknown"]) == (None, True)
    said = explain(422, {"errors": [{"field": "dispute_arose_on", "type": "value_error",
                                     "message": "dispute_arose_on: the dispute cannot arise"
                                     " after today"}]})  # fmt: skip
    assert said == {"dispute_arose_on": "争议发生日期不能晚于今天"}


def test_a_tall_narrow_town_is_drawn_to_fit_its_height_not_several_screens_high():
    areas = parse_areas(json.loads(DEMO_FILE.read_text(encoding="utf-8")))
    [xujing] = [a for a in areas if a.name == "徐泾镇"]
    width, height = (
        int(n) for n in draw([xujing], []).split('viewBox="0 0 ')[1].split('"')[0].split()
    )
    assert height == 720 and width < 720  # the marks keep their size inside it


def test_the_reporters_notes_are_the_report_and_the_reporters_own_answers():
    def item(event_type: str, text: str, role: str = "reporter") -> dict[str, object]:
        return {
            "event_type": event_type,
            "actor_role": role,
            "occurred_at": "2026-12-06T04:00:00Z",
            "text_zh": text,
            "text_en": text,
        }

    case = {
        "kind": "hazard",
        "created_at": "2026-12-06T03:00:00Z",
        "description": "井盖缺失",
        "timeline": [
            item("case.filed", "已提交"),
            item("case.merged", "另一位骑手的报告已并入本工单"),
            item("hazard.resolved", "已办结", role="department"),
            item("reporter.reported_not_fixed", "还是没修好，晚上很危险"),
            item("points.credited", "获得贡献积分 20 分"),
        ],
    }
    assert [n["text"] for n in reporter_notes(case)] == ["井盖缺失", "还是没修好，晚上很危险"]
    assert reporter_notes(case | {"kind": "dispute"}) == []
