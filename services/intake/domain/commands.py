"""Intake's commands: what an officer, an app or a reporter asks for, validated field by field."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    JsonValue,
    field_validator,
    model_validator,
)

from services.intake.domain.catalogue import DISPUTE_TYPES, HAZARD_CATEGORIES
from services.intake.domain.identity import normalise_id_number
from shared.platform.json_rules import any_of, one_of, rules, stripped_text, together

_PHONE = r"^\+?[0-9][0-9 -]{5,19}$"
PHONE_PATTERN = _PHONE
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
_URL = r"^https?://[^\s<>\"]{1,490}$"


# Where a session can be held (J13): a station of dispatch's register, by its id.
PreferredStation = Annotated[
    str | None,
    Field(
        max_length=64,
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="希望的调解地点（阵地编号） Preferred session place: a station's id",
    ),
]


# The hazard categories a filing or a correction may name (the catalogue's codes).
CATEGORY_CODES: list[JsonValue] = [c.code for c in HAZARD_CATEGORIES]


class Command(BaseModel):
    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, json_schema_extra=stripped_text
    )


class PersonIn(Command):
    name: str = Field(min_length=1, max_length=100, description="姓名 Name")
    phone: str | None = Field(default=None, pattern=_PHONE, description="手机号 Phone")
    email: EmailStr | None = Field(default=None, description="电子邮箱 Email")
    id_number: str | None = Field(
        default=None,
        min_length=18,
        max_length=18,
        description="居民身份证号 Resident ID number (stored encrypted, never in events)",
    )
    locale: Literal["zh-CN", "en"] = "zh-CN"

    @field_validator("id_number")
    @classmethod
    def _valid_id_number(cls, value: str | None) -> str | None:
        return normalise_id_number(value) if value is not None else None


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


class GroupMemberIn(PersonIn):
    """One worker of a group dispute (LDMAL 7): their own claim; some are elected to represent."""

    claim_amount_yuan: float | None = Field(default=None, ge=0, le=100_000_000)
    claim: str = Field(default="", max_length=2000, description="本人请求 This member's claim")
    representative: bool = Field(default=False, description="推选的代表人 Elected representative")


MAX_GROUP_MEMBERS = 500
MAX_REPRESENTATIVES = 5


def check_members(members: list[GroupMemberIn], known_id_hashes: set[str] | None = None) -> None:
    """No ID number twice in one group (a worker is one member)."""
    seen: set[str] = set(known_id_hashes or ())
    for member in members:
        if member.id_number:
            if member.id_number in seen:
                raise ValueError(f"member {member.name}: ID number given twice")
            seen.add(member.id_number)


class AddMembers(Command):
    """Workers who join a group dispute after it was filed."""

    members: list[GroupMemberIn] = Field(min_length=1, max_length=MAX_GROUP_MEMBERS)

    @model_validator(mode="after")
    def _distinct(self) -> AddMembers:
        check_members(self.members)
        if any(m.representative for m in self.members):
            raise ValueError("representatives are elected at filing; record a new election")
        return self


class FileDispute(Command):
    model_config = ConfigDict(
        json_schema_extra=rules(
            together("latitude", "longitude"),
            one_of("complainant", "members"),
            text_stripped=True,
        )
    )

    complainant: PersonIn | None = Field(
        default=None, description="申请人 The applicant (a lone dispute)"
    )
    # A group dispute (LDMAL 7): the members instead of one complainant.
    members: list[GroupMemberIn] | None = Field(
        default=None, min_length=2, max_length=MAX_GROUP_MEMBERS, description="集体争议成员"
    )
    # The town of the workplace or the applicant's station: an address naming a town/street,
    # or the map pick (latitude, longitude) inside the jurisdiction polygons.
    workplace_address: str = Field(default="", max_length=300, description="工作地点/驿站地址")
    respondents: list[RespondentIn] = Field(min_length=1, max_length=20)
    dispute_type: str = Field(
        description="纠纷类型 " + ", ".join(DISPUTE_TYPES),
        json_schema_extra={"enum": list(DISPUTE_TYPES)},
    )
    claim: str = Field(min_length=1, max_length=2000, description="请求事项 Claim")
    claim_amount_yuan: float | None = Field(default=None, ge=0, le=100_000_000)
    facts: str = Field(min_length=1, max_length=4000, description="事实与理由 Facts")
    desired_outcome: str = Field(default="", max_length=2000)
    platform_worker: bool = Field(default=False, description="新就业形态劳动者 Platform worker")
    dispute_arose_on: date | None = Field(
        default=None,
        description="纠纷发生日期 The day the dispute arose (the one-year arbitration limitation"
        " runs from it); required unless dispute_arose_on_unknown is true; never after today",
    )
    dispute_arose_on_unknown: bool = Field(
        default=False, description="发生日期不详 Said outright that the day is unknown"
    )
    oral_application: OralApplication | None = None
    received_at: AwareDatetime | None = Field(
        default=None,
        description="申请收到时间 When the application reached the committee (default: now;"
        " never in the future; earlier than now needs received_by and received_via)",
    )
    received_by: str | None = Field(
        default=None, min_length=1, max_length=100, description="收件人 Who received it"
    )
    received_via: Literal["in_person", "post", "oral", "phone", "referral"] | None = Field(
        default=None, description="收到方式 How it arrived"
    )
    # Where the runner is or works (optional): the notice names the nearest legal help from it.
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    # Where a session can be held (J13): a station of dispatch's register with legal help near
    # the workplace, chosen with the applicant; the mediator's session form offers it first.
    preferred_station_id: PreferredStation = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> FileDispute:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude go together")
        if (self.complainant is None) == (self.members is None):
            raise ValueError("give either a complainant or the members of a group")
        if self.members is not None:
            check_members(self.members)
            chosen = sum(m.representative for m in self.members)
            if not 1 <= chosen <= MAX_REPRESENTATIVES:
                raise ValueError(f"elect 1 to {MAX_REPRESENTATIVES} representatives")
        return self

    @property
    def applicant(self) -> PersonIn:
        """Who applied: the complainant, or the group's first representative."""
        if self.complainant is not None:
            return self.complainant
        assert self.members is not None
        return next(m for m in self.members if m.representative)

    @field_validator("dispute_type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in DISPUTE_TYPES:
            raise ValueError(f"unknown dispute type; one of {', '.join(DISPUTE_TYPES)}")
        return value


class SupplementDispute(Command):
    """补充申请材料: what an officer adds to an application still awaiting acceptance, with the
    same fields as at filing; only what is given changes (the facts are appended, dated)."""

    model_config = ConfigDict(
        json_schema_extra=rules(
            together("latitude", "longitude"),
            any_of(
                "claim",
                "claim_amount_yuan",
                "facts",
                "desired_outcome",
                "id_number",
                "respondents",
                "workplace_address",
                "latitude",
                "preferred_station_id",
            ),
            text_stripped=True,
        )
    )

    claim: str | None = Field(default=None, min_length=1, max_length=2000, description="请求事项")
    claim_amount_yuan: float | None = Field(default=None, ge=0, le=100_000_000)
    facts: str | None = Field(
        default=None, min_length=1, max_length=2000, description="补充的事实与理由 (appended)"
    )
    desired_outcome: str | None = Field(default=None, min_length=1, max_length=2000)
    id_number: str | None = Field(
        default=None,
        min_length=18,
        max_length=18,
        description="申请人居民身份证号 The applicant's ID number (stored encrypted)",
    )
    # A respondent's contact (matched by credit code, else name) or an extra respondent.
    respondents: list[RespondentIn] | None = Field(default=None, min_length=1, max_length=20)
    workplace_address: str | None = Field(default=None, min_length=1, max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    preferred_station_id: PreferredStation = None
    note: str = Field(min_length=1, max_length=500, description="补充说明 What was added")

    @field_validator("id_number")
    @classmethod
    def _valid_id_number(cls, value: str | None) -> str | None:
        return normalise_id_number(value) if value is not None else None

    @model_validator(mode="after")
    def _something_given(self) -> SupplementDispute:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude go together")
        if not self.given():
            raise ValueError("give something to supplement")
        return self

    def given(self) -> list[str]:
        """The names of the fields supplemented (the note aside)."""
        names = [n for n in type(self).model_fields if n != "note" and getattr(self, n) is not None]
        return [n for n in names if n != "longitude"]


class FileHazard(Command):
    category: str = Field(
        min_length=1,
        max_length=40,
        description="隐患类别 Category code",
        json_schema_extra={"enum": CATEGORY_CODES},
    )
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    description: str = Field(min_length=1, max_length=4000)
    address: str = Field(default="", max_length=300)
    reporter: PersonIn


class AnswerFix(Command):
    fixed: bool = Field(description="修好了吗？ Is it fixed?")
    note: str = Field(default="", max_length=1000)


class CorrectCase(Command):
    """An officer corrects a ticket's category and/or location; the ticket is re-triaged."""

    model_config = ConfigDict(
        json_schema_extra=rules(
            together("latitude", "longitude"), any_of("category", "latitude"), text_stripped=True
        )
    )

    category: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        json_schema_extra={"anyOf": [{"enum": CATEGORY_CODES}, {"type": "null"}]},
    )
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    address: str | None = Field(default=None, max_length=300)
    reason: str = Field(min_length=1, max_length=500, description="更正原因 Why")

    @model_validator(mode="after")
    def _something_to_correct(self) -> CorrectCase:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude go together")
        if self.category is None and self.latitude is None:
            raise ValueError("give a category or a location to correct")
        return self


class SplitCase(Command):
    reason: str = Field(min_length=1, max_length=500, description="拆分原因 Why")


class Open311Request(BaseModel):
    """POST requests.{fmt}: the fields of GeoReport v2 (unknown ones are ignored, as the spec
    lets clients send extras)."""

    model_config = ConfigDict(
        extra="ignore", str_strip_whitespace=True, json_schema_extra=stripped_text
    )

    service_code: str = Field(min_length=1, max_length=40)
    lat: float | None = Field(default=None, ge=-90, le=90)
    long: float | None = Field(default=None, ge=-180, le=180)
    address_string: str = Field(default="", max_length=300)
    address_id: str = Field(default="", max_length=100)
    email: EmailStr | None = None
    first_name: str = Field(default="", max_length=50)
    last_name: str = Field(default="", max_length=50)
    phone: str | None = Field(default=None, pattern=_PHONE)
    description: str = Field(default="", max_length=4000)
    media_url: str | None = Field(default=None, pattern=_URL)
    device_id: str = Field(default="", max_length=100)
    account_id: str = Field(default="", max_length=100)
    jurisdiction_id: str = Field(default="", max_length=40)

    @field_validator("description")
    @classmethod
    def _no_html(cls, value: str) -> str:
        if _HTML.search(value):
            raise ValueError("HTML is not allowed")
        return value

    @model_validator(mode="after")
    def _a_location(self) -> Open311Request:
        if (self.lat is None) != (self.long is None):
            raise ValueError("lat and long go together")
        if self.lat is None and not self.address_string and not self.address_id:
            raise ValueError("a location is required: lat and long, or address_string")
        return self


class DepartmentUpdateIn(BaseModel):
    """POST servicerequestupdates.{fmt} from a department's own system (FixMyStreet extension)."""

    model_config = ConfigDict(
        extra="ignore", str_strip_whitespace=True, json_schema_extra=stripped_text
    )

    service_request_id: str = Field(min_length=1, max_length=64)
    update_id: str = Field(min_length=1, max_length=100)
    status: str = Field(min_length=1, max_length=40)
    updated_datetime: AwareDatetime
    description: str = Field(min_length=1, max_length=2000)
    media_url: str | None = Field(default=None, pattern=_URL)
