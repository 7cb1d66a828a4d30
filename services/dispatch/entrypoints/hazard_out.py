"""How a hazard is shown to a caller (HazardPublic): its actions and involvement for this
caller, the tracking code a department sees in place of the reporter's; and the audit entry of
the personal fields a list of them showed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from services.dispatch.domain.lifecycle import State, allowed_actions
from services.dispatch.entrypoints.schemas import EscalationItem, HazardPublic, HistoryItem
from shared.contracts.envelope import Actor
from shared.platform.audit.fields import names_present
from shared.platform.audit.log import AuditLog
from shared.platform.masking import case_reference

# The personal fields of a hazard as served (HazardPublic): where it is, what was written.
PERSONAL = frozenset(
    {"title", "latitude", "longitude", "resolution_note", "resolution_photo_url", "history.note"}
)
H = TypeVar("H", bound=HazardPublic)


def public(
    hazard: dict[str, Any],
    actor: Actor,
    now: datetime,
    history: Sequence[dict[str, Any]] = (),
    escalations: Sequence[dict[str, Any]] = (),
    *,
    support: bool = False,
) -> HazardPublic:
    """The hazard (a row's fields) as this caller sees it at `now`."""
    next_due = hazard["next_due"]
    overdue = next_due is not None and next_due < now
    shown = dict(hazard)
    actions = allowed_actions(State(hazard["state"]), actor.role)
    involvement = None
    if actor.role == "department":  # the code is the reporter's credential, not theirs
        shown["tracking_code"] = case_reference(hazard["case_id"])
        lead = actor.id == hazard["department_id"]
        involvement = "lead" if lead else "support" if support else None
        actions = actions if lead else []  # only the department it is dispatched to acts
    return HazardPublic(
        **shown,
        overdue=overdue,
        allowed_actions=actions,
        involvement=involvement,
        history=[_history_item(h) for h in history],
        escalations=[EscalationItem.model_validate(e) for e in escalations],
    )


def _history_item(row: dict[str, Any]) -> HistoryItem:
    """A history row as served: the API keeps calling its `position` `seq`."""
    return HistoryItem.model_validate({**row, "seq": row["position"]})


async def listed(audit: AuditLog, actor: Actor, rows: list[H]) -> list[H]:
    """The list as served, once its read of personal fields is on the audit log."""
    fields = names_present(rows, PERSONAL)
    await audit.read("list", actor=actor, fields=fields, case_ids=[h.case_id for h in rows])
    return rows
