"""Sends one delivery and says whether a failure is transient or for good.

E-mail leaves through `mail.py` (smtplib, with a Message-ID that follows the delivery's key);
JSON webhooks (json://, jsons://) through one pooled `aiohttp.ClientSession` per `Sender`; every
other channel through Apprise.

aiohttp, not httpx, for the webhooks: a kept-alive POST costs 0.22-0.26 ms of client CPU with
aiohttp against 0.86-0.88 ms with httpx on this machine, and in the whole system notify spends
about a tenth less CPU per ticket (docs/performance.md, section 18). The environment's proxy
and ~/.netrc are read once per host (`Sender._route`), not per request as aiohttp's trust_env
does: this `Sender` then costs 0.32 ms per POST instead of about 1 ms (section 19).

Apprise 2.x has no persistent HTTP session for its notification plugins: each send opens a
`requests` session and a TCP connection (a fifth of notify's CPU under load, issue #21). A
JSON webhook is read by Apprise's own URL parser (`NotifyJSON.parse_url`: `+Header=`,
`-param=`, `:payload=`, method, user, timeouts, `redirect=no`) and posted with the same JSON
body Apprise would post, over kept-alive connections; a status is read from the answer.
 Apprise 2.x reports no HTTP status in its result
objects: each `NotifyResult` keeps the log lines of its attempts, and the HTTP plugins (json,
form, xml, DingTalk, WeCom, Feishu...) log `error=<status>` on a non-2xx answer. Those lines
are read here, right away, and never stored: they may name the recipient.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import apprise
from aiohttp.helpers import basicauth_from_netrc, get_env_proxy_for_url, netrc_from_env
from apprise.common import NotifyType
from apprise.plugins.custom_json import NotifyJSON
from apprise.result import AppriseResultStatus
from email_validator import EmailNotValidError, validate_email
from yarl import URL

from services.notify.adapters.channels import channel_of
from services.notify.adapters.mail import send_mail
from services.notify.adapters.outcome import SendOutcome
from services.notify.domain.delivery import http_status_is_permanent

_HTTP_STATUS = re.compile(r"error=(\d{3})\b")


def _bad_email_target(url: str) -> bool:
    """Apprise drops an invalid `to=` and mails its own sender instead: refuse that here."""
    query = parse_qs(urlsplit("http://" + url.split("://", 1)[-1]).query)
    targets = [t for value in query.get("to", []) for t in value.split(",") if t]
    try:
        for target in targets:
            validate_email(target, check_deliverability=False)
    except EmailNotValidError:
        return True
    return False


def classify(result: apprise.AppriseResult) -> SendOutcome:
    """Turn Apprise's result into ok / transient failure / permanent failure."""
    if bool(result):
        return SendOutcome(ok=True, permanent=False)
    if result.status == AppriseResultStatus.TIMEOUT or result.timeout_count:
        return SendOutcome(ok=False, permanent=False, error="timeout")
    for service in result.results:
        for entry in service.logs():
            http = _HTTP_STATUS.search(entry.message)
            if http:
                status = int(http.group(1))
                return SendOutcome(False, http_status_is_permanent(status), f"HTTP {status}")
    return SendOutcome(ok=False, permanent=False, error=f"delivery failed ({result.status.name})")


_JSON_SCHEMES = ("json://", "jsons://")


def _json_payload(hook: NotifyJSON, subject: str, body: str) -> dict[str, Any]:
    """The body Apprise's NotifyJSON posts (version, title, message, attachments, type), with
    its `:key=value` extras added, renamed or (empty value) removed as Apprise does."""
    payload: dict[str, Any] = {
        "version": hook.json_version,
        "title": subject,
        "message": body,
        "attachments": [],
        "type": NotifyType.INFO.value,
    }
    for key, value in hook.payload_extras.items():
        if key in payload:
            if value:
                payload[value] = payload[key]
            del payload[key]
        else:
            payload[key] = value
    return payload


@dataclass(frozen=True, slots=True)
class _Route:
    """How a request to one host leaves: through the environment's proxy (with its credentials,
    a Proxy-Authorization value) or not, and the host's ~/.netrc credentials, if any (an
    Authorization value, used when the hook's URL names no user)."""

    proxy: URL | None = None
    proxy_authorization: str | None = None
    authorization: str | None = None


def _env_route(url: URL) -> _Route:
    """What aiohttp's trust_env looks up per request (its own helpers): HTTP(S)_PROXY unless
    NO_PROXY names the host, the proxy's credentials, and the host's entry in ~/.netrc."""
    proxy: URL | None = None
    proxy_authorization = None
    with contextlib.suppress(LookupError):
        proxy, proxy_auth = get_env_proxy_for_url(url)
        if proxy_auth is not None:
            proxy_authorization = proxy_auth.encode()
    authorization = None
    netrc = netrc_from_env()
    if netrc is not None and url.host:
        with contextlib.suppress(LookupError):
            authorization = basicauth_from_netrc(netrc, url.host).encode()
    return _Route(proxy, proxy_authorization, authorization)


class Sender:
    """Sends deliveries over shared connections; `aclose()` when done (the app's lifespan).

    The session is made on the first webhook, in the running event loop, and kept: connections
    to a department's webhook are reused across deliveries (aiohttp's pool, keep-alive)."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._routes: dict[tuple[str, str], _Route] = {}

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            # Redirects are never followed (see `_post_json`); the environment's proxy and
            # ~/.netrc apply through `_route`, not aiohttp's trust_env.
            self._session = aiohttp.ClientSession()
        return self._session

    async def _route(self, url: URL) -> _Route:
        """The environment's proxy settings and ~/.netrc credentials for this scheme and host,
        as Apprise's requests applied them, read once per host and kept for the process.

        aiohttp's `trust_env=True` reads both again on every request, each in a worker thread:
        that tripled a kept-alive POST's CPU (0.57-0.74 ms against 0.18-0.21 ms, section 19).
        Like any environment, they are read at start: a changed proxy needs a restart."""
        key = (url.scheme, url.host or "")
        route = self._routes.get(key)
        if route is None:
            route = self._routes[key] = await asyncio.to_thread(_env_route, url)
        return route

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Sender:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def send(self, url: str, subject: str, body: str) -> SendOutcome:
        """One call for one delivery; the URL carries the key (a header, or the Message-ID)."""
        if channel_of(url) is None:
            return SendOutcome(ok=False, permanent=True, error="unsupported channel")
        if channel_of(url) == "email":
            if _bad_email_target(url):
                return SendOutcome(ok=False, permanent=True, error="invalid email address")
            return await send_mail(url, subject, body)  # its Message-ID follows the key
        if url.startswith(_JSON_SCHEMES):
            results = NotifyJSON.parse_url(url)  # type: ignore[no-untyped-call]
            try:
                hook = NotifyJSON(**results) if results else None  # type: ignore[no-untyped-call]
            except (TypeError, ValueError):
                hook = None
            if hook is None:
                return SendOutcome(ok=False, permanent=True, error="invalid channel address")
            if hook.verify_certificate:  # verify=no (a test gateway): Apprise's own session
                return await self._post_json(hook, subject, body)
        return await _send_with_apprise(url, subject, body)

    async def _post_json(self, hook: NotifyJSON, subject: str, body: str) -> SendOutcome:
        address = f"{'https' if hook.secure else 'http'}://{hook.host}"
        if isinstance(hook.port, int):
            address += f":{hook.port}"
        headers = {"User-Agent": hook.app_id, "Content-Type": "application/json", **hook.headers}
        url = URL(address + hook.fullpath)
        try:
            route = await self._route(url)
            # Credentials replace an Authorization header the address set, as with requests
            # (aiohttp keeps the last of a header's spellings in this dict: this one).
            if hook.user:
                headers["Authorization"] = aiohttp.encode_basic_auth(hook.user, hook.password or "")
            elif route.authorization:
                headers["Authorization"] = route.authorization
            # To the proxy only: on the request itself over http (the proxy reads and drops
            # it), on the CONNECT over https (never inside the tunnel, to the department).
            proxy_headers = None
            if route.proxy_authorization and url.scheme == "http":
                headers["Proxy-Authorization"] = route.proxy_authorization
            elif route.proxy_authorization:
                proxy_headers = {"Proxy-Authorization": route.proxy_authorization}
            # Never follows a redirect: one to an internal address would bypass the SSRF check
            # the worker makes right before each send.
            async with self._http().request(
                str(hook.method),
                url,
                data=json.dumps(_json_payload(hook, subject, body)).encode(),
                params=hook.params or None,
                headers=headers,
                proxy=route.proxy,
                proxy_headers=proxy_headers,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(
                    sock_read=hook.socket_read_timeout, sock_connect=hook.socket_connect_timeout
                ),
            ) as answer:
                await answer.read()  # the whole answer read: the connection goes back to the pool
                status = answer.status
        except TimeoutError:
            return SendOutcome(ok=False, permanent=False, error="timeout")
        except aiohttp.ClientError as exc:
            return SendOutcome(
                ok=False, permanent=False, error=f"delivery failed ({type(exc).__name__})"
            )
        if 200 <= status < 300:
            return SendOutcome(ok=True, permanent=False)
        return SendOutcome(False, http_status_is_permanent(status), f"HTTP {status}")


async def _send_with_apprise(url: str, subject: str, body: str) -> SendOutcome:
    notifier = apprise.Apprise()
    if not notifier.add(url):
        return SendOutcome(ok=False, permanent=True, error="invalid channel address")
    result = await notifier.async_notify(title=subject, body=body, log_level=logging.DEBUG)
    try:
        return classify(result)
    finally:
        result.close()


async def send(url: str, subject: str, body: str) -> SendOutcome:
    """One delivery on its own connection (a script, a test); the service keeps a `Sender`."""
    async with Sender() as sender:
        return await sender.send(url, subject, body)
