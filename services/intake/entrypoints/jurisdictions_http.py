"""The jurisdictions' polygons as GeoJSON: the console's offline map picker and maps draw them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse


def build_router(path: Path) -> APIRouter:
    router = APIRouter(tags=["jurisdictions"])
    # Read once when the app is built: the boundaries change with a deployment, not a request.
    collection: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))

    @router.get("/api/v1/jurisdictions", summary="Jurisdiction boundaries (GeoJSON)")
    async def jurisdictions() -> JSONResponse:
        """Every town/street polygon with its `code` and `name_zh`: public geography."""
        return JSONResponse(collection, headers={"Cache-Control": "public, max-age=3600"})

    return router
