"""A filed hazard reaches dispatch: triage and route it to the responsible department."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from services.dispatch.adapters.tables import Hazard
from services.dispatch.domain.directory import Directory
from services.dispatch.service_layer.steps import announce, step
from shared.contracts.envelope import SYSTEM, Envelope
from shared.contracts.events.dispatch import HazardDispatched
from shared.contracts.events.intake import CaseFiled
from shared.messaging.errors import PermanentError
from shared.messaging.uow import UnitOfWork


async def receive_hazard(
    envelope: Envelope, uow: UnitOfWork, directory: Directory, now: Callable[[], datetime]
) -> None:
    """Handler of `case.filed` for hazards: register, triage, dispatch."""
    if envelope.payload.get("kind") != "hazard":
        return
    try:
        filed = CaseFiled.model_validate(envelope.payload)
    except ValueError as exc:
        raise PermanentError(f"case.filed payload: {exc}") from exc
    assert filed.hazard is not None
    reporter = next(p for p in filed.parties if p.role == "reporter")
    hazard = Hazard(
        case_id=envelope.case_id,
        tracking_code=filed.tracking_code,
        state="filed",
        category=filed.hazard.category,
        jurisdiction=filed.jurisdiction,
        urgency=filed.hazard.urgency,
        title=filed.title,
        latitude=filed.hazard.location.lat,
        longitude=filed.hazard.location.lng,
        reporter_id=reporter.party_id,
        filed_at=envelope.occurred_at,
    )
    uow.session.add(hazard)
    step(uow, hazard, "triage", SYSTEM)
    dispatch_to_department(uow, hazard, directory, now(), envelope)


def dispatch_to_department(
    uow: UnitOfWork,
    hazard: Hazard,
    directory: Directory,
    at: datetime,
    cause: Envelope | None = None,
    exclude: frozenset[str] = frozenset(),
) -> None:
    department = directory.route(hazard.category, hazard.jurisdiction, exclude)
    target = directory.target(hazard.category)
    step(uow, hazard, "dispatch", SYSTEM, note=department.department_id)
    hazard.department_id = department.department_id
    hazard.department_name = department.name
    hazard.acknowledge_due = at + timedelta(hours=target.acknowledge_hours)
    hazard.resolve_due = at + timedelta(days=target.resolve_days)
    announce(
        uow,
        hazard,
        "hazard.dispatched",
        HazardDispatched(
            state=hazard.state,
            department_id=department.department_id,
            department_name=department.name,
            acknowledge_due=hazard.acknowledge_due,
            resolve_due=hazard.resolve_due,
        ),
        SYSTEM,
        cause,
    )
