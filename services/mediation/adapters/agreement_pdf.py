"""The mediation agreement as a PDF (PML 28-29, LDMAL 14), Chinese first, with the CJK font
embedded so it prints the same everywhere. One copy per holder: each party and the committee.

It reads as the committee's own document: bodies and people by their names, dates as 2026年12月5日,
one signature line per party, "一式N份" counted from the parties. Lines are broken only after a
clause's punctuation (，；、：), never inside a date or a name, so a sentence stays whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from fpdf import FPDF

from shared.contracts.glossary import written_date

Copy = Literal["complainant", "respondent", "committee"]
COPY_NAMES: dict[str, str] = {
    "complainant": "申请人存执 (Applicant's copy)",
    "respondent": "被申请人存执 (Respondent's copy)",
    "committee": "调解委员会存档 (Committee's copy)",
}
_BREAK_AFTER = "，；、：。"
_DIGITS = "零一二三四五六七八九"


class FontMissing(RuntimeError):
    """The configured CJK font is not installed: refuse rather than print empty boxes."""


@dataclass(frozen=True)
class AgreementDocument:
    agreement_id: str
    tracking_code: str
    complainant: str
    respondents: list[str]
    mediator: str
    duty_body: str
    facts: str
    terms: str
    performance_manner: str
    performance_deadline: date
    effective_on: date
    judicial_confirmation_by: date | None
    arbitration_review_by: date | None
    # A group dispute (LDMAL 7): every member is an applicant; the representatives sign.
    members: list[str] = field(default_factory=list)
    representatives: list[str] = field(default_factory=list)
    # its schedule: (member, amount in yuan, pay by), one line per member
    schedule: list[tuple[str, float, date]] = field(default_factory=list)

    @property
    def applicants(self) -> list[str]:
        return self.members or [self.complainant]

    @property
    def copies(self) -> int:
        """One per party (each applicant, each respondent) and one kept by the committee."""
        return len(self.applicants) + len(self.respondents) + 1


def chinese_number(n: int) -> str:
    """1..99 as written in a document: 三, 十一, 二十, 二十四."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def render(doc: AgreementDocument, copy: Copy, font: Path) -> bytes:
    if not font.is_file():
        raise FontMissing(
            f"CJK font {font} is missing (Debian: apt-get install fonts-wqy-microhei)"
        )
    pdf = FPDF(format="A4")
    pdf.set_title(f"人民调解协议书 {doc.agreement_id}")
    pdf.add_font("cjk", fname=str(font))
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 12, "劳动争议人民调解协议书", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 6, "Labour-dispute mediation agreement", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(
        0,
        8,
        f"编号 No. {doc.agreement_id}，查询码 {doc.tracking_code}",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for heading, paragraphs in sections(doc):
        pdf.set_font("cjk", size=12)
        _paragraph(pdf, heading, 8)
        pdf.set_font("cjk", size=11)
        for text in paragraphs:
            _paragraph(pdf, text, 7)
        pdf.ln(2)
    pdf.ln(4)
    pdf.set_font("cjk", size=11)
    for line in signature_lines(doc):
        _paragraph(pdf, f"{line}______________________", 10)
    pdf.ln(2)
    _paragraph(pdf, f"{written_date(doc.effective_on)}", 8)
    pdf.ln(2)
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 8, f"本份：{COPY_NAMES[copy]}", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _paragraph(pdf: FPDF, text: str, height: float) -> None:
    width = pdf.epw
    for line in wrap(text, pdf.get_string_width, width):
        pdf.cell(0, height, line, new_x="LMARGIN", new_y="NEXT")


def wrap(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """Lines no wider than `width`, broken after a clause's punctuation where one fits."""
    lines: list[str] = []
    for source in text.split("\n"):
        clauses, current = [], ""
        for char in source:
            current += char
            if char in _BREAK_AFTER:
                clauses.append(current)
                current = ""
        if current:
            clauses.append(current)
        line = ""
        for clause in clauses:
            if line and measure(line + clause) > width:
                lines.append(line)
                line = ""
            line += clause
            while measure(line) > width:  # one clause wider than the page: break by characters
                cut = len(line)
                while cut > 1 and measure(line[:cut]) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def signature_lines(doc: AgreementDocument) -> list[str]:
    """One line per party that signs or seals, the mediator, and the committee's seal."""
    if doc.members:
        signers = [f"申请人代表（签名）：{name}" for name in doc.representatives] or [
            "申请人代表（签名）："
        ]
    else:
        signers = [f"申请人（签名）：{doc.complainant}"]
    signers += [f"被申请人（签名或盖章）：{name}" for name in doc.respondents]
    signers.append(f"调解员（签名）：{doc.mediator}")
    signers.append(f"调解组织（印章）：{doc.duty_body}" if doc.duty_body else "调解组织（印章）：")
    return signers


def sections(doc: AgreementDocument) -> list[tuple[str, list[str]]]:
    """The document's headed sections, each a list of paragraphs (whole sentences)."""
    windows = []
    if doc.judicial_confirmation_by:
        windows.append(
            "双方当事人可自本协议生效之日起三十日内，"
            f"即{written_date(doc.judicial_confirmation_by)}前，共同向人民法院申请司法确认。"
        )
    if doc.arbitration_review_by:
        windows.append(
            "双方当事人可自本协议生效之日起十五日内，"
            f"即{written_date(doc.arbitration_review_by)}前，"
            "共同向劳动人事争议仲裁委员会申请仲裁审查。"
        )
    return [
        ("当事人", _parties(doc)),
        ("一、主要事实、争议事项及各方责任", [doc.facts]),
        ("二、协议内容", [doc.terms]),
        (
            "三、履行方式与期限",
            [
                f"履行方式：{doc.performance_manner}。".replace("。。", "。"),
                f"履行期限：于{written_date(doc.performance_deadline)}前履行完毕。",
                "一方当事人在协议约定期限内不履行的，另一方当事人可以依法申请仲裁。",
            ],
        ),
        (
            "四、生效",
            [
                "本协议经双方当事人签名或盖章、调解员签名并加盖调解组织印章后生效。",
                f"生效日期：{written_date(doc.effective_on)}。",
                "调解协议书对双方当事人具有约束力，当事人应当履行。",
            ],
        ),
        ("五、司法确认与仲裁审查", windows or ["—"]),
        ("六、份数", [_copies_sentence(doc)]),
        *([("附表：成员金额与支付日期", _schedule(doc))] if doc.schedule else []),
    ]


def _yuan(amount: float) -> str:
    return f"{amount:.0f}" if amount == int(amount) else f"{amount:.2f}"


def _schedule(doc: AgreementDocument) -> list[str]:
    return [
        f"{name}：人民币{_yuan(amount)}元，于{written_date(due)}前支付。"
        for name, amount, due in doc.schedule
    ]


def _parties(doc: AgreementDocument) -> list[str]:
    if doc.members:
        lines = [f"申请人（共{len(doc.members)}人）：{'、'.join(doc.members)}"]
        if doc.representatives:
            lines.append(f"申请人代表：{'、'.join(doc.representatives)}")
    else:
        lines = [f"申请人：{doc.complainant}"]
    lines += [f"被申请人：{name}" for name in doc.respondents]
    mediator = f"{doc.mediator}（{doc.duty_body}）" if doc.duty_body else doc.mediator
    lines.append(f"调解员：{mediator}")
    return lines


def _copies_sentence(doc: AgreementDocument) -> str:
    if len(doc.applicants) == 1 and len(doc.respondents) == 1:
        holders = "双方当事人"
    else:
        applicants = "申请人" if len(doc.applicants) == 1 else "各申请人"
        holders = f"{applicants}、{'被申请人' if len(doc.respondents) == 1 else '各被申请人'}"
    return f"本协议一式{chinese_number(doc.copies)}份，{holders}各执一份，调解委员会留存一份。"
