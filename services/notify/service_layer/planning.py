"""From an event to delivery rows: who hears about it, on which channel, with which words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from services.notify.adapters.directory_file import ChannelDirectory
from services.notify.adapters.tables import Contact, Delivery, KnownCase
from services.notify.adapters.templates import Renderer
from services.notify.domain.delivery import idempotency_key
from services.notify.domain.errors import CaseNotYetKnown
from services.notify.domain.rules import Rule, rules_for
from shared.contracts.envelope import Envelope
from shared.messaging.uow import UnitOfWork


@dataclass(frozen=True)
class Recipient:
    role: str
    party_id: str
    display_name: str
    locale: str
    channels: tuple[tuple[str, str], ...]  # (channel, target)


@dataclass(frozen=True)
class PlanContext:
    directory: ChannelDirectory
    renderer: Renderer
    smtp_url: str | None
    public_url: str


async def remember_case(envelope: Envelope, uow: UnitOfWork) -> KnownCase:
    """`case.filed` tells notify the case and how to reach its parties."""
    p = envelope.payload
    case = KnownCase(
        case_id=envelope.case_id,
        kind=p["kind"],
        tracking_code=p["tracking_code"],
        title=p["title"][:200],
    )
    uow.session.add(case)
    for party in p.get("parties", []):
        uow.session.add(
            Contact(
                case_id=envelope.case_id,
                role=party["role"],
                party_id=party["party_id"],
                display_name=party["display_name"],
                email=party.get("email"),
                phone_masked=party.get("phone_masked"),
                locale=party.get("locale", "zh-CN"),
            )
        )
    return case


def _contact_channels(contact: Contact, smtp_url: str | None) -> tuple[tuple[str, str], ...]:
    channels: list[tuple[str, str]] = [("inapp", "")]
    if contact.email and smtp_url:
        channels.append(
            ("email", smtp_url + ("&" if "?" in smtp_url else "?") + f"to={contact.email}")
        )
    return tuple(channels)


async def recipients(
    rule: Rule, envelope: Envelope, uow: UnitOfWork, ctx: PlanContext
) -> list[Recipient]:
    if rule.party in ("complainant", "respondent", "reporter", "followers"):
        role = "follower" if rule.party == "followers" else rule.party
        contacts = (
            await uow.session.exec(
                select(Contact).where(Contact.case_id == envelope.case_id, Contact.role == role)
            )
        ).all()
        return [
            Recipient(
                c.role, c.party_id, c.display_name, c.locale, _contact_channels(c, ctx.smtp_url)
            )
            for c in contacts
        ]
    key = {
        "mediator": f"mediator:{envelope.payload.get('mediator_id', '')}",
        "department": f"department:{envelope.payload.get('department_id', '')}",
        "committee": "committee",
    }[rule.party]
    endpoint = ctx.directory.lookup(key)
    channels = tuple(
        ("webhook" if u.startswith("json") else "email" if u.startswith("mailto") else "robot", u)
        for u in (endpoint.urls if endpoint else [])
    )
    name = endpoint.display_name if endpoint else key
    return [
        Recipient(
            rule.party,
            key,
            name or key,
            endpoint.locale if endpoint else "zh-CN",
            (("inapp", ""), *channels),
        )
    ]


async def plan_deliveries(envelope: Envelope, uow: UnitOfWork, ctx: PlanContext) -> int:
    """Insert one queued delivery per (party, channel); the inbox copy counts as sent."""
    rules = rules_for(envelope.event_type)
    if envelope.event_type == "case.filed":
        case: KnownCase | None = await remember_case(envelope, uow)
        await uow.session.flush()
    else:
        case = await uow.session.get(KnownCase, envelope.case_id)
    if not rules:
        return 0
    if case is None:
        raise CaseNotYetKnown(str(envelope.case_id))
    planned = 0
    for rule in rules:
        for recipient in await recipients(rule, envelope, uow, ctx):
            context: dict[str, Any] = {
                "case": case,
                "party": recipient,
                "payload": envelope.payload,
                "track_url": f"{ctx.public_url}/track/{case.tracking_code}",
            }
            subject, body = ctx.renderer.render(rule.template, recipient.locale, context)
            for channel, target in recipient.channels:
                uow.session.add(
                    Delivery(
                        idempotency_key=idempotency_key(
                            str(envelope.event_id), recipient.party_id, channel
                        ),
                        event_id=envelope.event_id,
                        event_type=envelope.event_type,
                        case_id=envelope.case_id,
                        party_role=recipient.role,
                        party_id=recipient.party_id,
                        channel=channel,
                        target=target,
                        locale=recipient.locale,
                        subject=subject[:300],
                        body=body[:8000],
                        critical=rule.critical,
                        status="sent" if channel == "inapp" else "queued",
                        sent_at=envelope.occurred_at if channel == "inapp" else None,
                    )
                )
                planned += 1
    return planned
