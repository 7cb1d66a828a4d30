"""Notify's HTTP request and response models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.notify.domain.preferences import CHANNEL_KINDS
from shared.platform.json_rules import rules, together

ChannelKind = Literal["email", "sms", "webhook", "dingtalk", "wecom", "feishu"]
_HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
assert set(CHANNEL_KINDS) == set(ChannelKind.__args__)  # type: ignore[attr-defined]


class DeliveryPublic(BaseModel):
    """One row of the delivery log; never the target address."""

    delivery_id: uuid.UUID
    case_id: uuid.UUID
    event_type: str
    party_role: str
    party_id: str
    channel: str
    critical: bool
    status: Literal["queued", "sent", "failed"]
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None


class DeliverySummary(BaseModel):
    queued: int = 0
    sent: int = 0
    failed: int = 0


class InboxMessage(BaseModel):
    delivery_id: uuid.UUID
    case_id: uuid.UUID
    event_type: str
    subject: str
    body: str
    critical: bool
    created_at: datetime
    read_at: datetime | None


class PreferenceIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra=rules(together("quiet_hours_start", "quiet_hours_end"))
    )

    opted_out: bool = False
    channels: list[ChannelKind] | None = Field(
        default=None, description="outgoing channels to use; null = all; the inbox always keeps"
    )
    quiet_hours_start: str | None = Field(default=None, pattern=_HHMM)
    quiet_hours_end: str | None = Field(default=None, pattern=_HHMM)

    @model_validator(mode="after")
    def _both_or_neither(self) -> PreferenceIn:
        if (self.quiet_hours_start is None) != (self.quiet_hours_end is None):
            raise ValueError("quiet_hours_start and quiet_hours_end go together")
        return self


class PreferenceOut(PreferenceIn):
    party_id: str
    default_quiet_hours: str
