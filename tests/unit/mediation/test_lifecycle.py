from datetime import date

import pytest

from services.mediation.domain.agreement import AgreementTerms, check_effective
from services.mediation.domain.errors import IllegalTransition, Incomplete, NotAllowed
from services.mediation.domain.lifecycle import TRANSITIONS, State, next_state


def test_the_happy_path_runs_from_registration_to_closure():
    path = [
        ("review", "system"),
        ("accept", "committee"),
        ("assign", "system"),
        ("start", "mediator"),
        ("sign_agreement", "mediator"),
        ("monitor_performance", "system"),
        ("record_performed", "mediator"),
        ("close", "mediator"),
    ]
    state = State.REGISTERED
    for action, role in path:
        state = next_state(action, state, role)
    assert state is State.CLOSED


def test_an_illegal_step_names_the_current_state():
    with pytest.raises(IllegalTransition, match="registered") as err:
        next_state("sign_agreement", State.REGISTERED, "mediator")
    assert err.value.state == "registered"


def test_a_respondent_cannot_sign_for_the_mediator():
    with pytest.raises(NotAllowed):
        next_state("sign_agreement", State.IN_MEDIATION, "respondent")


def test_waiting_on_a_party_can_go_back_to_mediation():
    waiting = next_state("wait_for_party", State.IN_MEDIATION, "mediator")
    assert next_state("resume", waiting, "mediator") is State.IN_MEDIATION


def test_only_the_system_expires_a_mediation():
    assert next_state("expire", State.IN_MEDIATION, "system") is State.EXPIRED_NO_AGREEMENT
    with pytest.raises(NotAllowed):
        next_state("expire", State.IN_MEDIATION, "committee")


def test_closed_and_merged_disputes_go_nowhere():
    for action, (sources, _target, _roles) in TRANSITIONS.items():
        assert State.CLOSED not in sources, action
        assert State.MERGED not in sources, action


def _terms(**overrides):
    values = {
        "facts": "十月工资未发放",
        "terms": "支付工资8600元",
        "performance_manner": "银行转账",
        "performance_deadline": date(2026, 12, 10),
        "signed_by_complainant": True,
        "signed_by_respondent": True,
        "signed_by_mediator": True,
        "sealed_by_committee": True,
    }
    return AgreementTerms(**(values | overrides))


def test_an_agreement_with_all_signatures_and_the_seal_takes_effect():
    check_effective(_terms(), date(2026, 11, 30))


@pytest.mark.parametrize(
    "missing",
    ["signed_by_complainant", "signed_by_respondent", "signed_by_mediator", "sealed_by_committee"],
)
def test_an_agreement_lacking_a_signature_or_the_seal_does_not_take_effect(missing):
    with pytest.raises(Incomplete) as err:
        check_effective(_terms(**{missing: False}), date(2026, 11, 30))
    assert err.value.field == missing


def test_an_agreement_needs_a_deadline_that_has_not_passed():
    with pytest.raises(Incomplete) as err:
        check_effective(_terms(performance_deadline=date(2026, 1, 1)), date(2026, 11, 30))
    assert err.value.field == "performance_deadline"
