"""The people of an intake case: reporters, complainants, respondents and followers.

Kept apart from the `Case` aggregate: most of a case's life (every projected event) never
reads them, so they load only for the steps that do. Nothing here does I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.intake.domain.privacy import mask_phone
from shared.contracts.events.common import PartyRef


@dataclass(eq=False)
class Party:
    case_id: uuid.UUID
    role: str
    party_id: str
    name: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    phone: str | None = None
    email: str | None = None
    org_code: str | None = None
    locale: str = "zh-CN"
    # The resident ID number: ciphertext sealed to `party_id`, and its keyed hash.
    id_number_enc: str | None = None
    id_number_hash: str | None = None
    phone_hash: str | None = None
    email_hash: str | None = None
    purged_at: datetime | None = None


@dataclass
class RiderPoints:
    """A rider's balance as dispatch last announced it."""

    party_id: str
    balance: int
    credited_at: datetime

    def announced(self, balance: int, at: datetime) -> bool:
        """Take a newer announcement (the newest credit or spending wins); False if older."""
        if self.credited_at > at:
            return False
        self.balance, self.credited_at = balance, at
        return True


def party_ref(party: Party, role: str | None = None) -> PartyRef:
    return PartyRef(
        role=role or party.role,
        party_id=party.party_id,
        display_name=party.name,
        email=party.email,
        phone_masked=mask_phone(party.phone) if party.phone else None,
        locale=party.locale,
    )


def respondent_parties(case_id: uuid.UUID, respondents: list[Any]) -> list[Party]:
    """Respondents as given (name, credit code, e-mail); an organisation's id is its code."""
    return [
        Party(
            case_id=case_id,
            role="respondent",
            party_id=f"org-{r.org_code}" if r.org_code else f"org-{uuid.uuid4().hex[:12]}",
            name=r.name,
            email=str(r.email) if r.email else None,
            org_code=r.org_code,
        )
        for r in respondents
    ]


def merge_respondents(case_id: uuid.UUID, known: list[Party], given: list[Any]) -> list[Party]:
    """A given respondent matching one on file (credit code, else name) completes it (its
    e-mail for service, its code); any other is an extra respondent. The whole list after."""
    parties = list(known)
    for r in given:
        match = next(
            (
                p
                for p in parties
                if (r.org_code and p.org_code == r.org_code)
                or (not (r.org_code and p.org_code) and p.name == r.name)
            ),
            None,
        )
        if match is None:
            parties += respondent_parties(case_id, [r])
            continue
        if r.email:
            match.email = str(r.email)
        match.org_code = match.org_code or r.org_code
    return parties
