"""The agreement PDF reads as the committee's document (#19): names, whole sentences, Chinese
dates, one signature line per party, one copy per party plus the committee's.

Each agreement is rendered by the service, its text extracted with pdftotext (poppler) and
compared with the expected wording line by line: one, two and three respondents, and a group.
"""

from __future__ import annotations

import subprocess
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from shared.platform.clock import FrozenClock
from tests.integration.mediation_harness import (
    COMMITTEE,
    HQLW,
    SUDA,
    Mediation,
    mediator,
    running_mediation,
)

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 2026年12月1日 10:00 in Shanghai
AGREEMENT = {
    "facts": "申请人十月工资8600元未发放，被申请人确认欠付并承担支付责任。",
    "terms": "被申请人向申请人支付十月工资捌仟陆佰元。",
    "performance_manner": "银行转账",
    "performance_deadline": "2026-12-20",
    "signed_by_complainant": True,
    "signed_by_respondent": True,
    "signed_by_mediator": True,
    "sealed_by_committee": True,
}
RESPONDENTS = (
    ("沪青劳务外包有限公司", HQLW),
    ("速达快递有限公司青浦分公司", "91310118SUDAQP003C"),
    ("快送平台青浦区域合作商", "91310118KSPT00003B"),
)
# The demo roster's people and bodies by name (services/mediation/adapters/data/roster.json).
MEDIATORS = {
    "med-zhang": ("张调解员", "华新镇司法所"),
    "med-chen": ("陈警官", "华新派出所"),
    "med-wang": ("王律师", "明和律师事务所"),
    "med-liu": ("刘律师", "明和律师事务所"),
    "med-zhou": ("周主席", "区总工会快递行业工会"),
    "med-sun": ("孙站长", "速达快递总部调解站"),
}
LINE = "______________________"


@pytest.fixture
async def mediation(database_url: str, redis_url: str):
    async with running_mediation(database_url, redis_url, FrozenClock(NOW)) as service:
        yield service


def written(day: str) -> str:
    d = date.fromisoformat(day)
    return f"{d.year}年{d.month}月{d.day}日"


async def pdf_lines(mediation: Mediation, case_id: uuid.UUID, folder: Path) -> list[str]:
    url = f"/api/v1/disputes/{case_id}/agreement.pdf"
    response = await mediation.client.get(url, headers=COMMITTEE, params={"copy": "committee"})
    assert response.status_code == 200, response.text
    path = folder / f"{case_id}.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [line.strip() for line in text.splitlines() if line.strip()]


def expected(
    dispute: dict[str, Any],
    applicants: list[str],
    respondents: list[str],
    copies: str,
    holders: str,
    *,
    representatives: list[str] | None = None,
    schedule: list[str] | None = None,
) -> list[str]:
    name, body = MEDIATORS[dispute["mediator_id"]]
    due = {c["clock"]: c["due_on"] for c in dispute["clocks"]}
    agreement = dispute["agreement"]
    if representatives is None:
        who = [f"申请人：{applicants[0]}"]
        signers = [f"申请人（签名）：{applicants[0]}{LINE}"]
    else:
        who = [f"申请人（共{len(applicants)}人）：{'、'.join(applicants)}"]
        who.append(f"申请人代表：{'、'.join(representatives)}")
        signers = [f"申请人代表（签名）：{r}{LINE}" for r in representatives]
    return [
        "劳动争议人民调解协议书",
        "Labour-dispute mediation agreement",
        f"编号 No. {agreement['agreement_id']}，查询码 {dispute['tracking_code']}",
        "当事人",
        *who,
        *(f"被申请人：{r}" for r in respondents),
        f"调解员：{name}（{body}）",
        "一、主要事实、争议事项及各方责任",
        AGREEMENT["facts"],
        "二、协议内容",
        AGREEMENT["terms"],
        "三、履行方式与期限",
        "履行方式：银行转账。",
        "履行期限：于2026年12月20日前履行完毕。",
        "一方当事人在协议约定期限内不履行的，另一方当事人可以依法申请仲裁。",
        "四、生效",
        "本协议经双方当事人签名或盖章、调解员签名并加盖调解组织印章后生效。",
        "生效日期：2026年12月1日。",
        "调解协议书对双方当事人具有约束力，当事人应当履行。",
        "五、司法确认与仲裁审查",
        f"双方当事人可自本协议生效之日起三十日内，即{written(due['judicial_confirmation'])}前，"
        "共同向人民法院申请司法确认。",
        f"双方当事人可自本协议生效之日起十五日内，即{written(due['arbitration_review'])}前，",
        "共同向劳动人事争议仲裁委员会申请仲裁审查。",
        "六、份数",
        f"本协议一式{copies}份，{holders}各执一份，调解委员会留存一份。",
        *(schedule or []),
        *signers,
        *(f"被申请人（签名或盖章）：{r}{LINE}" for r in respondents),
        f"调解员（签名）：{name}{LINE}",
        f"调解组织（印章）：{body}{LINE}",
        "2026年12月1日",
        "本份：调解委员会存档 (Committee's copy)",
    ]


async def agreed(mediation: Mediation, **kw: Any) -> tuple[uuid.UUID, dict[str, Any]]:
    case_id, dispute = await mediation.in_mediation(**kw)
    await mediation.ok(case_id, "agreement", mediator(dispute["mediator_id"]), AGREEMENT)
    return case_id, await mediation.get(case_id)


@pytest.mark.parametrize(
    ("count", "copies", "holders"),
    [(1, "三", "双方当事人"), (2, "四", "申请人、各被申请人"), (3, "五", "申请人、各被申请人")],
)
async def test_an_agreement_reads_as_the_committees_document(
    mediation: Mediation, tmp_path: Path, count: int, copies: str, holders: str
):
    respondents = RESPONDENTS[:count]
    case_id, dispute = await agreed(mediation, respondents=respondents)
    lines = await pdf_lines(mediation, case_id, tmp_path)
    names = [n for n, _ in respondents]
    assert lines == expected(dispute, ["李某"], names, copies, holders)
    text = "\n".join(lines)
    for raw in ("lawfirm-", "huaxin-", "med-", "2026-12", "T02:00"):
        assert raw not in text, f"a code or an ISO date on the document: {raw}"


async def test_a_group_agreement_names_every_member_and_the_representatives_sign(
    mediation: Mediation, tmp_path: Path
):
    respondent = (("速达快递有限公司", SUDA),)
    parent, dispute = await mediation.in_mediation(
        complainant_id="p-grp-0", complainant_name="赵一", respondents=respondent
    )
    names = ["钱二", "孙三", "李四"]
    members = [
        (
            await mediation.file(
                parent_case_id=parent,
                complainant_id=f"p-grp-{i}",
                complainant_name=name,
                respondents=respondent,
            )
        )[0]
        for i, name in enumerate(names, start=1)
    ]
    me = mediator(dispute["mediator_id"])
    await mediation.ok(parent, "representatives", me, {"party_ids": ["p-grp-2", "p-grp-1"]})
    schedule = [
        {"case_id": str(case_id), "amount_yuan": amount, "due_on": due}
        for case_id, amount, due in zip(
            members, (3200, 2850.5, 4100), ("2026-12-10", "2026-12-15", "2026-12-20"), strict=True
        )
    ]
    await mediation.ok(parent, "agreement", me, AGREEMENT | {"schedule": schedule})
    lines = await pdf_lines(mediation, parent, tmp_path)
    assert lines == expected(
        await mediation.get(parent),
        names,
        ["速达快递有限公司"],
        "五",
        "各申请人、被申请人",
        representatives=["孙三", "钱二"],
        schedule=[
            "附表：成员金额与支付日期",
            "钱二：人民币3200元，于2026年12月10日前支付。",
            "孙三：人民币2850.50元，于2026年12月15日前支付。",
            "李四：人民币4100元，于2026年12月20日前支付。",
        ],
    )
