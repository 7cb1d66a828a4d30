"""The mediation agreement as a PDF (PML 28-29, LDMAL 14), Chinese first, with the CJK font
embedded so it prints the same everywhere. One copy per holder: each party and the committee."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from fpdf import FPDF

Copy = Literal["complainant", "respondent", "committee"]
COPY_NAMES: dict[str, str] = {
    "complainant": "申请人存执 (Applicant's copy)",
    "respondent": "被申请人存执 (Respondent's copy)",
    "committee": "调解委员会存档 (Committee's copy)",
}


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
        f"编号 No. {doc.agreement_id}    查询码 {doc.tracking_code}",
        align="R",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("cjk", size=12)
    for heading, text in _sections(doc):
        pdf.set_font("cjk", size=12)
        pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("cjk", size=11)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.ln(6)
    for line in (
        "申请人（签名）：",
        "被申请人（签名或盖章）：",
        "调解员（签名）：",
        "调解委员会（印章）：",
    ):
        pdf.cell(0, 10, f"{line}______________________", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("cjk", size=10)
    pdf.cell(0, 8, f"本份：{COPY_NAMES[copy]}", align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _sections(doc: AgreementDocument) -> list[tuple[str, str]]:
    windows = []
    if doc.judicial_confirmation_by:
        windows.append(
            f"双方当事人可自本协议生效之日起三十日内（至 {doc.judicial_confirmation_by} 止）"
            "共同向人民法院申请司法确认。"
        )
    if doc.arbitration_review_by:
        windows.append(
            f"双方当事人可自本协议生效之日起十五日内（至 {doc.arbitration_review_by} 止）"
            "共同向劳动人事争议仲裁委员会申请仲裁审查。"
        )
    return [
        (
            "当事人",
            f"申请人：{doc.complainant}\n被申请人：{'；'.join(doc.respondents)}\n"
            f"调解员：{doc.mediator}（{doc.duty_body}）",
        ),
        ("一、主要事实、争议事项及各方责任", doc.facts),
        ("二、协议内容", doc.terms),
        (
            "三、履行方式与期限",
            f"履行方式：{doc.performance_manner}\n履行期限：{doc.performance_deadline} 前履行完毕。"
            "一方当事人在协议约定期限内不履行的，另一方当事人可以依法申请仲裁。",
        ),
        (
            "四、生效",
            f"本协议经双方当事人签名或盖章、调解员签名并加盖调解组织印章后生效，"
            f"生效日期：{doc.effective_on}。调解协议书对双方当事人具有约束力，当事人应当履行。",
        ),
        ("五、司法确认与仲裁审查", "\n".join(windows) or "—"),
        ("六、份数", "本协议一式三份，双方当事人各执一份，调解委员会留存一份。"),
    ]
