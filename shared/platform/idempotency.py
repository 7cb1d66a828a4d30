"""`Idempotency-Key` on every mutating request: a retry gets the first answer, not a 2nd effect.

Intake's semantics, for any service: the same key (per caller and route) with the same body
replays the first answer (`Idempotent-Replayed: true`); with another body it is a 409 naming
`Idempotency-Key`. The key is claimed *inside the transaction of the change*: a hook on every
session's commit during the request inserts the record, so a change and its key commit
together. A concurrent request with the same key then fails its own commit (nothing of it is
kept) and answers with the first one's answer. The answer itself is stored right after the
route returns; if the process dies in between, a retry gets a 409 saying so (the change was
made; read the object). An answer that changed nothing and failed is not kept: a retry runs
again.

Keys are kept for a bounded time (`idempotency_keep_hours`, a week by default: far longer
than any client retries): `tidy_answers` runs in every service's lifespan and forgets older
records, so the table does not grow for ever. A key sent again after that is a new request.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
import structlog
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import Session
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.platform.auth.tokens import InvalidToken
from shared.platform.clock import utc_now
from shared.platform.db import conflict_insert

log = structlog.get_logger()

HEADER = "Idempotency-Key"
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TABLE = "idempotency_record"
# How long a second request waits for the first one's answer before saying it is in progress.
WAIT_SECONDS = 5.0
_UNANSWERED_FOR = timedelta(seconds=60)


def idempotency_table(metadata: sa.MetaData) -> sa.Table:
    """Declare `idempotency_record` on a service's metadata (its migration creates it)."""
    return sa.Table(
        TABLE,
        metadata,
        sa.Column("caller", sa.String(120), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("route", sa.String(300), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),  # None: answer not stored yet
        sa.Column("media_type", sa.String(100), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


class KeyTaken(Exception):
    """Another request with the same key committed first: this one's change is dropped."""


@dataclass
class Claim:
    table: sa.Table
    caller: str
    key: str
    route: str
    fingerprint: str
    committed: bool = False
    sessions: set[int] = field(default_factory=set)

    def row(self) -> dict[str, Any]:
        return {
            "caller": self.caller,
            "key": self.key,
            "route": self.route,
            "fingerprint": self.fingerprint,
            "created_at": utc_now(),
        }


_CLAIM: contextvars.ContextVar[Claim | None] = contextvars.ContextVar("idempotency_claim")


def _stage(session: Session) -> None:
    """before_commit of any session: the request's key joins the first transaction it commits."""
    claim = _CLAIM.get(None)
    if claim is None or claim.committed:
        return
    insert = conflict_insert(session.get_bind().dialect.name)
    done = session.execute(insert(claim.table).values(claim.row()).on_conflict_do_nothing())
    if not getattr(done, "rowcount", 1):
        raise KeyTaken(claim.key)
    claim.sessions.add(id(session))


def _committed(session: Session) -> None:
    claim = _CLAIM.get(None)
    if claim is not None and id(session) in claim.sessions:
        claim.committed = True


def _listen() -> None:
    for name, hook in (("before_commit", _stage), ("after_commit", _committed)):
        if not sa.event.contains(Session, name, hook):
            sa.event.listen(Session, name, hook)


def fingerprint(method: str, query: bytes, media: bytes, body: bytes) -> str:
    """What was asked: JSON compared as data (key order and spacing do not matter), a
    multipart body without its random boundary, anything else as bytes."""
    if media.endswith(b"json") and body:
        with contextlib.suppress(ValueError):
            body = json.dumps(json.loads(body), sort_keys=True, ensure_ascii=False).encode()
    elif media.startswith(b"multipart/") and b"boundary=" in media:
        boundary = media.split(b"boundary=", 1)[1].split(b";")[0].strip(b'"')
        body = body.replace(boundary, b"")
    digest = hashlib.sha256(method.encode() + b"\n" + query + b"\n" + body)
    return digest.hexdigest()


def _problem(status: int, message: str, retry_after: int | None = None) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    body = {"detail": message, "errors": [{"field": HEADER, "message": message}]}
    return JSONResponse(body, status_code=status, headers=headers)


class IdempotencyMiddleware:
    """ASGI middleware: the key's record, the replay, and the 409s (see the module's doc)."""

    def __init__(
        self, app: ASGIApp, table: sa.Table, sessions: async_sessionmaker[AsyncSession]
    ) -> None:
        self.app = app
        self.table = table
        self.sessions = sessions
        _listen()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in MUTATING:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw_key = headers.get(HEADER.lower().encode())
        caller = self._caller(scope, headers)
        if raw_key is None or caller is None:  # no key, or no valid caller: the route decides
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1").strip()
        if not 1 <= len(key) <= 200:
            message = "Idempotency-Key must be 1 to 200 characters"
            problem = {
                "detail": "invalid request",
                "errors": [{"field": HEADER, "message": message}],
            }
            await JSONResponse(problem, status_code=422)(scope, receive, send)
            return
        messages, body = await _read_body(receive)
        media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if media.startswith(b"multipart/"):
            media = headers.get(b"content-type", b"").strip()
        digest = fingerprint(scope["method"], scope.get("query_string", b""), media, body)
        route = f"{scope['method']} {scope['path']}"[:300]
        claim = Claim(self.table, caller, key, route, digest)
        found = await self._find(claim)
        if found is not None:
            await (await self._answer(claim, found))(scope, receive, send)
            return
        await self._run(scope, messages, receive, send, claim)

    def _caller(self, scope: Scope, headers: dict[bytes, bytes]) -> str | None:
        """Keys are the caller's own: the same key from someone else is another key."""
        app = scope.get("app")
        keys = getattr(getattr(app, "state", None), "token_keys", None)
        auth = headers.get(b"authorization", b"").decode("latin-1")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        if token is None:
            cookies = headers.get(b"cookie", b"").decode("latin-1")
            token = next(
                (c.split("=", 1)[1] for c in cookies.split("; ") if c.startswith("ws_session=")),
                None,
            )
        if keys is None or not token:
            return None
        try:
            actor = keys.verify(token).actor
        except InvalidToken:
            return None
        return f"{actor.role}:{actor.id}"[:120]

    async def _run(
        self, scope: Scope, messages: list[Message], receive: Receive, send: Send, claim: Claim
    ) -> None:
        replay = list(messages)

        async def replayed() -> Message:
            return replay.pop(0) if replay else await receive()

        answer: list[Message] = []

        async def kept(message: Message) -> None:
            answer.append(message)

        token = _CLAIM.set(claim)
        try:
            await self.app(scope, replayed, kept)
        except KeyTaken:
            answer = []
        finally:
            _CLAIM.reset(token)
        status = next((m["status"] for m in answer if m["type"] == "http.response.start"), 0)
        if claim.committed or 200 <= status < 300:
            await self._keep(claim, answer, status)
        else:
            # Failed and changed nothing, or lost the race to a request with the same key
            # (whose change may be why this one failed): that one's answer is the answer.
            found = await self._find(claim)
            if found is not None:
                await (await self._answer(claim, found))(scope, receive, send)
                return
        for message in answer:
            await send(message)

    async def _keep(self, claim: Claim, answer: list[Message], status: int) -> None:
        start = next((m for m in answer if m["type"] == "http.response.start"), None)
        media = dict((start or {}).get("headers") or []).get(b"content-type", b"")
        body = b"".join(m.get("body", b"") for m in answer if m["type"] == "http.response.body")
        values = {"status_code": status, "media_type": media.decode("latin-1")[:100], "body": body}
        t = self.table
        mine = sa.and_(t.c.caller == claim.caller, t.c.key == claim.key, t.c.route == claim.route)
        async with self.sessions() as session, session.begin():
            if claim.committed:
                await session.execute(sa.update(t).where(mine).values(**values))
            else:  # a 2xx that committed nothing: kept so a retry gets the same answer
                insert = conflict_insert(session.get_bind().dialect.name)
                await session.execute(
                    insert(t).values(**claim.row(), **values).on_conflict_do_nothing()
                )

    async def _find(self, claim: Claim) -> Any:
        t = self.table
        stmt = sa.select(t).where(
            sa.and_(t.c.caller == claim.caller, t.c.key == claim.key, t.c.route == claim.route)
        )
        async with self.sessions() as session:
            return (await session.execute(stmt)).first()

    async def _answer(self, claim: Claim, found: Any) -> Response:
        """Replay the first answer; 409 for another body, or while the first is unanswered."""
        if found.fingerprint != claim.fingerprint:
            return _problem(409, "Idempotency-Key already used with a different request")
        deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
        while found.status_code is None:
            if utc_now() - _aware(found.created_at) > _UNANSWERED_FOR:
                return _problem(409, "done before, but its answer was lost: read the object")
            if asyncio.get_running_loop().time() > deadline:
                return _problem(409, "the same request is still in progress", retry_after=1)
            await asyncio.sleep(0.05)
            found = await self._find(claim) or found
        return Response(
            found.body,
            status_code=found.status_code,
            media_type=found.media_type or None,
            headers={"Idempotent-Replayed": "true"},
        )


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


async def _read_body(receive: Receive) -> tuple[list[Message], bytes]:
    messages: list[Message] = []
    body, more = b"", True
    while more:
        message = await receive()
        messages.append(message)
        body += message.get("body", b"")
        more = message["type"] == "http.request" and message.get("more_body", False)
    return messages, body


def install_idempotency(
    app: FastAPI, table: sa.Table, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Every POST/PUT/PATCH/DELETE of `app` honours an Idempotency-Key (add before BodyLimit,
    so an oversized body is refused before it is read here)."""
    app.add_middleware(IdempotencyMiddleware, table=table, sessions=sessions)


async def forget_old_answers(
    sessions: async_sessionmaker[AsyncSession],
    table: sa.Table,
    keep: timedelta,
    now: datetime | None = None,
) -> int:
    """Delete the records of keys first used more than `keep` ago; how many went."""
    before = (now or utc_now()) - keep
    async with sessions() as session, session.begin():
        done = await session.execute(sa.delete(table).where(table.c.created_at < before))
    return int(getattr(done, "rowcount", 0) or 0)


async def tidy_answers(
    sessions: async_sessionmaker[AsyncSession], table: sa.Table, keep: timedelta, interval: float
) -> None:
    """The periodic task in a service's lifespan: forget old keys, then sleep `interval`."""
    while True:
        try:
            gone = await forget_old_answers(sessions, table, keep)
            if gone:
                log.info("idempotency_keys_forgotten", count=gone)
        except Exception as exc:  # the database is away: try again next round
            log.warning("idempotency_tidy_failed", error=str(exc))
        await asyncio.sleep(interval)
