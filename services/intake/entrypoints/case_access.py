"""Who may read or change a case: officers and the committee read every case, a department
the hazards sent to it, a mediator the dispute assigned to them, a party their own case."""

from __future__ import annotations

from services.intake.adapters.mediation_access import MediationAccess
from services.intake.domain.errors import Forbidden
from services.intake.service_layer.views import CaseRead, PartyRead
from shared.contracts.envelope import Actor

OFFICERS = frozenset({"intake_officer", "admin"})
READERS = frozenset({"intake_officer", "admin", "committee"})
# A ticket's tracking code is its rider's credential (answering, uploading): the department
# working it, its supervisors and a respondent company read the case's reference instead.
NOT_CODE_HOLDERS = frozenset({"department", "respondent"})


def officer(actor: Actor) -> None:
    if actor.role not in OFFICERS:
        raise Forbidden(f"a {actor.role} may not change a case")


def may_read(actor: Actor, case: CaseRead) -> bool:
    """Officers and the committee read every case; a department only hazards sent to it, a
    supervisor (a department of the escalation chain) those escalated to it, and the other body
    of a compound a report is linked to (配合处理) that report."""
    if actor.role in READERS:
        return True
    if actor.role == "mediator":
        return is_case_mediator(actor, case)
    if actor.role != "department":
        return False
    if case.department_id == actor.id or actor.id in case.details.get("supervisors", []):
        return True
    return supports_only(actor, case)


def supports_only(actor: Actor, case: CaseRead) -> bool:
    """The compound's other body, not the department the report is dispatched to: it reads
    the report (配合处理) and adds nothing to it."""
    return (
        actor.role == "department"
        and case.department_id != actor.id
        and actor.id in case.details.get("supporting", [])
    )


def is_case_mediator(actor: Actor, case: CaseRead) -> bool:
    """The mediator assigned to the dispute (the latest assignment intake has seen)."""
    return actor.role == "mediator" and case.details.get("mediator_id") == actor.id


def is_party(actor: Actor, parties: list[PartyRead]) -> bool:
    """The caller is named on the case: its reporter/complainant, or a respondent company."""
    for p in parties:
        runner = actor.role in ("reporter", "complainant") and p.role == actor.role
        if runner and p.party_id == actor.id:
            return True
        company = actor.role == "respondent" and p.role == "respondent" and p.org_code
        if company and actor.id == f"org-{p.org_code}":
            return True
    return False


async def granted(
    actor: Actor, case: CaseRead, token: str | None, mediation: MediationAccess
) -> bool:
    """A mediator the committee granted this dispute (mediation says so to the caller)."""
    if actor.role != "mediator" or case.kind != "dispute" or not token:
        return False
    return await mediation.may_read(case.id, token)
