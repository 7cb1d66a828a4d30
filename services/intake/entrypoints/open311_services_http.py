"""Open311's discovery and its services: the hazard categories and the attributes each asks."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.intake.domain import catalogue
from services.intake.entrypoints import open311_bodies as bodies
from services.intake.entrypoints.dependencies import IntakeDep
from services.intake.entrypoints.open311_errors import Open311Problem
from services.intake.entrypoints.open311_format import render
from services.intake.entrypoints.open311_params import PREFIX, check_jurisdiction, fmt_of

router = APIRouter(prefix=PREFIX, tags=["open311"])


@router.get("/discovery.{fmt}", summary="Service discovery")
async def discovery(fmt: str, request: Request, intake: IntakeDep) -> Response:
    """Where this endpoint lives and which formats it speaks."""
    fmt = fmt_of(fmt)
    settings = intake.settings
    data = bodies.discovery(
        str(request.base_url), settings.open311_contact, settings.open311_key_service
    )
    return render(fmt, "discovery", None, data)


@router.get("/services.{fmt}", summary="List services")
async def services(fmt: str, request: Request, intake: IntakeDep) -> Response:
    """Hazard categories as Open311 services."""
    fmt = fmt_of(fmt)
    check_jurisdiction(request.query_params, fmt, intake.settings)
    return render(fmt, "services", "service", bodies.services())


@router.get("/services/{service_code}.{fmt}", summary="Service definition")
async def service_definition(
    service_code: str, fmt: str, request: Request, intake: IntakeDep
) -> Response:
    """The extra attributes a service asks for."""
    fmt = fmt_of(fmt)
    check_jurisdiction(request.query_params, fmt, intake.settings)
    if catalogue.category(service_code) is None:
        raise Open311Problem(404, f"service_code: no service {service_code[:40]!r}", fmt)
    return render(fmt, "service_definition", None, bodies.definition(service_code))
