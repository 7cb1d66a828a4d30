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

_SPECS += [
    EventSpec(
        "case.corrected",
        "intake",
        1,
        intake.CaseCorrected,
        "An officer corrected the category or location; the case is re-triaged.",
    ),
    EventSpec(
        "case.merged",
        "intake",
        1,
        intake.CaseMerged,
        "A duplicate was merged into this open case; its reporter follows it.",
    ),
    EventSpec(
        "case.unmerged",
        "intake",
        1,
        intake.CaseUnmerged,
        "A wrong merge was split; the case is handled on its own.",
    ),
    EventSpec(
        "dispute.supplemented",
        "intake",
        1,
        intake.DisputeSupplemented,
        "An officer completed a dispute's application before the committee decided on it.",
    ),
    EventSpec(
        "case.attachment_added",
        "intake",
        1,
        intake.AttachmentAdded,
        "A photo or document was attached to the case.",
    ),
    EventSpec(
        "department.update_posted",
        "intake",
        1,
        intake.DepartmentUpdatePosted,
        "A department's own system posted an Open311 update.",
    ),
    EventSpec(
        "dispute.accepted",
        "mediation",
        1,
        mediation.DisputeAccepted,
        "The committee accepted the dispute for mediation.",
    ),
    EventSpec(
        "dispute.rejected",
        "mediation",
        1,
        mediation.DisputeRejected,
        "The committee did not accept the dispute.",
    ),
    EventSpec(
        "dispute.respondent_declined",
        "mediation",
        1,
        mediation.DisputeRespondentDeclined,
        "The respondent refused mediation.",
    ),
    EventSpec(
        "mediator.reassigned",
        "mediation",
        1,
        mediation.MediatorReassigned,
        "Another mediator took over (objection, conflict, risk).",
    ),
    EventSpec(
        "session.scheduled",
        "mediation",
        1,
        mediation.SessionScheduled,
        "A mediation session was scheduled.",
    ),
    EventSpec(
        "session.held", "mediation", 1, mediation.SessionHeld, "A mediation session took place."
    ),
    EventSpec(
        "dispute.waiting_party",
        "mediation",
        1,
        mediation.DisputeWaitingParty,
        "Mediation waits on a party.",
    ),
    EventSpec(
        "mediation.extended",
        "mediation",
        1,
        mediation.MediationExtended,
        "The mediation limit was extended once with both parties' consent.",
    ),
    EventSpec(
        "mediation.failed",
        "mediation",
        1,
        mediation.MediationEnded,
        "Mediation ended without agreement.",
    ),
    EventSpec(
        "mediation.expired",
        "mediation",
        1,
        mediation.MediationEnded,
        "The mediation limit passed without agreement.",
    ),
    EventSpec(
        "dispute.withdrawn", "mediation", 1, mediation.MediationEnded, "The complainant withdrew."
    ),
    EventSpec(
        "dispute.referred_to_arbitration",
        "mediation",
        1,
        mediation.ReferredToArbitration,
        "The dispute was referred to arbitration.",
    ),
    EventSpec(
        "deadline.warning",
        "mediation",
        1,
        mediation.DeadlineWarning,
        "A legal clock is about to run out.",
    ),
    EventSpec(
        "deadline.expired", "mediation", 1, mediation.DeadlineExpired, "A legal clock ran out."
    ),
    EventSpec(
        "pattern.alert",
        "mediation",
        1,
        mediation.PatternAlert,
        "One company collected N disputes of one type within the window.",
    ),
    EventSpec(
        "station.suggested",
        "dispatch",
        1,
        dispatch.StationSuggested,
        "The nearest station to go to now: legal help for a dispute, an open one for a hazard.",
    ),
    EventSpec(
        "consultation.opened",
        "mediation",
        1,
        mediation.ConsultationOpened,
        "The committee opened an industry consultation with a company's headquarters.",
    ),
    EventSpec(
        "consultation.session_recorded",
        "mediation",
        1,
        mediation.ConsultationSessionRecorded,
        "A meeting of an industry consultation was held and recorded.",
    ),
    EventSpec(
        "consultation.agreed",
        "mediation",
        1,
        mediation.ConsultationAgreed,
        "The company agreed a rule change, the day it takes effect and a follow-up date.",
    ),
    EventSpec(
        "roster.published",
        "mediation",
        1,
        mediation.RosterPublished,
        "The duty roster changed; the shifts that seat a body at a station.",
    ),
    EventSpec(
        "dispute.group_linked",
        "mediation",
        1,
        mediation.GroupLinked,
        "A member case joined a group dispute.",
    ),
    EventSpec(
        "dispute.group_notice",
        "mediation",
        1,
        mediation.GroupNotice,
        "On a member case: its group was accepted, agreed (with the member's own line), ended.",
    ),
    EventSpec(
        "dispute.member_performance",
        "mediation",
        1,
        mediation.MemberPerformanceRecorded,
        "On a member case: the group agreement's line for this member was performed, or not.",
    ),
    EventSpec(
        "hazard.progress_noted",
        "dispatch",
        1,
        dispatch.HazardProgressNoted,
        "The department noted progress.",
    ),
    EventSpec(
        "hazard.declined",
        "dispatch",
        1,
        dispatch.HazardDeclined,
        'The department answered "not ours".',
    ),
    EventSpec(
        "hazard.target_warning",
        "dispatch",
        1,
        dispatch.HazardTargetWarning,
        "A service target is about to be breached.",
    ),
    EventSpec(
        "hazard.escalated",
        "dispatch",
        1,
        dispatch.HazardEscalated,
        "A service target was breached; escalated up the chain.",
    ),
    EventSpec(
        "rider.code_requested",
        "intake",
        1,
        intake.RiderCodeRequested,
        "A rider asked for a one-time sign-in code; notify sends it to them alone.",
    ),
    EventSpec(
        "hazard.urged",
        "dispatch",
        1,
        dispatch.HazardUrged,
        "A supervisor the hazard was escalated to pressed its department.",
    ),
    EventSpec(
        "hazard.reopened",
        "dispatch",
        1,
        dispatch.HazardReopened,
        "The reporter said it is not fixed; the hazard reopens.",
    ),
    EventSpec(
        "hazard.marked_duplicate",
        "dispatch",
        1,
        dispatch.HazardMarkedDuplicate,
        "Registered as a duplicate of an open hazard; not routed.",
    ),
    EventSpec(
        "hazard.cancelled", "dispatch", 1, dispatch.HazardCancelled, "The hazard was cancelled."
    ),
    EventSpec(
        "points.credited",
        "dispatch",
        1,
        dispatch.PointsCredited,
        "The reporter earned contribution points.",
    ),
    EventSpec(
        "points.redeemed",
        "dispatch",
        1,
        dispatch.PointsRedeemed,
        "A rider spent points on a reward of the exchange.",
    ),
    EventSpec(
        "reward.handed_over",
        "dispatch",
        1,
        dispatch.RewardHandedOver,
        "The provider station handed a redeemed reward over.",
    ),
    EventSpec(
        "compound.report_linked",
        "dispatch",
        1,
        dispatch.CompoundReportLinked,
        "A compound-access report was linked to its compound; the other body is told.",
    ),
]

# Added with the mediation lifecycle (issue 4): the steps that change state but had no event.
_SPECS += [
    EventSpec(
        "mediation.started",
        "mediation",
        1,
        mediation.MediationStarted,
        "The assigned mediator began mediating.",
    ),
    EventSpec(
        "mediation.resumed",
        "mediation",
        1,
        mediation.MediationStarted,
        "Mediation resumed after waiting on a party.",
    ),
    EventSpec(
        "session.reminder",
        "mediation",
        1,
        mediation.SessionScheduled,
        "A scheduled mediation session is near: remind the attendees.",
    ),
]

# Issue 19: a reschedule is told as a change; a ticket taken from a department tells it so.
_SPECS += [
    EventSpec(
        "session.rescheduled",
        "mediation",
        1,
        mediation.SessionRescheduled,
        "A scheduled mediation session was moved: the old and the new time, and why.",
    ),
    EventSpec(
        "hazard.withdrawn",
        "dispatch",
        1,
        dispatch.HazardWithdrawn,
        "A ticket was taken back from its department (a correction, or moved by an officer).",
    ),
]

CATALOGUE: dict[str, EventSpec] = {spec.event_type: spec for spec in _SPECS}


def payload_model(event_type: str) -> type[Payload]:
    return CATALOGUE[event_type].payload


def produced_by(service: str) -> list[EventSpec]:
    return [spec for spec in _SPECS if spec.producer == service]
