from datetime import UTC, datetime

from services.mediation.domain.rollup import counts, delta, labels, median

FILED = {
    "state": "acceptance_review",
    "mediator_id": None,
    "filed_year": 2026,
    "filed_month": "2026-03",
    "company_key": "org:91310118HQLW00002A",
    "company": "沪青劳务外包有限公司",
    "dispute_type": "unpaid_wages",
    "town": None,
    "accepted_at": None,
    "agreement_effective_at": None,
    "days_to_agreement": None,
    "outcome": None,
    "referred_at": None,
}


def test_a_filed_dispute_counts_once_per_dimension_for_its_year_and_its_month():
    cells = counts(FILED)
    filed = {key for (rollup, key, measure) in cells if rollup == "stat" and measure == "filed"}
    assert len(filed) == 8
    assert ("2026-03", "month", "03") in filed and ("2026", "town", "") in filed
    assert cells[("queue", ("acceptance_review", ""), "n")] == 1
    assert labels(FILED)[("2026", "company", FILED["company_key"])] == "沪青劳务外包有限公司"


def test_a_state_change_moves_one_queue_count_and_no_statistic():
    started = FILED | {"state": "in_mediation", "mediator_id": "med-sun"}
    assert delta(FILED, started) == {
        ("queue", ("acceptance_review", ""), "n"): -1,
        ("queue", ("in_mediation", "med-sun"), "n"): 1,
    }


def test_an_agreement_adds_to_agreed_and_to_the_days_histogram():
    before = FILED | {"state": "in_mediation", "mediator_id": "med-sun"}
    after = before | {
        "state": "performance_monitoring",
        "agreement_effective_at": datetime(2026, 3, 9, tzinfo=UTC),
        "days_to_agreement": 7,
    }
    moved = delta(before, after)
    assert moved[("stat", ("2026", "company", FILED["company_key"]), "agreed")] == 1
    assert moved[("days", ("2026-03", "dispute_type", "unpaid_wages", 7), "n")] == 1
    assert sum(1 for cell in moved if cell[0] == "days") == 8


def test_a_dispute_without_a_filing_year_sits_in_a_queue_but_in_no_statistic():
    cells = counts(FILED | {"filed_year": None})
    assert [c[0] for c in cells] == ["queue"]
    assert (
        delta(None, FILED) == counts(FILED)
        and delta(FILED, None)[("queue", ("acceptance_review", ""), "n")] == -1
    )


def test_the_median_of_a_histogram_is_exact():
    assert median([]) is None
    assert median([(4, 1)]) == 4.0
    assert median([(2, 1), (6, 1), (9, 1)]) == 6.0
    assert median([(9, 1), (2, 1), (6, 1), (3, 1)]) == 4.5  # mean of the middle two
    assert median([(1, 5), (30, 5)]) == 15.5
    assert median([(1, 5), (30, 4)]) == 1.0


SECOND = {"key": "org:91310000SUDA00001X", "name": "速达快递"}
FIRST = {"key": FILED["company_key"], "name": FILED["company"]}


def test_a_dispute_counts_under_every_respondent_company_it_names():
    both = FILED | {"companies": [FIRST, SECOND]}
    cells = counts(both)
    assert cells[("stat", ("2026", "company", SECOND["key"]), "filed")] == 1
    assert cells[("stat", ("2026", "company", FIRST["key"]), "filed")] == 1
    assert cells[("stat", ("2026", "dispute_type", "unpaid_wages"), "filed")] == 1
    assert labels(both)[("2026", "company", SECOND["key"])] == "速达快递"


def test_a_group_counts_once_with_its_headcount_and_its_members_nowhere():
    group = FILED | {"group_size": 13}
    cells = counts(group)
    key = ("2026", "dispute_type", "unpaid_wages")
    assert (cells[("stat", key, "filed")], cells[("stat", key, "groups")]) == (1, 1)
    assert cells[("stat", key, "workers")] == 13
    assert counts(FILED)[("stat", key, "workers")] == 1  # a lone dispute: one worker
    member = FILED | {"parent_case_id": "a-parent", "state": "group_member"}
    assert counts(member) == {} and labels(member) == {}
    joined = delta(FILED | {"group_size": 12}, group)
    assert joined == {cell: 1 for cell in cells if cell[0] == "stat" and cell[2] == "workers"}
