"""A party's own notification preferences: opt-out, channels, quiet hours."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter

from services.notify.domain.errors import NotYourParty
from services.notify.domain.quiet_hours import QuietHours
from services.notify.entrypoints.dependencies import ActorDep, QuietHoursDep, RuntimeDep
from services.notify.entrypoints.errors import FORBIDDEN, http_error
from services.notify.entrypoints.schemas import PreferenceIn, PreferenceOut
from services.notify.service_layer import preferences, views
from shared.platform.audit.http import AuditCaller
from shared.platform.auth.dependency import AUTHENTICATED

router = APIRouter(
    prefix="/api/v1/parties", tags=["deliveries"], dependencies=[*AUTHENTICATED, *AuditCaller]
)


def _pref_out(p: Mapping[str, Any], quiet: QuietHours) -> PreferenceOut:
    channels = p["channels"]
    return PreferenceOut(
        party_id=p["party_id"],
        opted_out=p["opted_out"],
        channels=None if channels is None else [c for c in channels.split(",") if c],
        quiet_hours_start=p["quiet_start"],
        quiet_hours_end=p["quiet_end"],
        default_quiet_hours=f"{quiet.start:%H:%M}-{quiet.end:%H:%M} Asia/Shanghai",
    )


@router.get("/{party_id}/preferences", response_model=PreferenceOut, responses=FORBIDDEN)
async def read_preferences(
    party_id: str, actor: ActorDep, runtime: RuntimeDep, quiet: QuietHoursDep
) -> PreferenceOut:
    """The caller's own preferences (defaults when never set)."""
    try:
        async with runtime.uow() as uow:
            pref = await views.preference(uow, actor, party_id)
            return _pref_out(pref, quiet)
    except NotYourParty as exc:
        raise http_error(exc) from exc


@router.put("/{party_id}/preferences", response_model=PreferenceOut, responses=FORBIDDEN)
async def write_preferences(
    party_id: str, body: PreferenceIn, actor: ActorDep, runtime: RuntimeDep, quiet: QuietHoursDep
) -> PreferenceOut:
    """Opt out, choose channels, set quiet hours; legal notices still reach you."""
    window = (
        (body.quiet_hours_start, body.quiet_hours_end)
        if body.quiet_hours_start and body.quiet_hours_end
        else None
    )
    try:
        async with runtime.uow() as uow:
            pref = await preferences.set_preference(
                uow,
                actor,
                party_id,
                opted_out=body.opted_out,
                channels=None if body.channels is None else list(body.channels),
                quiet_hours=window,
            )
            return _pref_out(pref, quiet)
    except NotYourParty as exc:
        raise http_error(exc) from exc
