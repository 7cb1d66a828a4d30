"""A dispute case's own rules in intake: completing an application (补充申请材料) while it
awaits acceptance, and a group dispute growing as workers join it.

People's Mediation practice lets an incomplete application be completed while it awaits
acceptance; once accepted, rejected or closed the application is what it is. `Case` calls
these; nothing here does I/O.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from services.intake.domain.commands import SupplementDispute
from services.intake.domain.errors import Conflict, InvalidField, NotFound
from shared.contracts.envelope import Actor
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import DisputeSupplemented

if TYPE_CHECKING:
    from services.intake.domain.case import Case

# Filed, or registered by mediation for the committee's review: not yet decided.
AWAITING_ACCEPTANCE = frozenset({"filed", "registered", "acceptance_review"})
MAX_FACTS = 4000  # the case's description, as at filing
SHANGHAI = ZoneInfo("Asia/Shanghai")
# What the case keeps as at filing (details), when given.
_DETAILS = (
    "claim",
    "claim_amount_yuan",
    "desired_outcome",
    "workplace_address",
    "latitude",
    "longitude",
    "preferred_station_id",
)


def must_await_acceptance(case: Case) -> None:
    if case.kind != "dispute":
        raise NotFound(str(case.id))
    if case.parent_case_id is not None or case.is_group:
        raise Conflict("a group dispute is completed by adding members, not supplemented")
    if case.status not in AWAITING_ACCEPTANCE:
        raise Conflict(
            f"the dispute is {case.status}; only an application awaiting acceptance"
            " can be supplemented"
        )


def supplement(
    case: Case,
    cmd: SupplementDispute,
    town: str | None,
    respondents: list[PartyRef] | None,
    actor: Actor,
    at: datetime,
) -> None:
    """The given fields change, the facts grow (dated), and `dispute.supplemented` is raised."""
    must_await_acceptance(case)
    details = dict(case.details)
    for name in _DETAILS:
        if getattr(cmd, name) is not None:
            details[name] = getattr(cmd, name)
    if cmd.facts is not None:
        case.description = _appended(case.description, cmd.facts, at)
    case.jurisdiction = town or case.jurisdiction
    supplements = [*details.get("supplements", []), {"at": at.isoformat(), "note": cmd.note}]
    case.details = details | {"supplements": supplements[-20:]}
    payload = DisputeSupplemented(
        fields=cmd.given(),
        note=cmd.note,
        claim=cmd.claim,
        claim_amount_yuan=cmd.claim_amount_yuan,
        facts_added=cmd.facts,
        desired_outcome=cmd.desired_outcome,
        respondents=respondents,
        workplace_address=cmd.workplace_address,
        location=(
            GeoPoint(lat=cmd.latitude, lng=cmd.longitude)
            if cmd.latitude is not None and cmd.longitude is not None
            else None
        ),
        jurisdiction=town,
        preferred_station_id=cmd.preferred_station_id,
    )
    case.raise_event("dispute.supplemented", payload, actor)


def _appended(description: str, facts: str, at: datetime) -> str:
    day = at.astimezone(SHANGHAI)
    text = f"{description}\n【{day.year}年{day.month}月{day.day}日补充】{facts}"
    if len(text) > MAX_FACTS:
        raise InvalidField("facts", f"the facts would exceed {MAX_FACTS} characters")
    return text


def must_take_members(case: Case) -> None:
    """Members join only an open group dispute."""
    if case.kind != "dispute":
        raise NotFound(str(case.id))
    if not case.is_group:
        raise Conflict("not a group dispute: members join only a group")
    if case.status == "closed":
        raise Conflict("the group dispute is closed")


def members_joined(case: Case, joined: int) -> None:
    """The group counts them; its title too: "集体争议（13人）" once the thirteenth joined."""
    must_take_members(case)
    count = int(case.details["group"]["member_count"]) + joined
    case.details = {**case.details, "group": {"member_count": count}}
    case.title = re.sub(r"^集体争议（\d+人）", f"集体争议（{count}人）", case.title)[:200]
