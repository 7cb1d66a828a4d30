"""The authorization matrix: every role × every protected endpoint
× own/other object, against the table in tests/integration/authz_table.py.

A cell is one (operation, role, scope): scope `own` acts as the object's party (its reporter,
complainant, named respondent, assigned mediator, the department it was dispatched to, the
caller's own party in notify), `other` as a valid token of the same role for someone unrelated
to it, `any` on routes without a party's object; `anonymous` sends no token at all.

The rule each cell is checked by:
- anonymous: exactly 401.
- refused (the table does not grant the role, or grants OWN and the scope is `other`):
  exactly 403 or 404, and nothing changes (a refused write runs on the kind's shared object;
  a later cell would see the change).
- allowed read (GET): one of the row's `ok` statuses (200 unless the row says otherwise), and
  the answer is scanned: no key `id_number`/`phone` (nor their sealed forms) anywhere in the
  JSON, no raw mainland mobile number or resident ID number in the text, none of the runner's
  own phone or ID number; a respondent also sees no `email` key and no masked phone of anyone
  but itself. Lists a role may call but only for its own rows are checked row by row.
- allowed write: not 401, 403 or 404 and not a 5xx — the caller passed every authorization
  check; the object's state or the body may still answer 409/422 (e.g. accepting a dispute
  already in mediation). Each allowed write acts on a fresh object of its own.

A completeness test enumerates every route of every app (hidden ones too) and fails when one
is neither public (shared/platform/auth/public.py), nor in the matrix, nor in the console's table.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.console.app import create_app as console_app
from services.console.config import ConsoleSettings
from services.dispatch.app import create_app as dispatch_app
from services.intake.app import create_app as intake_app
from services.mediation.app import create_app as mediation_app
from services.notify.app import create_app as notify_app
from shared.platform.auth.public import PUBLIC
from tests.auth import auth_headers, token
from tests.infra import private_redis
from tests.integration.authz_table import (
    ANONYMOUS,
    CONSOLE,
    OPS,
    ROLES,
    Cell,
    cells,
    route_of,
)
from tests.integration.authz_worlds import PNG, WORLDS, World
from tests.routes import all_routes

pytestmark = pytest.mark.integration

APPS: dict[str, Callable[[], FastAPI]] = {
    "intake": intake_app,
    "mediation": mediation_app,
    "dispatch": dispatch_app,
    "notify": notify_app,
}
CELLS = cells()
STAFF = frozenset({"intake_officer", "admin", "committee"})
ABSENT_KEYS = frozenset({"id_number", "id_number_enc", "id_number_hash", "phone"})
RESPONDENT_ABSENT_KEYS = ABSENT_KEYS | {"email"}
_EDGE = r"(?<![0-9A-Za-z])"
RAW_PHONE = re.compile(_EDGE + r"1[3-9]\d{9}(?![0-9A-Za-z])")
RAW_ID_NUMBER = re.compile(_EDGE + r"\d{17}[\dXx](?![0-9A-Za-z])")


class Worlds:
    """Each service's world, started on first use and kept for the module."""

    def __init__(self, folder: Path, redis_url: str) -> None:
        self.folder, self.redis_url = folder, redis_url
        self.started: dict[str, World] = {}

    async def get(self, service: str) -> World:
        if service not in self.started:
            folder = self.folder / service
            folder.mkdir()
            self.started[service] = await WORLDS[service].start(folder, self.redis_url)
        return self.started[service]


@pytest.fixture(scope="module")
async def worlds(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Worlds]:
    folder = tmp_path_factory.mktemp("authz")
    with private_redis(folder / "redis") as (redis_url, _proc):
        held = Worlds(folder, redis_url)
        try:
            yield held
        finally:
            for world in held.started.values():
                await world.close()


def _actor_id(world: World, cell: Cell, own: dict[str, str]) -> str:
    if cell.scope == "other":
        return world.other[cell.role]
    return own.get(cell.role, world.defaults[cell.role])


def _walk(node: Any) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value, node
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def leaks(
    role: str, answer: httpx.Response, secrets: tuple[str, ...], contacts: bool = False
) -> list[str]:
    """What a read shows that this role must not see (empty: nothing). With `contacts` (the
    dispute's mediator) phones and e-mails are its to see; ID numbers never are."""
    if "json" not in answer.headers.get("content-type", "") and not answer.headers.get(
        "content-type", ""
    ).startswith("text/"):
        return []  # a PDF: its text is compressed; its content is checked by its own tests
    text = answer.text
    if contacts:
        secrets = tuple(s for s in secrets if not RAW_PHONE.fullmatch(s))
    found = [] if contacts else [f"raw phone {m}" for m in RAW_PHONE.findall(text)]
    found += [f"raw ID number {m}" for m in RAW_ID_NUMBER.findall(text)]
    found += [f"the runner's {s}" for s in secrets if s in text]
    if "json" not in answer.headers.get("content-type", ""):
        return found
    absent = RESPONDENT_ABSENT_KEYS if role == "respondent" else ABSENT_KEYS
    if contacts:
        absent = absent - {"phone", "email"}
    for key, value, holder in _walk(json.loads(text)):
        if key in absent and value not in (None, "", []):
            found.append(f"field {key}")
        masked = key == "phone_masked" and value is not None
        if role == "respondent" and masked and holder.get("role") != "respondent":
            found.append(f"{holder.get('role')}'s phone_masked")
    return found


def own_rows_only(cell: Cell, actor_id: str, body: Any) -> list[str]:
    """Lists a role may call but only for its own rows: every row is its own."""
    op = cell.op
    if cell.role == "department" and (op.service, op.path) in (
        ("intake", "/api/v1/cases"),
        ("dispatch", "/api/v1/queue"),
    ):
        rows = body["items"] if isinstance(body, dict) else body
        return [f"row of {r['department_id']}" for r in rows if r["department_id"] != actor_id]
    return []


@pytest.mark.parametrize("cell", CELLS, ids=str)
async def test_cell(cell: Cell, worlds: Worlds) -> None:
    op = cell.op
    world = await worlds.get(op.service)
    allowed = cell.allowed
    if op.kind:
        fresh = allowed and not op.reads
        obj = await world.target(op.kind, cell.role, fresh, op.path)
    else:
        obj = world.base
    path = op.path.format(**(world.params | dict(obj.params)))
    request: dict[str, Any] = {}
    if cell.role != ANONYMOUS:
        actor_id = _actor_id(world, cell, dict(obj.own))
        request["headers"] = auth_headers(cell.role, actor_id)
    if op.files:
        request["files"] = {"file": ("photo.png", PNG, "image/png")}
    elif op.body is not None:
        request["json"] = op.body(obj)
    answer = await world.client.request(op.method, path, **request)
    status, shown = answer.status_code, answer.text[:300]

    if cell.role == ANONYMOUS:
        assert status == 401, shown
    elif not allowed:
        assert status in (403, 404), f"{cell} should be refused, got {status}: {shown}"
    elif op.reads:
        assert status in op.ok, f"{cell} should be allowed, got {status}: {shown}"
        if status == 200:
            secrets = tuple(obj.facts.get("secrets", ()))
            contacts = cell.role in op.contacts
            assert not leaks(cell.role, answer, secrets, contacts), shown
            if "json" in answer.headers.get("content-type", ""):
                assert not own_rows_only(cell, actor_id, answer.json())
    else:
        assert status not in (401, 403, 404), f"{cell} should pass authorization: {shown}"
        assert status < 500, shown


@pytest.mark.parametrize("service", sorted(APPS))
def test_every_protected_route_is_in_the_matrix(service: str) -> None:
    served = all_routes(APPS[service]())
    protected = served - set(PUBLIC[service])
    in_matrix = {route_of(op) for op in OPS if op.service == service}
    assert protected - in_matrix == set(), "routes without a row in the authorization matrix"
    assert in_matrix - protected == set(), "matrix rows for routes the app does not serve"


# The console's backends: nothing listens on port 9, so an allowed page fails after the
# session check (a 502 page), which is all the console's own cells look at.
CLOSED_PORT = "http://127.0.0.1:9"


def _console() -> FastAPI:
    closed = {f"{name}_url": CLOSED_PORT for name in ("intake", "mediation", "dispatch", "notify")}
    return console_app(ConsoleSettings(log_json=False, **closed))


def test_every_console_page_is_in_the_console_table() -> None:
    served = all_routes(_console()) - set(PUBLIC["console"])
    assert served - set(CONSOLE) == set(), "console pages without a row in the console table"
    assert set(CONSOLE) - served == set(), "console table rows for pages the console lacks"


def test_the_matrix_covers_every_role_and_both_scopes() -> None:
    assert {c.role for c in CELLS} == {*ROLES, ANONYMOUS}
    assert {c.scope for c in CELLS} == {"own", "other", "any"}
    assert len({str(c) for c in CELLS}) == len(CELLS), "two cells with one id"


CONSOLE_CELLS = [
    (method, path, role)
    for (method, path), roles in CONSOLE.items()
    if roles is not None
    for role in (*ROLES, ANONYMOUS)
]


@pytest.mark.parametrize(
    ("method", "path", "role"),
    CONSOLE_CELLS,
    ids=[f"console-{m}-{p}-{r}" for m, p, r in CONSOLE_CELLS],
)
async def test_console_page(method: str, path: str, role: str) -> None:
    """The console's pages: each for its roles (403 page for the others, login without one).
    What an allowed page shows comes from the APIs with the caller's token (the matrix above)
    and is exercised by tests/browser."""
    transport = httpx.ASGITransport(app=_console(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://console") as client:
        await _console_cell(client, method, path, role)


async def _console_cell(client: httpx.AsyncClient, method: str, path: str, role: str) -> None:
    concrete = re.sub(
        r"\{(\w+)\}", lambda m: "acknowledge" if m[1] == "action" else str(uuid.uuid4()), path
    )
    data = {"reason": "矩阵测试"} if method == "POST" else None
    client.cookies.clear()
    if role != ANONYMOUS:
        client.cookies.set("ws_session", token(role, f"{role}-1"))
    answer = await client.request(method, concrete, data=data)
    allowed = CONSOLE[(method, path)]
    assert allowed is not None
    if role == ANONYMOUS:
        assert answer.status_code == 303 and answer.headers["location"] == "/console/login"
    elif role not in allowed:
        assert answer.status_code == 403, answer.text[:300]
    else:
        assert answer.status_code != 403, answer.text[:300]
        assert answer.headers.get("location") != "/console/login"


async def test_a_mediator_reads_a_dispute_the_committee_grants_until_it_is_revoked(
    worlds: Worlds,
) -> None:
    world = await worlds.get("mediation")
    dispute = await world.make("dispute", "")
    case_id = dispute.params["case_id"]
    taken = {dispute.own["mediator"], dispute.params["mediator_id"]}
    reader = next(m for m in world.mediators if m not in taken)  # type: ignore[attr-defined]
    me = auth_headers("mediator", reader)
    committee = auth_headers("committee", "chair")
    url = f"/api/v1/disputes/{case_id}"

    assert (await world.client.get(url, headers=me)).status_code == 403
    for who in (auth_headers("admin", "admin-1"), me):
        refused = await world.client.post(
            f"{url}/grants", json={"mediator_id": reader}, headers=who
        )
        assert refused.status_code == 403
    unknown = await world.client.post(
        f"{url}/grants", json={"mediator_id": "med-nobody"}, headers=committee
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"]["errors"][0]["field"] == "mediator_id"

    granted = await world.client.post(
        f"{url}/grants", json={"mediator_id": reader}, headers=committee
    )
    assert granted.status_code == 201 and granted.json()["granted_by"] == "chair"
    assert (await world.client.get(url, headers=me)).status_code == 200
    # A grant opens the record, not the case: only the assigned mediator acts on it.
    for step, body in (("fail", {"reason": "x"}), ("wait", {"waiting_on": "respondent"})):
        acted = await world.client.post(f"{url}/{step}", json=body, headers=me)
        assert acted.status_code == 403, step
    pdf = await world.client.get(f"{url}/agreement.pdf", headers=me)
    assert pdf.status_code == 403

    revoked = await world.client.delete(f"{url}/grants/{reader}", headers=committee)
    assert revoked.status_code == 204
    assert (await world.client.get(url, headers=me)).status_code == 403
    again = await world.client.delete(f"{url}/grants/{reader}", headers=committee)
    assert again.status_code == 404
    history = (await world.client.get(url, headers=committee)).json()["history"]
    notes = [(h["action"], h["note"]) for h in history if h["action"].endswith("_access")]
    assert ("grant_access", reader) in notes and notes[-1] == ("revoke_access", reader)
