"""What a mediation agreement needs before it takes effect (People's Mediation Law arts. 29-31)."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from services.mediation.domain.errors import Incomplete
from shared.platform.json_rules import stripped_text


class ScheduleLine(BaseModel):
    """One member's line of a group agreement: how much, paid by when."""

    model_config = ConfigDict(extra="forbid")

    case_id: uuid.UUID = Field(description="成员案件 The member's case")
    amount_yuan: float = Field(ge=0, le=100_000_000, description="金额 Amount")
    due_on: date = Field(description="支付日期 Pay by")


class AgreementTerms(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=stripped_text
    )

    facts: str = Field(
        min_length=1,
        max_length=4000,
        description="主要事实、争议事项及各方责任 Facts, matters in dispute, responsibilities",
    )
    terms: str = Field(min_length=1, max_length=4000, description="协议内容 Terms")
    performance_manner: str = Field(min_length=1, max_length=500, description="履行方式")
    performance_deadline: date = Field(description="履行期限 Perform by")
    signed_by_complainant: bool = False
    signed_by_respondent: bool = False
    signed_by_mediator: bool = False
    sealed_by_committee: bool = False
    # A group dispute's agreement: each member's amount and payment date (LDMAL 7).
    schedule: list[ScheduleLine] = Field(default_factory=list, max_length=1000)


def check_effective(agreement: AgreementTerms, today: date) -> None:
    """Both parties and the mediator have signed and the body sealed it; a future deadline."""
    for field in (
        "signed_by_complainant",
        "signed_by_respondent",
        "signed_by_mediator",
        "sealed_by_committee",
    ):
        if not getattr(agreement, field):
            raise Incomplete(field, f"the agreement takes effect only once {field} is true")
    if agreement.performance_deadline < today:
        raise Incomplete("performance_deadline", "the performance deadline lies in the past")
    for line in agreement.schedule:
        if not today <= line.due_on <= agreement.performance_deadline:
            raise Incomplete(
                "schedule", "a member's payment date lies outside today .. performance_deadline"
            )


# LDMAL 16: wages, work-injury medical costs, economic compensation or damages not paid on time
# may be taken to court for a payment order (支付令).
PAYMENT_ORDER_TYPES = frozenset({"unpaid_wages", "overtime_pay", "injury_compensation"})


def payment_order_eligible(dispute_type: str) -> bool:
    return dispute_type in PAYMENT_ORDER_TYPES
