"""From an event to delivery rows: who hears about it, on which channel, with which words."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from services.notify.adapters import case_store
from services.notify.adapters.case_store import Case, Choice
from services.notify.domain.delivery import idempotency_key
from services.notify.domain.errors import CaseNotYetKnown
from services.notify.domain.preferences import INBOX, ChannelChoice, select_channels
from services.notify.domain.quiet_hours import QuietHours
from services.notify.domain.rules import CASE_FREE, Rule, rules_for
from services.notify.service_layer import case_memory
from services.notify.service_layer.context import Context
from services.notify.service_layer.recipients import Recipient, recipients
from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork
from shared.platform.masking import case_reference

# Messages carrying a secret (a one-time sign-in code): never kept in the in-app inbox.
SECRET_TEMPLATES = frozenset({"rider_code"})
# Who must not hold a ticket's tracking code (the rider's credential): the department working
# it (and the supervisors it escalates to, departments too) and a respondent company; they are
# shown the case's reference. Staff (committee, mediators) read the code as intake shows it.
NOT_CODE_HOLDERS = frozenset({"department", "respondent"})


def _needs_case(envelope: Envelope) -> bool:
    """Planning this event needs notify to know its case (its `case.filed` applied first)."""
    if envelope.event_type in ("case.merged", "case.unmerged"):
        return True
    if envelope.event_type in CASE_FREE:
        return False
    return bool(rules_for(envelope.event_type, envelope.payload))


async def prepare(envelopes: Sequence[Envelope], uow: UnitOfWork) -> set[uuid.UUID]:
    """Read a batch's cases, their contacts and the likely parties' preferences in three
    queries, not three per event (what an event already planned needs no query: its
    deliveries' keys are unique, a second insert of one leaves the first as it is).

    Returns the events that must wait: about a case notify does not know yet, whose filing is
    not in this batch either (it comes on intake's stream, read by another reader)."""
    cases = await case_memory.read_cases(uow, {e.case_id for e in envelopes})
    # the recipients' contacts, for every rule of every event: one query, not one per rule
    await case_memory.read_contacts(uow, [c for c, case in cases.items() if case is not None])
    await _read_preferences(uow, _likely_parties(envelopes, cases, uow))
    filed: set[uuid.UUID] = set()
    waiting: set[uuid.UUID] = set()
    for e in envelopes:
        if e.event_type == "case.filed":
            filed.add(e.case_id)
        elif cases[e.case_id] is None and e.case_id not in filed and _needs_case(e):
            waiting.add(e.event_id)
    return waiting


async def _case_for(envelope: Envelope, uow: UnitOfWork) -> Case | None:
    if envelope.event_type == "case.filed":
        if (found := await case_memory.known_case(uow, envelope.case_id)) is not None:
            return found
        return await case_memory.remember_case(envelope, uow)
    case = await case_memory.known_case(uow, envelope.case_id)
    if case is None:
        return None
    case_memory.note_handlers(uow, case, envelope)
    if envelope.event_type == "case.merged":
        await case_memory.add_follower(envelope, uow)
    elif envelope.event_type == "case.unmerged":
        await case_memory.drop_follower(envelope, uow)
    elif envelope.event_type == "dispute.supplemented":
        await case_memory.complete_respondents(envelope, uow)
    return case


# Preferences are written over HTTP, never while events are applied: a batch of events can
# remember, per party, that none were set (the session's info outlives its transactions).
_PREFERENCES = "notify.preferences"


def _likely_parties(
    envelopes: Sequence[Envelope], cases: dict[uuid.UUID, Case | None], uow: UnitOfWork
) -> set[str]:
    """Who a batch will most likely address: its cases' contacts, the parties its filings
    name and the departments its events or cases name (a party missed here is looked up)."""
    parties = case_memory.known_party_ids(uow)
    for e in envelopes:
        if e.event_type == "case.filed":
            parties.update(str(p.get("party_id", "")) for p in e.payload.get("parties") or [])
        if e.payload.get("department_id"):
            parties.add(f"department:{e.payload['department_id']}")
    parties.update(f"department:{c.department_id}" for c in cases.values() if c and c.department_id)
    parties.discard("")
    return parties


async def _read_preferences(uow: UnitOfWork, party_ids: set[str]) -> None:
    """One query for these parties' preferences; a party without any is remembered as None."""
    known: dict[str, Choice | None] = uow.session.info.setdefault(_PREFERENCES, {})
    missing = party_ids - known.keys()
    if not missing:
        return
    found = await case_store.read_choices(uow.session, missing)
    known.update({party_id: found.get(party_id) for party_id in missing})


async def _preference(uow: UnitOfWork, party_id: str) -> Choice | None:
    known: dict[str, Choice | None] = uow.session.info.setdefault(_PREFERENCES, {})
    if party_id not in known:
        await _read_preferences(uow, {party_id})
    return known[party_id]


async def _choice(uow: UnitOfWork, party_id: str) -> tuple[ChannelChoice, Choice | None]:
    pref = await _preference(uow, party_id)
    if pref is None:
        return ChannelChoice(), None
    kinds = frozenset(k for k in (pref.channels or "").split(",") if k)
    return ChannelChoice(pref.opted_out, kinds if pref.channels is not None else None), pref


# Organisations on duty (departments, mediators, the committee) get hazards and deadlines at
# any hour unless they set quiet hours themselves; people get the service default.
_ORGANISATIONS = frozenset({"department", "mediator", "committee"})
_NEVER_QUIET = QuietHours.parse("00:00", "00:00")


def _quiet_for(pref: Choice | None, role: str, default: QuietHours) -> QuietHours:
    if pref is not None and pref.quiet_start and pref.quiet_end:
        return QuietHours.parse(pref.quiet_start, pref.quiet_end)
    return _NEVER_QUIET if role in _ORGANISATIONS else default


def _no_case(envelope: Envelope) -> Case:
    """What a consultation's notice reads as its "case": its title, no tracking code (never
    stored: the consultation is no case of notify's)."""
    title = str(envelope.payload.get("title", ""))[:200]
    return Case(case_id=envelope.case_id, kind="consult", tracking_code="", title=title)


async def plan_deliveries(envelope: Envelope, uow: UnitOfWork, ctx: Context) -> int:
    """Plan one delivery per (party, channel); the inbox copy counts as sent at once."""
    rules = rules_for(envelope.event_type, envelope.payload)
    case = (
        _no_case(envelope) if envelope.event_type in CASE_FREE else await _case_for(envelope, uow)
    )
    if case is None:
        if not _needs_case(envelope):
            return 0
        raise CaseNotYetKnown(str(envelope.case_id))
    existing: set[str] = set()
    planned: list[dict[str, Any]] = []
    for rule in rules:
        for recipient in await recipients(rule, envelope, case, uow, ctx.channels):
            for row in await _rows(rule, recipient, envelope, case, uow, ctx):
                if row["idempotency_key"] not in existing:
                    existing.add(row["idempotency_key"])
                    planned.append(row)
    if planned:
        case_store.plan(uow.session, planned)  # inserted with the batch's others, at commit
        if ctx.on_planned is not None:
            uow.after_commit(ctx.on_planned)
    return len(planned)


async def _rows(
    rule: Rule,
    recipient: Recipient,
    envelope: Envelope,
    case: Case,
    uow: UnitOfWork,
    ctx: Context,
) -> list[dict[str, Any]]:
    # A follower follows with its own report's code: the case's is the original reporter's
    # credential. A follower remembered before codes were kept gets no link at all.
    code = recipient.tracking_code or ("" if recipient.follower else case.tracking_code)
    hidden = recipient.role in NOT_CODE_HOLDERS
    if hidden:
        # A department, a supervisor, a respondent company: the code is the rider's
        # credential, never theirs to hold; they get the case's reference instead.
        code = ""
    context: dict[str, Any] = {
        "case": case,
        "party": recipient,
        "payload": envelope.payload,
        "tracking_code": case_reference(envelope.case_id) if hidden else code,
        "track_url": f"{ctx.public_url}/track/{code}" if code else "",
    }
    subject, body = ctx.renderer.render(rule.template, recipient.locale, context)
    choice, pref = await _choice(uow, recipient.party_id)
    targets = dict(recipient.channels)
    if rule.template in SECRET_TEMPLATES:  # a sign-in code: to the person, not the inbox
        targets.pop(INBOX, None)
        if not targets:
            return []
    chosen = select_channels(list(targets), choice, critical=rule.critical)
    now = ctx.clock.now()
    due = _quiet_for(pref, recipient.role, ctx.quiet_hours).release_at(now, critical=rule.critical)
    return [
        _delivery(envelope, rule, recipient, channel, targets[channel], subject, body, now, due)
        for channel in chosen
    ]


def _delivery(
    envelope: Envelope,
    rule: Rule,
    recipient: Recipient,
    channel: str,
    target: str,
    subject: str,
    body: str,
    now: datetime,
    due: datetime,
) -> dict[str, Any]:
    """One `delivery` row's values, every column given (they go in as one INSERT, no ORM)."""
    inbox = channel == INBOX
    return {
        "id": uuid.uuid4(),
        "idempotency_key": idempotency_key(str(envelope.event_id), recipient.party_id, channel),
        "event_id": envelope.event_id,
        "event_type": envelope.event_type,
        "case_id": envelope.case_id,
        "party_role": recipient.role,
        "party_id": recipient.party_id,
        "channel": channel,
        "target": target,
        "locale": recipient.locale,
        "subject": subject[:300],
        "body": body[:8000],
        "critical": rule.critical,
        "status": "sent" if inbox else "queued",
        "attempts": 0,
        "next_attempt_at": now if inbox else due,
        "lease_until": None,
        "last_error": "",
        "created_at": now,
        "sent_at": envelope.occurred_at if inbox else None,
        "read_at": None,
    }
