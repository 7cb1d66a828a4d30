"""The personal fields of notify's answers, and the one audit entry a read records."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from services.notify.entrypoints.schemas import DeliveryPublic, InboxMessage
from shared.platform.audit.fields import names_present
from shared.platform.audit.log import AuditLog

# The personal fields of the delivery log and of the inbox (never a target address).
DELIVERY_LOG = frozenset({"party_id", "last_error"})
INBOX = frozenset({"subject", "body"})


async def audited(
    audit: AuditLog,
    rows: Sequence[DeliveryPublic | InboxMessage],
    personal: frozenset[str],
    case_id: uuid.UUID | None = None,
) -> None:
    """One entry for the answer: a case's log, or a list (its cases)."""
    fields = names_present(rows, personal)
    if case_id is not None:
        await audit.read(case_id=case_id, fields=fields)
    else:
        await audit.read("list", fields=fields, case_ids=sorted({r.case_id for r in rows}))
