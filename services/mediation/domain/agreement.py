"""What a mediation agreement needs before it takes effect (People's Mediation Law arts. 29-31)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from services.mediation.domain.errors import Incomplete


class AgreementTerms(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

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


# LDMAL 16: wages, work-injury medical costs, economic compensation or damages not paid on time
# may be taken to court for a payment order (支付令).
PAYMENT_ORDER_TYPES = frozenset({"unpaid_wages", "overtime_pay", "injury_compensation"})


def payment_order_eligible(dispute_type: str) -> bool:
    return dispute_type in PAYMENT_ORDER_TYPES
