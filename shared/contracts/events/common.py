"""Value objects that several services' events share."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

Locale = Literal["zh-CN", "en"]
CaseKind = Literal["dispute", "hazard"]


class Payload(BaseModel):
    """Base of every payload: producers are strict, frozen and reject unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class GeoPoint(Payload):
    lat: float = Field(ge=-90, le=90)
    lng: float = Field(ge=-180, le=180)


class PartyRef(Payload):
    """A party as events name it: an opaque id, a display name and the minimum to reach them."""

    role: Literal["complainant", "respondent", "reporter", "follower"]
    party_id: str = Field(min_length=1, max_length=64)
    display_name: str = Field(min_length=1, max_length=100)
    email: EmailStr | None = None
    phone_masked: str | None = Field(default=None, max_length=20, pattern=r"^[0-9*+ -]+$")
    locale: Locale = "zh-CN"
