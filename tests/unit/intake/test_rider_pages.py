"""The rider pages' helpers: what counts as a phone or an e-mail, a code as typed, the ledger
built from the credits on the rider's tickets, and which cookie opens the page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.intake.entrypoints.rider_pages import (
    WORDS,
    Ticket,
    Who,
    ledger,
    parse_code,
    parse_who,
    session_party,
    word,
)
from services.intake.entrypoints.schemas import TimelineItem
from shared.contracts.envelope import Actor
from shared.platform.auth.tokens import generate_keypair, issue

T0 = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("13912345678", Who(phone="13912345678")),
        ("139 1234 5678", Who(phone="13912345678")),
        ("+86 139-1234-5678", Who(phone="13912345678")),
        ("１３９１２３４５６７８", Who(phone="13912345678")),
        (" Rider@Example.CN ", Who(email="rider@example.cn")),
        ("rider＠example.cn", Who(email="rider@example.cn")),
    ],
)
def test_a_phone_or_an_email_as_people_type_them(typed: str, who: Who):
    assert parse_who(typed) == who


@pytest.mark.parametrize(
    "typed", ["", "abc", "12345", "021-61234567", "23912345678", "a@b", "x@@y.cn", "1391234567"]
)
def test_anything_else_is_refused(typed: str):
    assert parse_who(typed) is None


def test_the_page_repeats_the_number_back_masked():
    assert Who(phone="13912345678").shown == "139****5678"
    assert "rider@" not in Who(email="rider@example.cn").shown


@pytest.mark.parametrize(("typed", "code"), [("123456", "123456"), (" 123 456 ", "123456"),
                                              ("１２３４５６", "123456")])  # fmt: skip
def test_a_code_as_typed(typed: str, code: str):
    assert parse_code(typed) == code


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456"])
def test_a_code_that_is_not_six_digits(typed: str):
    assert parse_code(typed) is None


def _item(at: datetime, event_type: str, zh: str) -> TimelineItem:
    return TimelineItem(
        occurred_at=at,
        event_type=event_type,
        producer="dispatch",
        actor_role="system",
        text_zh=zh,
        text_en=zh,
        state=None,
    )


def test_the_ledger_lists_each_credit_with_its_report_newest_first():
    first = Ticket("AB12-CD34", "井盖缺失", "hazard", "closed", T0, [
        _item(T0, "case.filed", "已受理"),
        _item(T0 + timedelta(days=2), "points.credited", "报告人获得贡献积分 20 分（累计 20 分）"),
    ])  # fmt: skip
    second = Ticket("EF56-GH78", "消防通道堵塞", "hazard", "closed", T0, [
        _item(T0 + timedelta(days=3), "points.credited", "报告人获得贡献积分 20 分（累计 40 分）"),
    ])  # fmt: skip
    lines = ledger([first, second])
    assert [(e.tracking_code, e.title) for e in lines] == [
        ("EF56-GH78", "消防通道堵塞"),
        ("AB12-CD34", "井盖缺失"),
    ]
    assert lines[0].text_zh == "您获得贡献积分 20 分（累计 40 分）"  # his ledger speaks to him
    assert ledger([Ticket("AB12-CD34", "x", "hazard", "filed", T0, [])]) == []


def test_only_a_riders_own_live_token_is_a_session():
    private, public = generate_keypair()
    rider = issue(private, Actor(role="reporter", id="p-1"), user_id="rider:p-1")
    assert session_party(rider, public) == "p-1"
    officer = issue(private, Actor(role="intake_officer", id="o-1"), user_id="o-1")
    not_signed_in = issue(private, Actor(role="reporter", id="p-1"), user_id="tracking")
    stranger_key, _ = generate_keypair()
    forged = issue(stranger_key, Actor(role="reporter", id="p-1"), user_id="rider:p-1")
    expired = issue(private, Actor(role="reporter", id="p-1"), user_id="rider:p-1", ttl_seconds=-5)
    for token in (None, "", "junk", officer, not_signed_in, forged, expired):
        assert session_party(token, public) is None


def test_every_sentence_has_both_languages():
    for key, (zh, en) in WORDS.items():
        assert zh and en and zh != en, key
        assert word(key, "zh-CN") == zh and word(key, "en") == en
