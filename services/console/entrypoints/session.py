"""The console's session: a signed JWT in an HttpOnly cookie, the caller's role, the language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import Request

from shared.platform.auth.tokens import InvalidToken, Principal, verify

COOKIE = "ws_session"
LANG_COOKIE = "ws_lang"
Lang = Literal["zh", "en"]


class LoginRequired(Exception):
    """No valid session: the console sends the browser to the login page."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("login required")
        self.expired = expired  # there was a session, and it ran out


class WrongRole(Exception):
    """The page belongs to another role (answered 403)."""


@dataclass(frozen=True)
class Caller:
    principal: Principal
    token: str
    lang: Lang

    @property
    def role(self) -> str:
        return self.principal.actor.role

    def headers(self) -> dict[str, str]:
        """The user's own token: every service decides what this user may see and do."""
        return {"Authorization": f"Bearer {self.token}"}


def language(request: Request) -> Lang:
    """?lang= wins, then the cookie; zh-CN by default."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "zh"
    return "en" if asked.startswith("en") else "zh"


def caller(request: Request, public_pem: bytes, roles: frozenset[str]) -> Caller:
    """The verified caller, if its role may see the page."""
    token = request.cookies.get(COOKIE)
    if not token:
        raise LoginRequired
    try:
        principal = verify(public_pem, token)
    except InvalidToken as exc:
        raise LoginRequired(expired=True) from exc
    if principal.actor.role not in roles:
        raise WrongRole(principal.actor.role)
    return Caller(principal, token, language(request))
