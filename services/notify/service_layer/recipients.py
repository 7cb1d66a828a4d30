"""From a rule's party selector to the people and organisations that hear, with their channels."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from services.notify.adapters.case_store import Case, Party
from services.notify.adapters.channels import channel_of
from services.notify.adapters.directory_file import ChannelDirectory
from services.notify.domain.parties import organisation_name
from services.notify.domain.preferences import INBOX
from services.notify.domain.rules import Rule
from services.notify.service_layer import case_memory
from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork

_CONTACT_ROLES = {
    "complainant": "complainant",
    "respondent": "respondent",
    "reporter": "reporter",
    "followers": "follower",
}


@dataclass(frozen=True)
class Recipient:
    role: str
    party_id: str
    display_name: str
    locale: str
    channels: tuple[tuple[str, str], ...]  # (channel, target); channel names are unique
    # A contact's own tracking code when it is not the case's (a follower's own report's).
    tracking_code: str | None = None
    follower: bool = False


@dataclass(frozen=True)
class ChannelConfig:
    directory: ChannelDirectory
    smtp_url: str | None
    sms_gateway_url: str | None  # an Apprise URL with `{phone}`, e.g. jsons://gw/sms?:to={phone}
    # Riders without e-mail get an SMS, their phone filled in at send time (phone book set).
    rider_sms: bool = False


def _name_channels(pairs: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """webhook, webhook-2, ...: one delivery row (and key) per target."""
    seen: dict[str, int] = {}
    named = []
    for kind, target in pairs:
        seen[kind] = seen.get(kind, 0) + 1
        named.append((kind if seen[kind] == 1 else f"{kind}-{seen[kind]}", target))
    return tuple(named)


def _contact_recipient(contact: Party, cfg: ChannelConfig) -> Recipient:
    pairs = [(INBOX, "")]
    if contact.email and cfg.smtp_url:
        joiner = "&" if "?" in cfg.smtp_url else "?"
        pairs.append(("email", f"{cfg.smtp_url}{joiner}to={quote(contact.email, safe='@')}"))
    elif contact.phone_masked and cfg.sms_gateway_url and cfg.rider_sms:
        # The target keeps `{phone}`: the worker asks intake for the number as it sends, so
        # no raw phone is stored here (events and this table carry the masked one only).
        pairs.append(("sms", cfg.sms_gateway_url))
    return Recipient(
        contact.role,
        contact.party_id,
        contact.display_name,
        contact.locale,
        _name_channels(pairs),
        tracking_code=contact.tracking_code,
        follower=contact.role == "follower",
    )


def organisation_recipient(
    role: str, key: str, cfg: ChannelConfig, payload: dict[str, Any] | None = None
) -> Recipient:
    """A department, mediator or the committee, reached as the channel directory says."""
    endpoint = cfg.directory.lookup(key)
    pairs = [(INBOX, "")]
    if endpoint is not None:
        pairs += [(kind, url) for url in endpoint.urls if (kind := channel_of(url))]
        if cfg.sms_gateway_url:
            pairs += [("sms", cfg.sms_gateway_url.replace("{phone}", n)) for n in endpoint.sms]
    locale = endpoint.locale if endpoint else "zh-CN"
    name = (
        endpoint.display_name
        if endpoint and endpoint.display_name
        else organisation_name(key, payload or {}, locale)
    )
    return Recipient(role, key, name, locale, _name_channels(pairs))


def _organisation_key(rule: Rule, envelope: Envelope, case: Case) -> tuple[str, str] | None:
    p = envelope.payload
    if rule.party == "committee":
        return "committee", "committee"
    if rule.party == "mediator":
        ident = p.get("mediator_id") or case.mediator_id
        return ("mediator", f"mediator:{ident}") if ident else None
    if rule.party == "previous_mediator":
        return "mediator", f"mediator:{p['previous_mediator_id']}"
    if rule.party == "department":
        ident = p.get("department_id") or case.department_id
        return ("department", f"department:{ident}") if ident else None
    if rule.party == "escalation":
        return "department", f"department:{p['escalated_to']}"
    raise ValueError(f"no organisation behind {rule.party!r}")


async def _contacts(uow: UnitOfWork, case: Case, rule: Rule, envelope: Envelope) -> list[Party]:
    """The case's contacts this rule names (the case's contacts are read once per batch)."""
    contacts = await case_memory.contacts_of(uow, case.case_id)
    p = envelope.payload
    if rule.party in _CONTACT_ROLES:
        role = _CONTACT_ROLES[rule.party]
        return [c for c in contacts if c.role == role]
    if rule.party == "new_follower":
        return [c for c in contacts if c.party_id == p["follower"]["party_id"]]
    if rule.party == "credited_reporter":
        return [c for c in contacts if c.party_id == p["reporter_id"]]
    if rule.party == "code_holder":
        return [c for c in contacts if c.party_id == p["party_id"]]
    if rule.party == "waited_party":
        return [c for c in contacts if c.role == p["waiting_on"]]
    return contacts


_CONTACT_SELECTORS = {
    *_CONTACT_ROLES,
    "new_follower",
    "credited_reporter",
    "waited_party",
    "code_holder",
}


async def recipients(
    rule: Rule, envelope: Envelope, case: Case, uow: UnitOfWork, cfg: ChannelConfig
) -> list[Recipient]:
    """Everyone `rule` names for this event (none when the case has no such party)."""
    if rule.party in _CONTACT_SELECTORS:
        return [_contact_recipient(c, cfg) for c in await _contacts(uow, case, rule, envelope)]
    if rule.party == "company":
        # a company hears of a consultation only when the directory has its contact
        key = f"company:{envelope.payload.get('company_key', '')}"[:100]
        endpoint = cfg.directory.lookup(key)
        if endpoint is None:
            return []
        name = endpoint.display_name or str(envelope.payload.get("company", ""))
        return [
            dataclasses.replace(
                organisation_recipient("company", key, cfg, envelope.payload), display_name=name
            )
        ]
    found = _organisation_key(rule, envelope, case)
    return [organisation_recipient(found[0], found[1], cfg, envelope.payload)] if found else []
