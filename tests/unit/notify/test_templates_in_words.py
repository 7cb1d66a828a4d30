"""Every notification template, rendered in zh-CN and en with realistic data (the codes real
events carry), shows words, never codes: no state, role, town, body, category or dispute-type
code, no id like "med-wang", no English error in Chinese, no UTC ISO timestamp, and greets an
organisation by its name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from services.notify.adapters.templates import Renderer
from services.notify.domain.parties import organisation_name
from services.notify.domain.rules import RULES, rules_for
from tests.browser.checks import CODES, raw_codes
from tests.unit.notify.samples import samples

RENDERER = Renderer()
# What real events carry in each field: codes a person must never read as they are.
REAL: dict[str, Any] = {
    "state": "dispatched",
    "category": "manhole_cover",
    "previous_category": "road_damage",
    "dispute_type": "unpaid_wages",
    "jurisdiction": "zhaoxiang",
    "previous_jurisdiction": "xujing",
    "urgency": "high",
    "mediator_id": "med-wang",
    "mediator_name": "王律师",
    "previous_mediator_id": "med-zhang",
    "duty_body": "huaxin-judicial",
    "duty_body_name": "华新镇司法所",
    "duty_body_kind": "judicial_office",
    "department_id": "zhaoxiang-road",
    "department_name": "赵巷镇道路养护所",
    "rerouted_from": "zhaoxiang-property",
    "escalated_to": "zhaoxiang-supervisor",
    "escalated_to_name": "赵巷镇城运中心（督办）",
    "supervisor_id": "zhaoxiang-supervisor",
    "supervisor_name": "赵巷镇城运中心（督办）",
    "received_via": "post",
    "received_by": "张受理",
    "channel": "open311",
    "station_id": "st-zhaoxiang-01",
    "session_id": "s-0001",
    "agreement_id": "a-0001",
    "reporter_id": "p-0001",
    "party_id": "p-0002",
    "follower_party_id": "p-0003",
    "photo_url": "https://ws.example/api/v1/cases/x/attachments/y",
    "company": "沪青劳务外包有限公司",
    "org_code": "91310118HQLW00002A",
    "name": "赵巷镇骑手驿站",
    "address": "赵巷镇嘉松中路 100 号",
    "town_name": "赵巷镇",
    "title": "窨井盖缺失",
    "hours_text": "周一至周五 09:00-17:00",
    "place": "赵巷镇骑手驿站二楼",
    "outcome": "双方达成一致",
    "resolution": "已补装新井盖",
    "terms": "被申请人于2026年12月10日前支付工资8600元",
    "claim": "支付10月工资8600元",
    "description": "人行道上窨井盖缺失",
    "desired_outcome": "一次性付清",
}
# The ids and codes of REAL (a person reads the words for them, never these).
_ID = re.compile(r"[a-z0-9]+[-_][a-z0-9_-]+")
IDS_CARRIED = sorted({v for v in REAL.values() if isinstance(v, str) and _ID.fullmatch(v)})
# Free text a person typed: shown as typed.
TYPED = "请尽快处理，谢谢"
# Fields that hold ids and are never meant to be shown (a template naming one shows a code).
IDS = ("case_ids", "attendees", "followers", "representative_party_ids")


def realistic(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: realistic(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [realistic(v, key) for v in value]
    if key in REAL and value not in (None, ""):
        return REAL[key]
    if isinstance(value, str) and value.startswith("sample-"):
        return f"id-{key.replace('_', '-')}" if key in IDS else TYPED
    return value


@dataclass(frozen=True)
class _Case:
    kind: str = "hazard"
    tracking_code: str = "QP7K-3M2X"
    title: str = "窨井盖缺失"


@dataclass(frozen=True)
class _Party:
    role: str
    display_name: str
    party_id: str = "p-1"
    locale: str = "zh-CN"


ORGANISATION_KEYS = {
    "committee": "committee",
    "mediator": "mediator:{mediator_id}",
    "previous_mediator": "mediator:{previous_mediator_id}",
    "department": "department:{department_id}",
    "escalation": "department:{escalated_to}",
}


def _party(rule_party: str, payload: dict[str, Any], locale: str) -> _Party:
    key = ORGANISATION_KEYS.get(rule_party)
    if key is None:
        return _Party(rule_party, "吴师傅" if locale == "zh-CN" else "Mr Wu", locale=locale)
    key = key.format(**{k: payload.get(k) or "" for k in re.findall(r"{(\w+)}", key)})
    return _Party(rule_party, organisation_name(key, payload, locale), locale=locale)


ROWS = [
    (event, i, rule)
    for event in RULES
    for i, payload in enumerate(samples(event))
    for rule in rules_for(event, realistic(payload))
]


def _render(event: str, variant: int, rule: Any, locale: str) -> str:
    payload = realistic(samples(event)[variant])
    kind = "dispute" if not event.startswith(("hazard.", "case.")) else "hazard"
    context = {
        "case": _Case(kind=kind),
        "party": _party(rule.party, payload, locale),
        "payload": payload,
        "tracking_code": "QP7K-3M2X",
        "track_url": "https://ws.example/track/QP7K-3M2X",
    }
    subject, body = RENDERER.render(rule.template, locale, context)
    return f"{subject}\n{body}"


def _without_links(text: str) -> str:
    return re.sub(r"https?://\S+", "", text)


@pytest.mark.parametrize(("event_type", "variant", "rule"), ROWS)
def test_every_template_reads_in_chinese_without_a_code(event_type, variant, rule):
    text = _render(event_type, variant, rule, "zh-CN")
    assert raw_codes(_without_links(text)) == [], text


@pytest.mark.parametrize(("event_type", "variant", "rule"), ROWS)
def test_every_english_template_shows_no_code_id_or_utc_timestamp(event_type, variant, rule):
    text = _without_links(_render(event_type, variant, rule, "en"))
    # English sentences may say "may not", "closed" or "e-bike"; codes, ids and ISO times may
    # not appear.
    kept = ("snake_case", "event type", "ISO timestamp", "empty value")
    found = [f for f in raw_codes(text) if f.startswith(kept)]
    found += [code for code in CODES if ("-" in code or "_" in code) and code in text]
    assert found == [], text


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize(("event_type", "variant", "rule"), ROWS)
def test_no_message_shows_an_id_the_event_carries(event_type, variant, rule, locale):
    text = _without_links(_render(event_type, variant, rule, locale))
    shown = [v for v in IDS_CARRIED if v in text]
    assert shown == [], text


def test_an_organisation_without_a_directory_name_is_greeted_by_its_name_or_its_kind():
    payload = {"department_id": "zhaoxiang-road", "department_name": "赵巷镇道路养护所"}
    assert organisation_name("mediator:med-wang", {}) == "王律师"
    assert organisation_name("department:zhaoxiang-road", payload) == "赵巷镇道路养护所"
    assert organisation_name("department:xujing-road", payload) == "负责部门"
    assert organisation_name("committee", {}, "en") == "Mediation committee"
    assert organisation_name("mediator:med-nobody", {"mediator_id": "med-nobody"}) == "调解员"
