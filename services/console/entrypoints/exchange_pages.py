"""The points exchange at a station (贡献换资源, J12): the provider station's own staff see the
rewards riders redeemed there and confirm each hand-over. A station's staff sign in under an
actor id `<station id>/<name>`; dispatch refuses anyone else's confirmation, and the page says
so in the user's language."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.console.entrypoints.backends import ServiceError, form_key
from services.console.entrypoints.dependencies import ConsoleDep
from services.console.entrypoints.pages import Console
from services.console.entrypoints.session import Caller

STAFF = frozenset({"intake_officer"})


def station_of(actor_id: str) -> str | None:
    """The station an officer works at, from their actor id (`<station id>/<name>`)."""
    station, slash, person = actor_id.partition("/")
    return station if slash and station and person.strip() else None


def reference(redemption_id: str) -> str:
    """What the rider and the staff read out: the redemption's first eight hex digits."""
    return "#" + uuid.UUID(redemption_id).hex[:8].upper()


router = APIRouter(prefix="/console", include_in_schema=False)


async def page(
    console: Console, request: Request, who: Caller, status: int = 200, **ctx: Any
) -> Response:
    ctx = {"errors": {}, "station": None, "rows": []} | ctx
    station_id = station_of(who.principal.actor.id)
    if station_id is not None:
        rows = await console.backends.get(
            who, "dispatch", "/api/v1/redemptions", station_id=station_id
        )
        try:  # the station's name, from the register's public page of it
            named = await console.backends.get(who, "dispatch", f"/stations/{station_id}.json")
        except ServiceError:  # an account naming a station not (or no longer) registered
            named = {"name": ""}
        ctx["station"] = named["name"]
        ctx["rows"] = [r | {"reference": reference(r["redemption_id"])} for r in rows]
    return console.render(request, "redemptions.html", who, status, **ctx)


@router.get("/redemptions")
async def redemptions(request: Request, console: ConsoleDep) -> Response:
    return await page(console, request, console.who(request, STAFF))


@router.post("/redemptions/{redemption_id}/handover")
async def hand_over(request: Request, console: ConsoleDep, redemption_id: uuid.UUID) -> Response:
    who = console.who(request, STAFF)
    try:
        await console.backends.post(
            who,
            "dispatch",
            f"/api/v1/redemptions/{redemption_id}/handover",
            idempotency_key=form_key(await request.form()),
        )
    except ServiceError as exc:
        status = exc.status if exc.status < 500 else 502
        return await page(console, request, who, status, errors=exc.field_errors(who.lang))
    return RedirectResponse("/console/redemptions?handed=1", 303)
