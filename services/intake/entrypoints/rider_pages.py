"""The rider's own pages (`/me`, zh-CN first, phone-sized): ask for a one-time code by phone or
e-mail, sign in, see the points with what earned them, every ticket with its state in words and
its tracking link, and what happened on each; sign out.

The session is the rider's reporter token (as `POST /api/v1/rider/login` answers it), short-lived,
in an HttpOnly, SameSite=Strict cookie scoped to `/me`; nothing is addressed by an id a stranger
could guess. Texts other people wrote (notes on the timeline) are masked as on `/track`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.intake.adapters.exchange_access import Booking
from services.intake.domain.riders import normalise_phone
from services.intake.entrypoints import rider_exchange
from services.intake.entrypoints.dependencies import Intake, IntakeDep, RuntimeDep
from services.intake.entrypoints.schemas import TimelineItem
from services.intake.entrypoints.tracking_http import public_timeline, status_words
from services.intake.service_layer import riders, views
from shared.contracts.glossary import written_time
from shared.platform.auth.tokens import InvalidToken, issue, verify
from shared.platform.masking import mask_personal
from shared.platform.runtime import ServiceRuntime

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
COOKIE = "ws_rider"
COOKIE_PATH = "/me"
# A page session is short whatever the API tokens' lifetime: 15 minutes at most.
SESSION_SECONDS = 900
Lang = Literal["zh-CN", "en"]

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")

# Every sentence of the pages, (zh-CN, en).
WORDS: dict[str, tuple[str, str]] = {
    "title": ("我的积分和工单", "My points and tickets"),
    "sign_in": ("登录查看我的积分和工单", "Sign in to see your points and tickets"),
    "sign_in_hint": (
        "请输入您报告时留下的手机号或邮箱，我们会发送一次性验证码。无需注册，无需密码。",
        "Enter the phone or e-mail you reported with; we send a one-time code. "
        "No account, no password.",
    ),
    "who": ("手机号或邮箱", "Phone or e-mail"),
    "send_code": ("发送验证码", "Send me a code"),
    "code_sent": (
        f"如 {{who}} 登记过报告，验证码已发送，{riders.CODE_MINUTES} 分钟内有效。",
        f"If {{who}} filed a report, a code is on its way; it works for "
        f"{riders.CODE_MINUTES} minutes.",
    ),
    "code": ("6 位验证码", "Six-digit code"),
    "log_in": ("登录", "Sign in"),
    "other_who": ("换一个手机号或邮箱", "Use another phone or e-mail"),
    "bad_who": (
        "请填写 11 位手机号或邮箱地址",
        "Enter an 11-digit mobile number or an e-mail address",
    ),
    "bad_code": ("请填写 6 位数字验证码", "Enter the six digits of the code"),
    "wrong_code": (
        "验证码错误或已过期，请重新获取",
        "The code is wrong or has expired; ask for a new one",
    ),
    "no_keys": ("暂时无法登录，请稍后再试", "Signing in is not possible now; try later"),
    "points": ("我的贡献积分", "My contribution points"),
    "points_unit": ("分", "points"),
    "ledger": ("积分明细", "How I earned them"),
    "ledger_none": (
        "还没有积分。报告的隐患经处置并确认修复后，即可获得积分。",
        "No points yet. A report earns points once its fix is confirmed.",
    ),
    "for_report": ("报告", "Report"),
    "tickets": ("我的工单", "My tickets"),
    "tickets_none": ("还没有报告。", "No reports yet."),
    "state": ("状态", "State"),
    "filed_at": ("提交时间", "Filed"),
    "tracking": ("查询码", "Tracking code"),
    "open_track": ("查看进度页", "Open its tracking page"),
    "history": ("处理经过", "What happened"),
    "sign_out": ("退出登录", "Sign out"),
    "signed_out": ("您已退出登录。", "You are signed out."),
    "session_note": (
        "为保护您的信息，登录 15 分钟后自动退出。",
        "For your safety you are signed out after 15 minutes.",
    ),
    "language": ("语言", "Language"),
    "kind_hazard": ("隐患报告", "Hazard report"),
    "kind_dispute": ("纠纷求助", "Dispute"),
} | rider_exchange.WORDS


def word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return en if lang == "en" else zh


@dataclass(frozen=True)
class Who:
    """Whom a code goes to: the phone (digits, no +86) or the e-mail, one of them."""

    phone: str | None = None
    email: str | None = None

    @property
    def shown(self) -> str:
        """As the page repeats it back: masked, like any number on a page."""
        return mask_personal(self.phone or self.email or "")

    @property
    def typed(self) -> str:
        return self.phone or self.email or ""


def parse_who(text: str) -> Who | None:
    """A phone (spaces, dashes, +86 allowed; a mainland mobile) or an e-mail; None otherwise."""
    value = text.strip()[:254]
    if "@" in value or "＠" in value:
        email = value.replace("＠", "@")
        return Who(email=email.lower()) if _EMAIL.match(email) else None
    if not re.fullmatch(r"[+0-9０-９ \-()（）]{6,24}", value):
        return None
    digits = normalise_phone(value.translate(_FULL_WIDTH))
    return Who(phone=digits) if _MOBILE.match(digits) else None


_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def parse_code(text: str) -> str | None:
    """Six digits (full-width digits and spaces forgiven), else None."""
    digits = re.sub(r"\s", "", text.translate(_FULL_WIDTH))
    return digits if re.fullmatch(r"\d{6}", digits) else None


@dataclass(frozen=True)
class Ticket:
    tracking_code: str
    title: str
    kind: str
    state: str
    filed_at: datetime
    timeline: list[TimelineItem]
    town: str | None = None


@dataclass(frozen=True)
class Earned:
    """One line of the points ledger: when, for which report, and the words of the credit."""

    at: datetime
    title: str
    tracking_code: str
    text_zh: str
    text_en: str


def ledger(tickets: list[Ticket]) -> list[Earned]:
    """Every credit and spending on the rider's tickets, newest first (each names the report it
    was noted on): one history beside the one balance."""
    lines = [
        Earned(item.occurred_at, t.title, t.tracking_code, *_yours(item.text_zh, item.text_en))
        for t in tickets
        for item in t.timeline
        if item.event_type in ("points.credited", "points.redeemed")
    ]
    return sorted(lines, key=lambda e: e.at, reverse=True)


def _yours(zh: str, en: str) -> tuple[str, str]:
    """The staff's timeline says "the reporter"; the rider's own ledger speaks to him: "you"."""
    if zh.startswith("报告人"):
        zh = "您" + zh.removeprefix("报告人")
    if en.startswith("The reporter "):
        en = "You " + en.removeprefix("The reporter ")
    return zh, en


def session_party(token: str | None, public_pem: bytes) -> str | None:
    """The party id of a live rider session cookie; None for none, expired, or not a rider's."""
    if not token:
        return None
    try:
        principal = verify(public_pem, token, leeway=0)
    except InvalidToken:
        return None
    if principal.actor.role != "reporter" or principal.user_id != f"rider:{principal.actor.id}":
        return None
    return principal.actor.id


# Included behind the riders' rate limit (app.py). The cookie is Secure when intake is served
# over HTTPS (its self URL); the points exchange is dispatch's, asked with the rider's own
# session token.
router = APIRouter(tags=["rider pages"], include_in_schema=False)
_pages = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
_pages.filters["local"] = written_time


def _secure(intake: Intake) -> bool:
    return intake.settings.self_url.startswith("https://")


def page(lang: str, status: int = 200, **values: object) -> HTMLResponse:
    html = _pages.get_template("me.html").render(
        lang=lang,
        w=lambda key, **kw: word(key, lang).format(**kw),
        status_words=lambda s: status_words(s, lang),
        form_key=lambda: uuid.uuid4().hex,
        **values,
    )
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    return HTMLResponse(html, status_code=status, headers=headers)


@router.get("/me")
async def me(
    request: Request,
    runtime: RuntimeDep,
    intake: IntakeDep,
    lang: Lang = "zh-CN",
    out: str = "",
) -> Response:
    token = request.cookies.get(COOKIE)
    party_id = session_party(token, intake.keys.public_pem)
    if token is None or party_id is None:
        return page(lang, step="who", signed_out=bool(out))
    return await _account(runtime, intake, lang, token, party_id)


async def _account(
    runtime: ServiceRuntime,
    intake: Intake,
    lang: str,
    token: str,
    party_id: str,
    status: int = 200,
    booked: Booking | None = None,
    refused: tuple[str, str] | None = None,
) -> HTMLResponse:
    """His page: points (dispatch's balance when it answers), ledger, exchange, tickets."""
    # The balance first, the ledger after: a credit's timeline line commits with its balance,
    # so a ledger read later holds every credit the balance counts (read the other way round, a
    # credit applied between the two reads showed in the balance and not yet in the ledger).
    async with runtime.uow() as uow:
        points = await riders.points_of(uow, party_id)
    tickets, case_ids = await _tickets(runtime, party_id)
    market = await intake.exchange.exchange(token, party_id)
    await intake.audit.read(
        "list",
        actor=riders.rider_actor(party_id),
        fields=["title"] if tickets else [],
        case_ids=case_ids,
        route="/me",
    )
    offers = []
    if market is not None:
        points = market.balance  # dispatch keeps the ledger; intake's copy may lag a moment
        offers = rider_exchange.ordered(market.offers, {t.town for t in tickets if t.town})
    return page(
        lang,
        status,
        step="account",
        points=points,
        tickets=tickets,
        ledger=ledger(tickets),
        market=market,
        offers=offers,
        booked=booked,
        refused=refused,
    )


@router.post("/me/redeem")
async def redeem(
    request: Request,
    runtime: RuntimeDep,
    intake: IntakeDep,
    reward_id: Annotated[str, Form(max_length=64)] = "",
    form_key: Annotated[str, Form(max_length=64)] = "",
    lang: Annotated[Lang, Form()] = "zh-CN",
) -> Response:
    token = request.cookies.get(COOKIE)
    party_id = session_party(token, intake.keys.public_pem)
    if token is None or party_id is None:
        return page(lang, 401, step="who")
    # The cookie is SameSite=Strict; a browser that says the form came from elsewhere is
    # refused all the same.
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return page(lang, 403, step="who")
    if not rider_exchange.REWARD_ID.match(reward_id) or not rider_exchange.FORM_KEY.match(form_key):
        refused = (reward_id, "refused_other")
        return await _account(runtime, intake, lang, token, party_id, 422, refused=refused)
    answer = await intake.exchange.redeem(token, reward_id, f"me-{party_id[:16]}-{form_key}")
    if isinstance(answer, Booking):
        return await _account(runtime, intake, lang, token, party_id, booked=answer)
    if answer is None:  # dispatch down or slow: the page says so where the offers were
        return await _account(runtime, intake, lang, token, party_id, 503)
    refused = (reward_id, rider_exchange.refusal_key(answer.reason))
    return await _account(runtime, intake, lang, token, party_id, 409, refused=refused)


async def _tickets(runtime: ServiceRuntime, party_id: str) -> tuple[list[Ticket], list[uuid.UUID]]:
    async with runtime.uow() as uow:
        found = await views.rider_reports(uow, party_id)
    tickets = [
        Ticket(
            tracking_code=case.tracking_code,
            title=mask_personal(case.title),
            kind=case.kind,
            state=case.status,
            filed_at=case.created_at,
            timeline=public_timeline(entries),
            town=case.jurisdiction,
        )
        for case, entries in found
    ]
    return tickets, [case.id for case, _entries in found]


@router.post("/me/code")
async def send_code(
    runtime: RuntimeDep,
    intake: IntakeDep,
    who: Annotated[str, Form(max_length=300)] = "",
    lang: Annotated[Lang, Form()] = "zh-CN",
) -> Response:
    parsed = parse_who(who)
    if parsed is None:
        return page(lang, 422, step="who", error=word("bad_who", lang), typed=who[:80])
    if intake.cipher is None:
        return page(lang, 503, step="who", error=word("no_keys", lang), typed=who[:80])
    now = intake.context.now()
    async with runtime.uow() as uow:
        if await riders.request_code(uow, intake.cipher, now, parsed.phone, parsed.email):
            await uow.commit()
    return page(lang, 202, step="code", who=parsed)


@router.post("/me/login")
async def login(
    runtime: RuntimeDep,
    intake: IntakeDep,
    who: Annotated[str, Form(max_length=300)] = "",
    code: Annotated[str, Form(max_length=20)] = "",
    lang: Annotated[Lang, Form()] = "zh-CN",
) -> Response:
    parsed = parse_who(who)
    if parsed is None:
        return page(lang, 422, step="who", error=word("bad_who", lang), typed=who[:80])
    digits = parse_code(code)
    if digits is None:
        return page(lang, 422, step="code", who=parsed, error=word("bad_code", lang))
    if intake.cipher is None:
        return page(lang, 503, step="who", error=word("no_keys", lang))
    now = intake.context.now()
    async with runtime.uow() as uow:
        party_id = await riders.check_code(
            uow, intake.cipher, now, parsed.phone, parsed.email, digits
        )
        await uow.commit()  # a failed try counts against the code
    if party_id is None:
        return page(lang, 401, step="code", who=parsed, error=word("wrong_code", lang))
    # A page session is short whatever the API tokens' lifetime.
    seconds = min(intake.settings.token_ttl_seconds, SESSION_SECONDS)
    token = issue(
        intake.private_pem,
        riders.rider_actor(party_id),
        user_id=f"rider:{party_id}",
        ttl_seconds=seconds,
    )
    answer = RedirectResponse(f"/me?lang={lang}", status_code=303)
    answer.set_cookie(
        COOKIE,
        token,
        max_age=seconds,
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
        secure=_secure(intake),
    )
    return answer


@router.post("/me/logout")
async def logout(intake: IntakeDep, lang: Annotated[Lang, Form()] = "zh-CN") -> Response:
    answer = RedirectResponse(f"/me?lang={lang}&out=1", status_code=303)
    answer.delete_cookie(
        COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict", secure=_secure(intake)
    )
    return answer
