"""The event catalogue: every event type, who produces it, its version and its payload model."""

from __future__ import annotations

from dataclasses import dataclass

from shared.contracts.events import dispatch, intake, mediation, notify
from shared.contracts.events.common import Payload


@dataclass(frozen=True)
class EventSpec:
    event_type: str
    producer: str
    version: int
    payload: type[Payload]
    summary: str


_SPECS = [
    EventSpec("case.filed", "intake", 1, intake.CaseFiled, "A dispute or hazard was filed."),
    EventSpec(
        "reporter.confirmed_fixed",
        "intake",
        1,
        intake.ReporterConfirmedFixed,
        "The reporter confirmed a resolved hazard is fixed.",
    ),
    EventSpec(
        "reporter.reported_not_fixed",
        "intake",
        1,
        intake.ReporterReportedNotFixed,
        "The reporter said a resolved hazard is not fixed.",
    ),
    EventSpec(
        "dispute.registered",
        "mediation",
        1,
        mediation.DisputeRegistered,
        "Mediation registered a filed dispute.",
    ),
    EventSpec(
        "mediator.assigned",
        "mediation",
        1,
        mediation.MediatorAssigned,
        "A mediator of the on-duty body was assigned.",
    ),
    EventSpec(
        "agreement.signed",
        "mediation",
        1,
        mediation.AgreementSigned,
        "Both parties and the mediator signed; the body sealed it.",
    ),
    EventSpec(
        "performance.performed",
        "mediation",
        1,
        mediation.PerformancePerformed,
        "The respondent performed the agreement.",
    ),
    EventSpec(
        "performance.not_performed",
        "mediation",
        1,
        mediation.PerformanceNotPerformed,
        "The performance deadline passed or the respondent did not perform.",
    ),
    EventSpec("dispute.closed", "mediation", 1, mediation.DisputeClosed, "A dispute was closed."),
    EventSpec(
        "hazard.dispatched",
        "dispatch",
        1,
        dispatch.HazardDispatched,
        "A hazard was routed to the responsible department.",
    ),
    EventSpec(
        "hazard.acknowledged",
        "dispatch",
        1,
        dispatch.HazardAcknowledged,
        "The department acknowledged the hazard.",
    ),
    EventSpec(
        "hazard.resolved",
        "dispatch",
        1,
        dispatch.HazardResolved,
        "The department resolved the hazard; the reporter is asked to confirm.",
    ),
    EventSpec(
        "hazard.confirmed_fixed",
        "dispatch",
        1,
        dispatch.HazardConfirmedFixed,
        "The reporter's confirmation was accepted.",
    ),
    EventSpec("hazard.closed", "dispatch", 1, dispatch.HazardClosed, "A hazard was closed."),
    EventSpec(
        "notification.delivered",
        "notify",
        1,
        notify.NotificationDelivered,
        "A notification reached its channel.",
    ),
    EventSpec(
        "notification.failed",
        "notify",
        1,
        notify.NotificationFailed,
        "A notification failed for good.",
    ),
]

CATALOGUE: dict[str, EventSpec] = {spec.event_type: spec for spec in _SPECS}


def payload_model(event_type: str) -> type[Payload]:
    return CATALOGUE[event_type].payload


def produced_by(service: str) -> list[EventSpec]:
    return [spec for spec in _SPECS if spec.producer == service]
