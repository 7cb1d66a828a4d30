"""A rider's own account without a password: a one-time code by e-mail or SMS, then their
reports, their progress and their points (`GET /api/v1/rider/me`), never by guessing ids."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from services.intake.adapters.pii_cipher import PiiCipher
from services.intake.domain.commands import PHONE_PATTERN
from services.intake.entrypoints.auth_http import TokenAnswer
from services.intake.entrypoints.dependencies import Intake, IntakeDep, RuntimeDep
from services.intake.entrypoints.schemas import TimelineItem
from services.intake.entrypoints.tracking_http import public_timeline
from services.intake.service_layer import riders, views
from shared.platform.auth.dependency import ActorDep
from shared.platform.auth.tokens import issue
from shared.platform.json_rules import one_of, rules
from shared.platform.masking import mask_personal


class RiderWho(BaseModel):
    """The phone or the e-mail the rider reported with (one of them)."""

    model_config = ConfigDict(json_schema_extra=rules(one_of("phone", "email")))

    phone: str | None = Field(default=None, pattern=PHONE_PATTERN, description="手机号")
    email: EmailStr | None = Field(default=None, description="邮箱")

    @model_validator(mode="after")
    def _one(self) -> RiderWho:
        if (self.phone is None) == (self.email is None):
            raise ValueError("give the phone or the e-mail you reported with (one of them)")
        return self


class RiderLogin(RiderWho):
    code: str = Field(pattern=r"^\d{6}$", description="6 位验证码 the six-digit code")


class CodeSent(BaseModel):
    message: str
    message_en: str


class MyReport(BaseModel):
    tracking_code: str
    kind: str
    status: str
    title: str
    created_at: datetime
    timeline: list[TimelineItem]


class MyAccount(BaseModel):
    party_id: str
    points: int
    reports: list[MyReport]


_SENT = CodeSent(
    message=f"如该手机号或邮箱登记过报告，验证码已发送，{riders.CODE_MINUTES} 分钟内有效。",
    message_en=(
        "If a report was filed with this phone or e-mail, a code is on its way; "
        f"it works for {riders.CODE_MINUTES} minutes."
    ),
)


# The riders' rate limit is added where the app includes this router (app.py).
router = APIRouter(prefix="/api/v1/rider", tags=["rider"])


def _cipher(intake: Intake) -> PiiCipher:
    if intake.cipher is None:
        raise HTTPException(503, "sign-in codes need intake's PII keys")
    return intake.cipher


@router.post("/code", status_code=202, response_model=CodeSent)
async def request_code(who: RiderWho, runtime: RuntimeDep, intake: IntakeDep) -> CodeSent:
    """Send a one-time code to the rider (the same answer whether they are known or not)."""
    async with runtime.uow() as uow:
        email = str(who.email) if who.email else None
        now = intake.context.now()
        if await riders.request_code(uow, _cipher(intake), now, who.phone, email):
            await uow.commit()
    return _SENT


@router.post("/login", response_model=TokenAnswer, responses={401: {"description": "No"}})
async def login(body: RiderLogin, runtime: RuntimeDep, intake: IntakeDep) -> JSONResponse:
    """The code for a token acting as the rider (role reporter, their party id)."""
    async with runtime.uow() as uow:
        email = str(body.email) if body.email else None
        now = intake.context.now()
        cipher = _cipher(intake)
        party_id = await riders.check_code(uow, cipher, now, body.phone, email, body.code)
        await uow.commit()  # a failed try counts against the code
    if party_id is None:
        return JSONResponse(
            {"detail": "验证码错误或已过期 The code is wrong or has expired"}, status_code=401
        )
    actor = riders.rider_actor(party_id)
    ttl_seconds = intake.settings.token_ttl_seconds
    token = issue(intake.private_pem, actor, user_id=f"rider:{party_id}", ttl_seconds=ttl_seconds)
    return JSONResponse(TokenAnswer(access_token=token, expires_in=ttl_seconds).model_dump())


@router.get("/me", response_model=MyAccount, responses={403: {"description": "Not a rider"}})
async def me(actor: ActorDep, runtime: RuntimeDep, intake: IntakeDep) -> MyAccount:
    """The signed-in rider's reports with their progress, and their points."""
    if actor.role != "reporter":
        raise HTTPException(403, "only a rider signed in with a code has reports here")
    async with runtime.uow() as uow:
        points = await riders.points_of(uow, actor.id)
        found = await views.rider_reports(uow, actor.id)
    reports = [
        MyReport(
            tracking_code=case.tracking_code,
            kind=case.kind,
            status=case.status,
            title=mask_personal(case.title),
            created_at=case.created_at,
            timeline=public_timeline(entries),
        )
        for case, entries in found
    ]
    case_ids = [case.id for case, _entries in found]
    await intake.audit.read(
        "list",
        actor=actor,
        fields=["title"] if case_ids else [],
        case_ids=case_ids,
        route="/api/v1/rider/me",
    )
    return MyAccount(party_id=actor.id, points=points, reports=reports)
