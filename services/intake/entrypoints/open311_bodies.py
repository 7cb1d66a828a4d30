"""What the Open311 resources say, built from intake's registry (plain dicts for the encoders).

Open311 is public: every text a reporter, an officer or a department wrote is masked
(`shared.platform.masking`) before it is shown; the registry keeps the original for the staff API.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from services.intake.domain import catalogue
from services.intake.domain.attributes import attributes_of
from services.intake.domain.media import IMAGES
from services.intake.domain.open311 import extended_status, open311_status
from services.intake.entrypoints.open311_format import when
from services.intake.service_layer.views import AttachmentRead, CaseRead, EntryRead, UpdateRead
from shared.platform.masking import mask_optional, mask_personal

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-30T08:00:00+08:00"  # when this interface last changed (must be past)


def discovery(base: str, contact: str, key_service: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{base}open311/v2",
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def services() -> list[dict[str, Any]]:
    return [
        {
            "service_code": c.code,
            "service_name": c.name_zh,
            "description": c.name_en,
            "metadata": True,
            "type": "realtime",
            "keywords": ", ".join(c.keywords),
            "group": c.group,
        }
        for c in catalogue.HAZARD_CATEGORIES
    ]


def definition(service_code: str) -> dict[str, Any]:
    return {
        "service_code": service_code,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description,
                "order": a.order,
                "description": a.description,
                **({"values": [{"key": k, "name": n} for k, n in a.values]} if a.values else {}),
            }
            for a in attributes_of(service_code)
        ],
    }


def media_url(base: str, case: CaseRead, attachments: list[AttachmentRead]) -> str | None:
    """The first photo of the hazard (public, like the request itself), else the client's URL."""
    photo = next((a for a in attachments if a.media_type in IMAGES), None)
    if photo is not None:
        return f"{base}open311/v2/media/{photo.id}"
    return case.media_url


def request(base: str, case: CaseRead, attachments: list[AttachmentRead]) -> dict[str, Any]:
    cat = catalogue.category(case.category)
    return {
        "service_request_id": str(case.id),
        "status": open311_status(case.status),
        "status_notes": mask_optional(case.status_notes or None),
        "service_name": cat.name_zh if cat else case.category,
        "service_code": case.category,
        "description": mask_personal(case.description),
        "agency_responsible": mask_optional(case.agency_responsible or None),
        "service_notice": None,
        "requested_datetime": when(case.created_at),
        "updated_datetime": when(case.status_at),
        "expected_datetime": when(case.expected_at),
        "address": mask_optional(case.address or None),
        "address_id": None,
        "zipcode": None,
        "lat": case.latitude,
        "long": case.longitude,
        "media_url": media_url(base, case, attachments),
    }


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite hands back naive UTC


def update(entry: EntryRead) -> dict[str, Any]:
    """A state change of dispatch's, listed by its event id (`_at` orders the feed)."""
    state = entry.state or ""
    return {
        "_at": _utc(entry.occurred_at),
        "update_id": str(entry.event_id),
        "service_request_id": str(entry.case_id),
        "status": extended_status(state),
        "updated_datetime": when(entry.occurred_at),
        "description": mask_personal(entry.text_zh),
        "media_url": None,
        "external_status_code": state,
    }


def department_update(row: UpdateRead) -> dict[str, Any]:
    """A department system's own update, listed by the update_id it posted."""
    return {
        "_at": _utc(row.received_at),
        "update_id": row.update_id,
        "service_request_id": str(row.case_id),
        "status": row.status,
        "updated_datetime": when(_utc(row.updated_datetime)),
        "description": mask_personal(row.description),
        "media_url": None,
        "external_status_code": row.status,
    }
