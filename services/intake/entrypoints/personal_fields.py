"""The personal fields of intake's requests and answers, by name, for the audit log."""

from __future__ import annotations

# A case as officers, the committee, departments and the parties see it (CasePublic).
CASE = frozenset(
    {
        "title",
        "description",
        "address",
        "latitude",
        "longitude",
        "details",
        "parties.name",
        "parties.party_id",
        "parties.phone_masked",
        "parties.phone",
        "parties.email",
        "parties.org_code",
        "attachments",
    }
)
# A page of the case list (CaseSummary).
CASE_LIST = frozenset({"title", "latitude", "longitude"})
# What a filing writes (FileDispute, FileHazard).
FILING = frozenset(
    {
        "complainant.name",
        "complainant.phone",
        "complainant.email",
        "complainant.id_number",
        "members.name",
        "members.phone",
        "members.email",
        "members.id_number",
        "workplace_address",
        "reporter.name",
        "reporter.phone",
        "reporter.email",
        "reporter.id_number",
        "respondents.name",
        "respondents.org_code",
        "respondents.email",
        "description",
        "address",
        "latitude",
        "longitude",
        "claim",
        "facts",
    }
)
# What an Open311 client's POST requests writes (its form fields).
OPEN311_FILING = frozenset(
    {
        "first_name",
        "last_name",
        "phone",
        "email",
        "address_string",
        "lat",
        "long",
        "description",
        "media",
        "media_url",
    }
)
# What supplementing an application may add (SupplementDispute).
SUPPLEMENT = frozenset(
    {
        "claim",
        "facts",
        "id_number",
        "respondents.name",
        "respondents.org_code",
        "respondents.email",
        "workplace_address",
        "latitude",
        "longitude",
    }
)
# What a correction may change (CorrectCase).
CORRECTION = frozenset({"category", "latitude", "longitude", "address"})
# The reporter's tracking view (TrackingView).
TRACKING = frozenset({"title", "attachments"})
# A party found by ID number (PartyMatch), and the number it was found by.
PARTY_SEARCH = ("parties.id_number", "parties.party_id", "parties.role")
