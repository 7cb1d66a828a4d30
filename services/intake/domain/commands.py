"""Intake's commands: what an officer, an app or a reporter asks for, validated field by field."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from services.intake.domain.catalogue import DISPUTE_TYPES

_PHONE = r"^\+?[0-9][0-9 -]{5,19}$"


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PersonIn(Command):
    name: str = Field(min_length=1, max_length=100, description="姓名 Name")
    phone: str | None = Field(default=None, pattern=_PHONE, description="手机号 Phone")
    email: EmailStr | None = Field(default=None, description="电子邮箱 Email")
    locale: Literal["zh-CN", "en"] = "zh-CN"


class RespondentIn(Command):
    name: str = Field(min_length=1, max_length=100, description="被申请人名称 Company name")
    org_code: str | None = Field(default=None, max_length=40, description="统一社会信用代码")
    email: EmailStr | None = None


class OralApplication(Command):
    """An application taken by word of mouth: the officer reads it back, the applicant confirms."""

    confirmed_by_applicant: bool = Field(description="申请人已确认笔录 Applicant confirmed")
    read_back_by: str = Field(min_length=1, max_length=64, description="记录人 Officer id")

    @field_validator("confirmed_by_applicant")
    @classmethod
    def _must_confirm(cls, value: bool) -> bool:
        if not value:
            raise ValueError("an oral application needs the applicant's confirmation")
        return value


class FileDispute(Command):
    complainant: PersonIn
    respondents: list[RespondentIn] = Field(min_length=1, max_length=20)
    dispute_type: str = Field(description="纠纷类型 " + ", ".join(DISPUTE_TYPES))
    claim: str = Field(min_length=1, max_length=2000, description="请求事项 Claim")
    claim_amount_yuan: float | None = Field(default=None, ge=0, le=100_000_000)
    facts: str = Field(min_length=1, max_length=4000, description="事实与理由 Facts")
    desired_outcome: str = Field(default="", max_length=2000)
    platform_worker: bool = Field(default=False, description="新就业形态劳动者 Platform worker")
    dispute_arose_on: date | None = None
    oral_application: OralApplication | None = None

    @field_validator("dispute_type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in DISPUTE_TYPES:
            raise ValueError(f"unknown dispute type; one of {', '.join(DISPUTE_TYPES)}")
        return value


class FileHazard(Command):
    category: str = Field(min_length=1, max_length=40, description="隐患类别 Category code")
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    description: str = Field(min_length=1, max_length=4000)
    address: str = Field(default="", max_length=300)
    reporter: PersonIn


class AnswerFix(Command):
    fixed: bool = Field(description="修好了吗？ Is it fixed?")
    note: str = Field(default="", max_length=1000)
