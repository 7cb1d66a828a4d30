"""The jurisdictions' polygons as GeoJSON: the console's offline map picker and maps draw them."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from services.intake.entrypoints.dependencies import IntakeDep

router = APIRouter(tags=["jurisdictions"])


@router.get("/api/v1/jurisdictions", summary="Jurisdiction boundaries (GeoJSON)")
async def jurisdictions(intake: IntakeDep) -> JSONResponse:
    """Every town/street polygon with its `code` and `name_zh`: public geography."""
    return JSONResponse(intake.jurisdictions, headers={"Cache-Control": "public, max-age=3600"})
