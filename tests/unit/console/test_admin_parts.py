"""The admin pages' pure parts: a directory entry and a category policy from their forms."""

from __future__ import annotations

from services.console.entrypoints.admin_pages import department_body, policy_body
from shared.contracts.glossary import explain


def test_a_directory_form_keeps_the_entrys_contacts_and_drops_empty_escalations():
    form = {
        "name": " 赵巷镇道路养护所 ",
        "kind": "department",
        "categories": ["manhole_cover"],
        "jurisdictions": [],
        "escalation": ["zhaoxiang-supervisor", ""],
    }
    kept = {"contacts": [{"channel": "phone", "address": "021-59990100", "label": "值班电话"}]}
    body = department_body(form, kept)
    assert body["name"] == "赵巷镇道路养护所" and body["jurisdictions"] == ["*"]
    assert body["escalation"] == ["zhaoxiang-supervisor"]
    assert body["contacts"] == kept["contacts"] and body["active"] is True
    assert department_body(form, None)["contacts"] == []


def test_a_policy_form_becomes_numbers_and_a_wrong_number_is_left_for_dispatch_to_name():
    form = {
        "acknowledge_hours": "2",
        "resolve_days": "3.5",
        "warn_before_fraction": "0.25",
        "escalation_step_hours": "24",
        "points": "x",
    }
    body = policy_body(form)
    assert body == {
        "acknowledge_hours": 2.0,
        "resolve_days": 3.5,
        "warn_before_fraction": 0.25,
        "escalation_step_hours": 24.0,
        "points": "x",
    }


def test_an_account_refusal_reads_in_chinese_by_its_field():
    # intake's field errors: {"detail", "errors": [{"field", "message"}]}
    taken = {
        "detail": "already taken",
        "errors": [{"field": "username", "message": "already taken"}],
    }
    assert explain(422, taken) == {"username": "已被使用，请换一个"}
    why = "at least 10 characters"
    short = {"detail": why, "errors": [{"field": "password", "message": why}]}
    assert explain(422, short, "en") == {"password": "At least 10 characters"}
