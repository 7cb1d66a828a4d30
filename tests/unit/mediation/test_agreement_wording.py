"""The agreement's wording rules (#19): copies counted from the parties, written numbers, and
lines broken only after a clause's punctuation."""

from __future__ import annotations

from datetime import date

from services.mediation.adapters.agreement_pdf import (
    AgreementDocument,
    chinese_number,
    signature_lines,
    wrap,
)


def doc(respondents: list[str], members: list[str] | None = None) -> AgreementDocument:
    return AgreementDocument(
        agreement_id="agr-1",
        tracking_code="D1",
        complainant="李某",
        respondents=respondents,
        mediator="王律师",
        duty_body="明和律师事务所",
        facts="事实。",
        terms="条款。",
        performance_manner="银行转账",
        performance_deadline=date(2026, 12, 20),
        effective_on=date(2026, 12, 5),
        judicial_confirmation_by=None,
        arbitration_review_by=None,
        members=members or [],
        representatives=(members or [])[:1],
    )


def test_written_numbers_as_a_document_writes_them():
    assert [chinese_number(n) for n in (1, 3, 10, 11, 20, 24, 99)] == [
        "一",
        "三",
        "十",
        "十一",
        "二十",
        "二十四",
        "九十九",
    ]


def test_one_copy_per_party_and_one_for_the_committee():
    assert doc(["甲公司"]).copies == 3
    assert doc(["甲公司", "乙公司"]).copies == 4
    assert doc(["甲公司"], members=["赵一", "钱二", "孙三"]).copies == 5


def test_each_respondent_signs_on_its_own_line_and_the_body_seals():
    lines = signature_lines(doc(["甲公司", "乙公司"]))
    assert lines == [
        "申请人（签名）：李某",
        "被申请人（签名或盖章）：甲公司",
        "被申请人（签名或盖章）：乙公司",
        "调解员（签名）：王律师",
        "调解组织（印章）：明和律师事务所",
    ]


def test_lines_break_after_a_clause_never_inside_a_date():
    text = "双方当事人可自本协议生效之日起十五日内，即2026年12月16日前，共同申请仲裁审查。"
    # one unit per character: room for 30 characters a line
    assert wrap(text, len, 30) == [
        "双方当事人可自本协议生效之日起十五日内，",
        "即2026年12月16日前，共同申请仲裁审查。",
    ]
    assert wrap("一二三四五六", len, 4) == ["一二三四", "五六"]  # no clause fits: by characters
