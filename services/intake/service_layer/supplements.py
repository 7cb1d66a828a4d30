"""补充申请材料: an officer completes a dispute's application before the committee decides.

The rules (what may be supplemented, and when) are the Case aggregate's; this seals a given ID
number, completes the respondents and stages the case and `dispute.supplemented` in one unit
of work.
"""

from __future__ import annotations

import uuid

from services.intake.domain.case import Case
from services.intake.domain.case_parties import Party, merge_respondents, party_ref
from services.intake.domain.commands import SupplementDispute
from services.intake.domain.errors import NotFound
from services.intake.service_layer.case_repository import cases_in, settle
from services.intake.service_layer.context import Context
from services.intake.service_layer.filing_parts import dispute_town
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork


def _seal_id_number(applicant: Party, id_number: str, ctx: Context) -> None:
    if ctx.cipher is None:
        raise RuntimeError("intake has no PII keys: an ID number cannot be stored")
    applicant.id_number_enc = ctx.cipher.encrypt(id_number, applicant.party_id)
    applicant.id_number_hash = ctx.cipher.lookup_hash(id_number)


async def supplement_dispute(
    case_id: uuid.UUID, cmd: SupplementDispute, uow: UnitOfWork, actor: Actor, ctx: Context
) -> Case:
    """Complete the application: the given fields change, the facts grow, the timeline says so."""
    cases = cases_in(uow)
    case = await cases.get(case_id)
    if case is None:
        raise NotFound(str(case_id))
    case.must_await_acceptance()
    now = ctx.now()
    parties = await cases.parties_of(case.id)
    changed: list[Party] = []
    if cmd.id_number is not None:
        applicant = next(p for p in parties if p.role == "complainant")
        _seal_id_number(applicant, cmd.id_number, ctx)
        changed.append(applicant)
    respondents = None
    if cmd.respondents is not None:
        known = [p for p in parties if p.role == "respondent"]
        respondents = merge_respondents(case.id, known, cmd.respondents)
        changed += respondents
    town = None
    if cmd.latitude is not None or cmd.workplace_address is not None:
        town = dispute_town(cmd, ctx)
    refs = [party_ref(p) for p in respondents] if respondents is not None else None
    case.supplement(cmd, town, refs, actor, now)
    cases.save_parties(changed)
    await settle(uow, cases, case, now)
    return case
