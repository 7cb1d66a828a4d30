"""A filed dispute reaches mediation: register it, start its clocks, await the committee.

The row is written here (the pattern index still works on it); the review step and its
clocks are the Dispute aggregate's (`Dispute.register`), as is a group member's joining
(`Dispute.join_group`)."""

from __future__ import annotations

from services.mediation.adapters.tables import Dispute
from services.mediation.domain.clocks import local_date
from services.mediation.service_layer import acceptance, groups, patterns
from services.mediation.service_layer.context import Context
from services.mediation.service_layer.repository import disputes_in
from services.mediation.service_layer.steps import load_dispute, settle
from shared.contracts.envelope import SYSTEM, Envelope
from shared.contracts.events.common import PartyRef
from shared.contracts.events.intake import CaseFiled
from shared.contracts.filed import filed_case
from shared.messaging.errors import PermanentError
from shared.messaging.uow import UnitOfWork

ORG_CODE_LENGTH = 18  # 统一社会信用代码


def company_key(respondent: PartyRef) -> str:
    """Who a dispute is against, stably across cases: the credit code, else the name."""
    code = respondent.party_id.removeprefix("org-")
    return f"org:{code}" if len(code) == ORG_CODE_LENGTH else f"name:{respondent.display_name}"


def companies_of(respondents: list[PartyRef]) -> list[dict[str, str]]:
    """Every respondent once, by its key: a dispute counts under each company it names."""
    seen: dict[str, str] = {}
    for r in respondents:
        seen.setdefault(company_key(r), r.display_name)
    return [{"key": key, "name": name} for key, name in seen.items()]


def _new_dispute(envelope: Envelope, filed: CaseFiled) -> Dispute:
    assert filed.dispute is not None
    complainant = next(p for p in filed.parties if p.role == "complainant")
    respondents = [p for p in filed.parties if p.role == "respondent"]
    if not respondents:
        raise PermanentError("a dispute needs at least one respondent")
    # LDMAL 14 counts from receipt: a paper or oral application entered late keeps its day.
    received_at = filed.dispute.received_at or envelope.occurred_at
    received = local_date(received_at)
    return Dispute(
        case_id=envelope.case_id,
        tracking_code=filed.tracking_code,
        state="registered",
        dispute_type=filed.dispute.dispute_type,
        platform_worker=filed.dispute.platform_worker,
        title=filed.title,
        complainant_id=complainant.party_id,
        complainant_name=complainant.display_name,
        respondents=[p.model_dump(mode="json") for p in respondents],
        application_received_at=received_at,
        town=filed.jurisdiction,
        company=respondents[0].display_name,
        company_key=company_key(respondents[0]),
        companies=companies_of(respondents),
        claim_amount_yuan=filed.dispute.claim_amount_yuan,
        representatives=(
            list(filed.dispute.group.representative_party_ids) if filed.dispute.group else []
        ),
        filed_on=received,
        filed_year=received.year,
        filed_month=received.strftime("%Y-%m"),
        infringement_known_on=filed.dispute.dispute_arose_on,
        parent_case_id=filed.parent_case_id,
        created_at=envelope.occurred_at,
    )


async def register_dispute(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> None:
    """Handler of `case.filed` for disputes; hazards are not mediation's business."""
    filed = filed_case(envelope, "dispute")  # unreadable: a ValueError, dead-lettered at once
    if filed is None:
        return
    dispute = _new_dispute(envelope, filed)
    uow.session.add(dispute)
    if dispute.parent_case_id is not None:  # a member follows its group's parent
        await groups.register_member(uow, ctx, dispute.case_id, envelope)
        return
    if (
        filed.dispute and filed.dispute.group is not None
    ):  # members registered before their parent count too
        await uow.session.flush()
        dispute.group_size = await groups.count_members(uow, dispute.case_id)
    patterns.index_companies(uow, dispute)
    disputes = disputes_in(uow)
    registered = await load_dispute(uow, dispute.case_id)
    saved = await disputes.state_history(dispute.case_id)
    registered.register(ctx.policy.acceptance_target, saved, ctx.calendar, ctx.now())
    await settle(uow, registered, envelope)
    await patterns.check_patterns(uow, dispute, ctx, envelope)
    if ctx.policy.auto_accept:
        await acceptance.accept(uow, registered, SYSTEM, ctx, envelope)
