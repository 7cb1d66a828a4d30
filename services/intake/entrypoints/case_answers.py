"""What the officers' writes answer: a use case run at most once per Idempotency-Key with its
domain errors as JSON errors, and the filing answer that tells the runner how they will hear."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response

from services.intake.config import IntakeSettings
from services.intake.domain.commands import AddMembers, FileDispute, FileHazard, PersonIn
from services.intake.domain.errors import IntakeError
from services.intake.domain.tracking import follow_notice
from services.intake.entrypoints import personal_fields
from services.intake.entrypoints.idempotent import Action, run_once
from services.intake.entrypoints.problems import as_response
from services.intake.entrypoints.schemas import Filed
from services.intake.service_layer import idempotency
from shared.platform.audit.fields import names_present
from shared.platform.runtime import ServiceRuntime


async def once(runtime: ServiceRuntime, request: Request, body: Any, action: Action) -> Response:
    """`action` at most once per Idempotency-Key; a domain error is the answer, not a raise.

    `body` (what the key's fingerprint covers) may be a function of no arguments, called only
    when the request has a key (a request without one needs no fingerprint)."""

    def digest() -> str:
        return idempotency.fingerprint(body() if callable(body) else body)

    try:
        return await run_once(runtime, request, digest, action)
    except IntakeError as exc:
        return as_response(exc)


def json_answer(model: object, status: int = 200) -> JSONResponse:
    return JSONResponse(jsonable_encoder(model), status_code=status)


def filed_answer(answer: Filed) -> Response:
    """The filing's 201, serialised by pydantic directly (the same bytes `json_answer` gives
    a `Filed`: no datetimes or floats in it, compact, UTF-8), without the generic encoder's
    walk of the model."""
    return Response(answer.model_dump_json(), status_code=201, media_type="application/json")


class FiledCase(Protocol):
    """What the filing's answer reads of the case filed (the aggregate as last saved)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def tracking_code(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def jurisdiction(self) -> str | None: ...
    @property
    def duplicate_of(self) -> uuid.UUID | None: ...


def filing_fields(cmd: FileDispute | FileHazard | AddMembers) -> list[str]:
    return names_present(cmd, personal_fields.FILING)


def filed(case: FiledCase, settings: IntakeSettings, runner: PersonIn) -> Filed:
    """The filing's answer, with how the runner will hear of progress (intake's public URL,
    and whether notify texts riders without e-mail)."""
    zh, en = follow_notice(
        case.tracking_code,
        f"{settings.self_url.rstrip('/')}/track/{case.tracking_code}",
        email=runner.email is not None,
        phone=bool(runner.phone),
        sms=settings.sms_notices,
    )
    return Filed(
        case_id=case.id,
        tracking_code=case.tracking_code,
        status=case.status,
        kind=case.kind,
        jurisdiction=case.jurisdiction,
        duplicate_of=case.duplicate_of,
        follow_up=zh,
        follow_up_en=en,
    )
