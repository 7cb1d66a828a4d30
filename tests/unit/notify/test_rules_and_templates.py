import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.notify.adapters.directory_file import ChannelDirectory, Endpoint
from services.notify.adapters.sender import with_key
from services.notify.adapters.templates import LOCALES, Renderer
from services.notify.domain.delivery import idempotency_key, next_attempt
from services.notify.domain.rules import RULES
from shared.contracts.catalogue import CATALOGUE

SAMPLE_PAYLOAD = {
    "mediator_name": "王律师",
    "duty_body": "明和律师事务所",
    "performance_deadline": "2026-12-10",
    "department_name": "赵巷镇道路养护所",
    "acknowledge_due": "2026-11-30T10:00:00+00:00",
    "resolve_due": "2026-12-01T10:00:00+00:00",
    "note": "已补装井盖",
    "state": "x",
}


class _Case:
    kind, tracking_code, title = "hazard", "ABCD-EFGH", "窨井盖缺失或破损：赵巷镇"


class _Party:
    display_name = "吴师傅"


def test_every_rule_names_a_catalogued_event():
    assert set(RULES) <= set(CATALOGUE)


@pytest.mark.parametrize(
    ("event_type", "rule"), [(e, r) for e, rules in RULES.items() for r in rules]
)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_template_renders_for_every_party_in_every_locale(event_type, rule, locale):
    subject, body = Renderer().render(
        rule.template,
        locale,
        {"case": _Case(), "party": _Party(), "payload": SAMPLE_PAYLOAD, "track_url": "http://x/t"},
    )
    assert subject and body
    assert "{{" not in body


def test_legal_notices_are_critical_and_quote_the_deadline():
    rule = next(r for r in RULES["agreement.signed"] if r.party == "complainant")
    assert rule.critical
    _subject, body = Renderer().render(
        rule.template,
        "zh-CN",
        {"case": _Case(), "party": _Party(), "payload": SAMPLE_PAYLOAD, "track_url": ""},
    )
    assert "三十日" in body and "2026-12-10" in body


def test_times_are_shown_in_shanghai_time():
    _s, body = Renderer().render(
        "hazard_dispatched_department",
        "zh-CN",
        {"case": _Case(), "party": _Party(), "payload": SAMPLE_PAYLOAD, "track_url": ""},
    )
    assert "2026-11-30 18:00" in body


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


def test_the_key_travels_as_a_header_on_webhooks_and_email():
    assert "+Idempotency-Key=e%3Ap%3Awebhook" in with_key("json://h/x", "e:p:webhook")
    assert "+X-Waystation-Idempotency-Key=" in with_key("mailto://h:25?from=a@b.c", "k")


def test_wildcard_channel_targets_fill_in_the_party_id():
    directory = ChannelDirectory(parties={"department:*": Endpoint(urls=["json://h/d/{id}"])})
    found = directory.lookup("department:zx-road")
    assert found is not None and found.urls == ["json://h/d/zx-road"]
    assert directory.lookup("committee") is None
