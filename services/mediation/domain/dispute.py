"""The Dispute aggregate: a dispute's state, its kept clocks, its history and its events.

Every lifecycle step goes through a method (checked by lifecycle.py, its clocks moved by
clocks.py's legal rules); the service layer loads a dispute from its repository, calls the
methods, saves it and publishes `events` through the outbox (cosmicpython's `Product.events`).
Nothing here does I/O. This module holds its fields; its methods are mixins, one module each:
history and events (dispute_history.py), clocks (dispute_clocks.py), admission, mediation,
endings, parties and groups (dispute_parties.py), reading grants (dispute_access.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.mediation.domain.dispute_access import ReadingAccess, ReadingGrant
from services.mediation.domain.dispute_admission import Admission
from services.mediation.domain.dispute_clocks import HistoryEntry, StateHistory, aware
from services.mediation.domain.dispute_endings import Endings
from services.mediation.domain.dispute_history import MEDIATION_CLOCKS, PARTY_WINDOWS
from services.mediation.domain.dispute_mediation import Mediation
from services.mediation.domain.dispute_parties import Parties
from services.mediation.domain.kept_clocks import KeptClock, TimerOrder
from shared.contracts.raised import Raised

__all__ = [
    "MEDIATION_CLOCKS",
    "PARTY_WINDOWS",
    "Dispute",
    "HistoryEntry",
    "Raised",
    "ReadingGrant",
    "StateHistory",
    "aware",
]


@dataclass(eq=False)
class Dispute(Admission, Mediation, Endings, Parties, ReadingAccess):
    case_id: uuid.UUID
    tracking_code: str
    state: str
    dispute_type: str
    title: str
    complainant_id: str
    application_received_at: datetime
    platform_worker: bool = False
    complainant_name: str = ""
    respondents: list[dict[str, Any]] = field(default_factory=list)
    mediator_id: str | None = None
    mediator_name: str | None = None
    duty_body: str | None = None
    agreement: dict[str, Any] | None = None
    performance_deadline: date | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    town: str | None = None
    company: str = ""
    company_key: str = ""
    filed_on: date | None = None
    filed_year: int | None = None
    filed_month: str | None = None
    risk: bool = False
    objected_mediators: list[str] = field(default_factory=list)
    infringement_known_on: date | None = None
    mediation_extended_days: int = 0
    accepted_at: datetime | None = None
    agreement_effective_at: datetime | None = None
    days_to_agreement: int | None = None
    outcome: str | None = None
    referred_at: datetime | None = None
    parent_case_id: uuid.UUID | None = None
    representatives: list[str] = field(default_factory=list)
    group_size: int = 0
    claim_amount_yuan: float | None = None
    companies: list[dict[str, Any]] = field(default_factory=list)
    history_count: int = 0
    # Its kept clocks by name, loaded with it.
    clocks: dict[str, KeptClock] = field(default_factory=dict)
    # Not yet saved: steps taken, clocks touched, timers ordered and events raised.
    history: list[HistoryEntry] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)
    timers: list[TimerOrder] = field(default_factory=list)
    events: list[Raised] = field(default_factory=list)
