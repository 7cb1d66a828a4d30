"""The status/timeline projection: every service's events land on the case's timeline."""

from __future__ import annotations

from collections.abc import Sequence

from services.intake.domain.case_parties import RiderPoints
from services.intake.domain.repository import CaseRepository
from services.intake.service_layer.case_repository import cases_in
from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork


async def project(envelope: Envelope, uow: UnitOfWork) -> None:
    """Handler for other services' events."""
    cases = cases_in(uow)
    case = await cases.get(envelope.case_id)
    if case is None:
        return  # not a case this registry knows (e.g. another deployment's test data)
    case.record(envelope)
    await cases.save(case)
    if envelope.event_type in ("points.credited", "points.redeemed"):
        await _note_points(envelope, cases)


async def _note_points(envelope: Envelope, cases: CaseRepository) -> None:
    """The rider's balance, as dispatch last announced it (the newest credit or spending
    wins)."""
    payload = envelope.payload
    party_id = str(payload.get("reporter_id", ""))[:64]
    if not party_id:
        return
    balance, at = int(payload.get("balance", 0)), envelope.occurred_at
    points = await cases.points_of(party_id)
    if points is None:
        points = RiderPoints(party_id, balance, at)
    elif not points.announced(balance, at):
        return
    cases.save_points(points)


async def prepare(envelopes: Sequence[Envelope], uow: UnitOfWork) -> None:
    """A batch's cases, loaded and locked in one query before `project` runs for each event."""
    await cases_in(uow).lock(e.case_id for e in envelopes)
