"""The committee's clock list and a case's clocks give a moved end's day and say why
(Civil Code art. 203), and flag a clock counted through a year whose calendar is not loaded."""

from typing import Any

from services.console.entrypoints import labels
from services.console.entrypoints.pages import build_templates
from shared.contracts.glossary import term, written_date, written_time

MOVED = {
    "case_id": "c1",
    "tracking_code": "QP-0001",
    "title": "拖欠工资",
    "clock": "mediation_limit",
    "legal": True,
    "started_on": "2026-09-16",
    "due_on": "2026-10-08",
    "nominal_due_on": "2026-10-01",
    "moved_because": "national_day",
    "calendar_missing": False,
    "calendar_source": "chinese-calendar 1.11.0",
    "status": "open",
    "dispute_state": "in_mediation",
    "mediator_id": "",
    "flag": "",
    "days_left": 3,
}
UNLOADED = MOVED | {
    "case_id": "c2",
    "tracking_code": "QP-0002",
    "clock": "judicial_confirmation",
    "due_on": "2027-01-01",
    "nominal_due_on": None,
    "moved_because": None,
    "calendar_missing": True,
    "calendar_source": "weekend-fallback:2027",
}


def render(name: str, lang: str, **ctx: Any) -> str:
    page = build_templates().env.get_template(name)
    return page.render(
        lang=lang,
        nav=[],
        path="/console/clocks",
        who=None,
        t=lambda key: labels.word(key, lang),
        term=lambda kind, code: term(kind, code, lang),
        day=lambda value: written_date(value, lang),
        local=lambda value: written_time(value, lang),
        moved=lambda clock: labels.period_note(clock, lang),
        unloaded=lambda clock: labels.calendar_note(clock, lang),
        **ctx,
    )


def test_the_clock_list_gives_the_moved_day_and_why_in_both_languages():
    zh = render("clocks.html", "zh", clocks=[MOVED, UNLOADED])
    assert "2026年10月8日" in zh
    assert "顺延至2026年10月8日（原末日2026年10月1日逢国庆节假期）" in zh
    assert "节假日安排未载入" in zh and "2027年官方节假日安排未载入，暂按周一至周五推算" in zh
    assert "national_day" not in zh and "weekend-fallback" not in zh  # no raw code
    en = render("clocks.html", "en", clocks=[MOVED, UNLOADED])
    assert "moved to 8 Oct 2026 (the last day, 1 Oct 2026, fell on the National Day holiday)" in en
    assert "the official holiday arrangement of 2027 is not loaded" in en


def test_a_clock_that_did_not_move_says_nothing_more():
    plain = MOVED | {"due_on": "2026-03-17", "nominal_due_on": None, "moved_because": None}
    zh = render("clocks.html", "zh", clocks=[plain])
    assert "2026年3月17日" in zh and "顺延" not in zh and "未载入" not in zh
