"""The personal fields of mediation's answers, by name, for the audit log."""

from __future__ import annotations

# One dispute as its parties, its mediator and the committee see it (DisputePublic).
DISPUTE = frozenset(
    {
        "title",
        "complainant_name",
        "company",
        "mediator_name",
        "respondents",
        "representatives",
        "agreement",
        "history.note",
        "sessions.place",
        "sessions.attendees",
        "sessions.summary",
        "members.complainant_name",
    }
)
# A queue of disputes (DisputeSummary).
DISPUTE_LIST = frozenset({"title", "company"})
# What the agreement PDF shows: the parties' names and the agreed terms.
AGREEMENT_PDF = ("agreement", "complainant_name", "mediator_name", "respondents")
