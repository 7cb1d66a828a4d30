"""Events produced by intake, on `waystation.intake`."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.contracts.events.common import CaseKind, GeoPoint, PartyRef, Payload


class DisputeDetails(Payload):
    dispute_type: str = Field(min_length=1, max_length=40)
    claim: str = Field(min_length=1, max_length=2000)
    claim_amount_yuan: float | None = Field(default=None, ge=0, le=100_000_000)
    desired_outcome: str = Field(default="", max_length=2000)
    platform_worker: bool = False
    oral_application: bool = False
    dispute_arose_on: date | None = None


class HazardDetails(Payload):
    category: str = Field(min_length=1, max_length=40)
    location: GeoPoint
    address: str = Field(default="", max_length=300)
    urgency: str = Field(default="normal", max_length=20)


class CaseFiled(Payload):
    kind: CaseKind
    tracking_code: str = Field(min_length=4, max_length=20)
    channel: str = Field(max_length=20)
    title: str = Field(max_length=200)
    description: str = Field(max_length=4000)
    jurisdiction: str | None = Field(default=None, max_length=40)
    parties: list[PartyRef] = Field(min_length=1, max_length=50)
    dispute: DisputeDetails | None = None
    hazard: HazardDetails | None = None


class ReporterConfirmedFixed(Payload):
    note: str = Field(default="", max_length=1000)


class ReporterReportedNotFixed(Payload):
    note: str = Field(default="", max_length=1000)
