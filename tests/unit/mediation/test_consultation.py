"""Industry consultations' pure rules and the console's before/after table (#20)."""

from __future__ import annotations

from datetime import date

import pytest

from services.console.entrypoints.community_pages import names_of, participants_of, side_by_side
from services.mediation.domain.consultation import check_agreement, check_step, months_around
from services.mediation.domain.errors import AgainstTheRules, Incomplete


def test_the_months_around_a_change_cross_the_year():
    before, after = months_around(date(2027, 1, 1), 3, 3)
    assert before == ["2026-10", "2026-11", "2026-12"]
    assert after == ["2027-01", "2027-02", "2027-03"]


def test_a_closed_consultation_takes_no_more_steps_and_a_follow_up_is_after_the_change():
    check_step("session", "agreed")
    with pytest.raises(AgainstTheRules):
        check_step("session", "closed")
    with pytest.raises(Incomplete) as early:
        check_agreement(date(2026, 3, 1), date(2026, 2, 1))
    assert early.value.field == "follow_up_on"


def test_the_consoles_form_rows_and_the_side_by_side_table():
    form = {
        "p0_name": "张经理",
        "p0_organisation": "总部",
        "p0_side": "company_hq",
        "p1_name": "",
        "p1_organisation": "",
        "p2_name": "吴师傅",
        "p2_organisation": "骑手代表",
        "p2_side": "rider_representative",
    }
    assert [p["name"] for p in participants_of(form)] == ["张经理", "吴师傅"]
    assert names_of("张经理、陈总, 吴师傅，刘师傅") == ["张经理", "陈总", "吴师傅", "刘师傅"]
    effect = {
        "before": {
            "months": [{"month": "2026-01", "disputes": 5}, {"month": "2026-02", "disputes": 4}]
        },
        "after": {"months": [{"month": "2026-03", "disputes": 1}]},
    }
    rows = side_by_side(effect)
    assert rows[0]["after"]["disputes"] == 1 and rows[1]["after"] is None
