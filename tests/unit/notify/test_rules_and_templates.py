import random
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from services.notify.adapters.channels import channel_of, with_key
from services.notify.adapters.directory_file import ChannelDirectory, Endpoint
from services.notify.adapters.templates import LOCALES, Renderer
from services.notify.domain.delivery import (
    SECRET_EVENTS,
    http_status_is_permanent,
    idempotency_key,
    masked_secret,
    next_attempt,
    smtp_code_is_permanent,
)
from services.notify.domain.rules import RULES, SILENT, rules_for
from shared.contracts.catalogue import CATALOGUE
from shared.contracts.glossary import written_date
from tests.unit.notify.samples import samples

RENDERER = Renderer()
LEGAL_NOTICES = {
    "agreement.signed",
    "mediation.expired",
    "mediation.failed",
    "dispute.respondent_declined",
    "deadline.expired",
    "performance.not_performed",
    "dispute.referred_to_arbitration",
}
# What each legal notice must quote: an article and a period or date.
ARTICLES_ZH = re.compile(r"第[一二三四五六七八九十]+条")
PERIOD_ZH = re.compile(r"[一二三四五六七八九十]+[日年]|\d{4}年\d{1,2}月\d{1,2}日")


@dataclass(frozen=True)
class _Case:
    kind: str = "dispute"
    tracking_code: str = "ABCD-EFGH"
    title: str = "拖欠工资：沪青劳务外包有限公司"


@dataclass(frozen=True)
class _Party:
    role: str
    display_name: str = "李某"
    party_id: str = "p-1"
    locale: str = "zh-CN"


def _render(rule, locale, payload):
    context = {
        "case": _Case(),
        "party": _Party(role=rule.party),
        "payload": payload,
        "tracking_code": "ABCD-EFGH",
        "track_url": "https://ws.example/track/ABCD-EFGH",
    }
    return RENDERER.render(rule.template, locale, context)


ROWS = [
    (event, i, rule)
    for event in RULES
    for i, payload in enumerate(samples(event))
    for rule in rules_for(event, payload)
]


def test_every_catalogued_event_is_either_told_or_documented_as_silent():
    assert set(RULES) | set(SILENT) == set(CATALOGUE)
    assert not set(RULES) & set(SILENT)


def test_every_template_exists_in_both_locales_and_is_used():
    used = {r.template for rules in RULES.values() for r in rules}
    for locale in LOCALES:
        on_disk = {p.stem for p in (RENDERER._directory / locale).glob("*.j2")}
        assert used == on_disk, locale


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("event_type", "variant", "rule"), ROWS)
def test_every_rule_renders_for_its_party_from_a_valid_payload(event_type, variant, rule, locale):
    payload = samples(event_type)[variant]
    subject, body = _render(rule, locale, payload)
    assert subject and body
    assert "{" not in subject + body and "None" not in subject + body
    assert len(subject) <= 120
    if locale == "en":
        assert not re.search(r"[\u4e00-\u9fff]", subject.replace(_Case.title, ""))


@pytest.mark.parametrize("event_type", sorted(LEGAL_NOTICES))
def test_legal_notices_are_critical_for_the_parties_and_quote_the_right_and_deadline(event_type):
    for payload in samples(event_type):
        party_rules = [
            r for r in rules_for(event_type, payload) if r.party in ("complainant", "respondent")
        ]
        if event_type == "deadline.expired" and payload["clock"].endswith("_target"):
            assert not party_rules  # the committee's internal targets: no party notice
            continue
        assert party_rules and all(r.critical for r in party_rules)
        for rule in party_rules:
            _s, zh = _render(rule, "zh-CN", payload)
            _s, en = _render(rule, "en", payload)
            assert ARTICLES_ZH.search(zh) and PERIOD_ZH.search(zh), zh
            assert re.search(r"Art\. \d+", en), en


def test_the_agreement_notice_names_both_windows_and_the_performance_date():
    payload = samples("agreement.signed")[0]
    rule = RULES["agreement.signed"][0]
    _s, body = _render(rule, "zh-CN", payload)
    assert "三十日" in body and "第三十三条" in body
    assert "十五日" in body and "第七十四条" in body
    assert written_date(payload["performance_deadline"]) in body


def test_an_expired_mediation_quotes_the_arbitration_limitation_date():
    payload = samples("mediation.expired")[0] | {"arbitration_limitation_on": "2027-11-30"}
    _s, body = _render(RULES["mediation.expired"][0], "zh-CN", payload)
    assert "第十四条" in body and "2027年11月30日" in body


def test_a_phone_number_typed_into_a_note_is_masked_in_the_message():
    payload = samples("hazard.progress_noted")[0] | {
        "note": "请联系13812345678或身份证110105199001010023"
    }
    _s, body = _render(RULES["hazard.progress_noted"][0], "zh-CN", payload)
    assert "13812345678" not in body and "138****5678" in body
    assert "110105199001010023" not in body


def test_deadline_warnings_reach_the_parties_only_for_their_own_clocks():
    by_clock = {
        p["clock"]: {r.party for r in rules_for("deadline.warning", p)}
        for p in samples("deadline.warning")
    }
    assert by_clock["acceptance_target"] == {"committee"}
    assert by_clock["arbitration_limitation"] == {"complainant", "committee"}
    assert by_clock["mediation_limit"] == {"complainant", "respondent", "mediator", "committee"}


def test_times_are_shown_in_shanghai_time():
    payload = samples("hazard.dispatched")[0]
    rule = next(r for r in RULES["hazard.dispatched"] if r.party == "department")
    _s, body = _render(rule, "zh-CN", payload)
    assert "2026年12月1日 10:30" in body  # 02:30 UTC


def test_the_idempotency_key_is_one_per_event_party_channel():
    event_id = str(uuid.uuid4())
    assert idempotency_key(event_id, "p-1", "email") != idempotency_key(event_id, "p-1", "inapp")


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    now = datetime(2026, 11, 30, tzinfo=UTC)
    rng = random.Random(7)
    delays = [(next_attempt(now, n, 2.0, 60.0, rng) - now).total_seconds() for n in range(1, 9)]
    assert 1.0 <= delays[0] <= 2.0
    assert 8.0 <= delays[3] <= 16.0
    assert all(d <= 60.0 for d in delays)
    assert next_attempt(now, 20, 2.0, 60.0, rng) - now <= timedelta(seconds=60)


@pytest.mark.parametrize(
    ("status", "permanent"),
    [
        (400, True),
        (401, True),
        (404, True),
        (410, True),
        (408, False),
        (429, False),
        (500, False),
        (503, False),
    ],
)
def test_client_errors_are_permanent_except_timeouts_and_rate_limits(status, permanent):
    assert http_status_is_permanent(status) is permanent


def test_smtp_5xx_replies_are_permanent_and_4xx_transient():
    assert smtp_code_is_permanent(550) and smtp_code_is_permanent(553)
    assert not smtp_code_is_permanent(450) and not smtp_code_is_permanent(421)


def test_the_key_travels_as_a_header_on_webhooks_and_email_and_webhooks_never_redirect():
    hook = with_key("json://h/x", "e:p:webhook")
    assert "+Idempotency-Key=e%3Ap%3Awebhook" in hook and "redirect=no" in hook
    assert "+X-Waystation-Idempotency-Key=" in with_key("mailto://h:25?from=a@b.c", "k")
    assert with_key("dingtalk://token/", "k") == "dingtalk://token/"


def test_channels_are_named_by_scheme():
    assert channel_of("wecombot://key") == "wecom"
    assert channel_of("feishu://t") == "feishu"
    assert channel_of("jsons://h/x") == "webhook"
    assert channel_of("twilio://x") is None


def test_wildcard_channel_targets_fill_in_the_party_id():
    directory = ChannelDirectory(parties={"department:*": Endpoint(urls=["json://h/d/{id}"])})
    found = directory.lookup("department:zx-road")
    assert found is not None and found.urls == ["json://h/d/zx-road"]
    assert directory.lookup("committee") is None


def test_a_sent_sign_in_code_is_kept_masked_in_the_log():
    assert "rider.code_requested" in SECRET_EVENTS
    text = "【青浦驿站】登录验证码 042917，2026年12月6日 08:04 前有效"
    assert masked_secret(text) == "【青浦驿站】登录验证码 ******，2026年12月6日 08:04 前有效"
    assert masked_secret("电话 13912345678") == "电话 13912345678"  # only six-digit runs


def test_a_deadline_moved_off_a_holiday_is_told_with_the_moved_day_and_why():
    """Civil Code art. 203: the notices give the moved end and say why; an event from before
    these fields (no `moved_because`) reads as it did."""
    moved = {
        "clock": "mediation_limit",
        "due_on": "2026-10-08",
        "days_left": 5,
        "nominal_due_on": "2026-10-01",
        "moved_because": "national_day",
        "calendar_missing": False,
    }
    rule = next(r for r in RULES["deadline.warning"] if r.party == "complainant")
    _s, zh = _render(rule, "zh-CN", moved)
    assert "2026年10月8日 届满" in zh
    assert "顺延至2026年10月8日（原末日2026年10月1日逢国庆节假期）（《民法典》第二百零三条）" in zh
    _s, en = _render(rule, "en", moved)
    assert "Moved to 8 Oct 2026 (the last day, 1 Oct 2026, fell on the National Day holiday)" in en
    old = {"clock": "mediation_limit", "due_on": "2026-03-17", "days_left": 5}
    _s, zh = _render(rule, "zh-CN", old)
    assert "顺延" not in zh and "未载入" not in zh
    unloaded = old | {"due_on": "2027-01-01", "calendar_missing": True}
    expired_rule = next(r for r in RULES["deadline.expired"] if r.party == "complainant")
    _s, zh = _render(expired_rule, "zh-CN", unloaded)
    assert "2027年官方节假日安排未载入" in zh
    extended = {
        "state": "in_mediation",
        "new_limit_on": "2026-10-08",
        "consent_recorded": True,
        "nominal_limit_on": "2026-10-01",
        "moved_because": "national_day",
    }
    ext_rule = next(r for r in RULES["mediation.extended"] if r.party == "complainant")
    _s, zh = _render(ext_rule, "zh-CN", extended)
    assert "顺延至2026年10月8日（原末日2026年10月1日逢国庆节假期）" in zh


def test_an_agreed_performance_day_off_is_told_with_the_day_it_moves_to():
    payload = samples("agreement.signed")[0] | {
        "performance_deadline": "2026-10-01",
        "performance_due_on": "2026-10-08",
        "performance_moved_because": "national_day",
    }
    rule = RULES["agreement.signed"][0]
    _s, zh = _render(rule, "zh-CN", payload)
    assert "履行期限为 2026年10月1日。顺延至2026年10月8日（原末日2026年10月1日逢国庆节假期）" in zh
    _s, en = _render(rule, "en", payload)
    assert "Performance is due by 1 Oct 2026. Moved to 8 Oct 2026" in en
