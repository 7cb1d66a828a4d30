"""Events produced by dispatch, on `waystation.dispatch`."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from shared.contracts.events.common import Payload


class HazardStateChange(Payload):
    """Every dispatch event names the hazard's state after it."""

    state: str = Field(max_length=40)


class HazardDispatched(HazardStateChange):
    department_id: str = Field(max_length=64)
    department_name: str = Field(max_length=100)
    acknowledge_due: AwareDatetime
    resolve_due: AwareDatetime


class HazardAcknowledged(HazardStateChange):
    department_id: str = Field(max_length=64)


class HazardResolved(HazardStateChange):
    department_id: str = Field(max_length=64)
    note: str = Field(default="", max_length=2000)


class HazardConfirmedFixed(HazardStateChange):
    note: str = Field(default="", max_length=1000)


class HazardClosed(HazardStateChange):
    resolution: str = Field(max_length=40)
