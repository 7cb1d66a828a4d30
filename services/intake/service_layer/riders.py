"""A rider signs in with a one-time code sent to them, and reads their own reports.

The code goes out through notify (`rider.code_requested`, to the rider's e-mail or, through
the SMS gateway, their phone); intake keeps only its keyed hash. A code is good for
`CODE_MINUTES`, once, and for `MAX_ATTEMPTS` tries; the answer to a request is the same
whether the rider is known or not, so the route tells a stranger nothing.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from sqlmodel import col, select

from services.intake.adapters import repository
from services.intake.adapters.pii_cipher import PiiCipher
from services.intake.adapters.tables import Case, Party, PartyPoints, RiderCode
from services.intake.domain.riders import RUNNER_ROLES, email_key, phone_key
from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.intake import RiderCodeRequested
from shared.messaging.uow import UnitOfWork

CODE_MINUTES = 10
MAX_ATTEMPTS = 5


def _lookup(
    cipher: PiiCipher, phone: str | None, email: str | None
) -> tuple[str | None, str | None]:
    return (
        phone_key(phone, cipher.lookup_hash) if phone else None,
        email_key(email, cipher.lookup_hash) if email else None,
    )


def _code_hash(cipher: PiiCipher, party_id: str, code: str) -> str:
    return cipher.lookup_hash(f"code:{party_id}:{code}")


async def request_code(
    uow: UnitOfWork, cipher: PiiCipher, now: datetime, phone: str | None, email: str | None
) -> bool:
    """Send a code to the rider with this phone or e-mail; False when nobody has them."""
    party_id = await repository.runner_party_id(uow.session, *_lookup(cipher, phone, email))
    if party_id is None:
        return False
    newest = (
        await uow.session.exec(
            select(Party.case_id)
            .join(Case, col(Case.id) == col(Party.case_id))
            .where(Party.party_id == party_id, col(Party.role).in_(RUNNER_ROLES))
            .order_by(col(Case.created_at).desc())
            .limit(1)
        )
    ).first()
    if newest is None:
        return False
    code = f"{secrets.randbelow(1_000_000):06d}"
    expires = now + timedelta(minutes=CODE_MINUTES)
    uow.session.add(
        RiderCode(
            party_id=party_id,
            code_hash=_code_hash(cipher, party_id, code),
            expires_at=expires,
            created_at=now,
        )
    )
    uow.emit(
        new_event(
            "rider.code_requested",
            RiderCodeRequested(party_id=party_id, code=code, expires_at=expires),
            case_id=newest,
            actor=Actor(role="reporter", id=party_id),
            producer="intake",
            occurred_at=now,
        )
    )
    return True


async def check_code(
    uow: UnitOfWork,
    cipher: PiiCipher,
    now: datetime,
    phone: str | None,
    email: str | None,
    code: str,
) -> str | None:
    """The rider's party id when `code` is their live code (then spent), else None."""
    party_id = await repository.runner_party_id(uow.session, *_lookup(cipher, phone, email))
    if party_id is None:
        return None
    row = (
        await uow.session.exec(
            select(RiderCode)
            .where(RiderCode.party_id == party_id, col(RiderCode.used_at).is_(None))
            .order_by(col(RiderCode.created_at).desc())
            .limit(1)
            .with_for_update()
        )
    ).first()
    if row is None or row.expires_at <= now or row.attempts >= MAX_ATTEMPTS:
        return None
    row.attempts += 1
    uow.session.add(row)
    if not hmac.compare_digest(row.code_hash, _code_hash(cipher, party_id, code)):
        return None
    row.used_at = now
    return party_id


def rider_actor(party_id: str) -> Actor:
    """Who a signed-in rider acts as: a reporter, by their party id (every service's own
    checks then show them their own tickets and points only)."""
    return Actor(role="reporter", id=party_id)


async def points_of(uow: UnitOfWork, party_id: str) -> int:
    found = await uow.session.get(PartyPoints, party_id)
    return found.balance if found is not None else 0


async def cases_of(uow: UnitOfWork, party_id: str) -> list[tuple[Case, Party]]:
    """The rider's own reports, newest first (as reporter, complainant; not as follower)."""
    rows = await uow.session.exec(
        select(Case, Party)
        .join(Party, col(Party.case_id) == col(Case.id))
        .where(Party.party_id == party_id, col(Party.role).in_(("reporter", "complainant")))
        .order_by(col(Case.created_at).desc())
        .limit(200)
    )
    return [(case, party) for case, party in rows.all()]
