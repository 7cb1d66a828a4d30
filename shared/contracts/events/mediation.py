"""Events produced by mediation, on `waystation.mediation`."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.contracts.events.common import Payload


class StateChange(Payload):
    """Every mediation event names the dispute's state after it."""

    state: str = Field(max_length=40)


class DisputeRegistered(StateChange):
    dispute_type: str = Field(max_length=40)


class MediatorAssigned(StateChange):
    mediator_id: str = Field(max_length=64)
    mediator_name: str = Field(max_length=100)
    duty_body: str = Field(max_length=100)


class AgreementSigned(StateChange):
    agreement_id: str = Field(max_length=64)
    terms: str = Field(max_length=4000)
    performance_deadline: date


class PerformancePerformed(StateChange):
    note: str = Field(default="", max_length=1000)


class PerformanceNotPerformed(StateChange):
    note: str = Field(default="", max_length=1000)


class DisputeClosed(StateChange):
    outcome: str = Field(max_length=40)
