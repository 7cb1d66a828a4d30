"""Idempotency-Key on dispatch's, mediation's and notify's mutating requests, with intake's
semantics: the same key and body → the first answer (once, however many times or however
concurrently it is sent); the same key with another body → 409 naming Idempotency-Key."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.dispatch.adapters.tables import IDEMPOTENCY
from services.notify.app import create_app as create_notify
from services.notify.config import NotifySettings
from shared.contracts.glossary.errors import explain
from shared.platform.clock import FrozenClock
from shared.platform.idempotency import forget_old_answers
from tests.auth import auth_headers
from tests.integration.dispatch_harness import START, Dispatch, case_filed, dept
from tests.integration.mediation_harness import COMMITTEE, Mediation, running_mediation
from tests.integration.notify_harness import dispute_filed

pytestmark = pytest.mark.integration
MONDAY = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    return headers | {"Idempotency-Key": key}


def _is_key_conflict(response: httpx.Response) -> bool:
    body = response.json()
    return response.status_code == 409 and body["errors"][0]["field"] == "Idempotency-Key"


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


async def _dispatched(dispatch: Dispatch) -> uuid.UUID:
    filed = case_filed("manhole_cover", "zhaoxiang")
    assert await dispatch.feed(filed)
    return filed.case_id


async def _acknowledged(dispatch: Dispatch) -> uuid.UUID:
    case_id = await _dispatched(dispatch)
    assert (await dispatch.post(case_id, "acknowledge", dept("zhaoxiang-road"))).is_success
    return case_id


async def test_a_repeated_progress_note_is_noted_once_and_answered_as_the_first_time(
    dispatch: Dispatch,
):
    case_id = await _acknowledged(dispatch)
    road, key = dept("zhaoxiang-road"), str(uuid.uuid4())
    first = await dispatch.post(case_id, "progress", keyed(road, key), {"note": "已围挡"})
    again = await dispatch.post(case_id, "progress", keyed(road, key), {"note": "已围挡"})
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    notes = [h for h in (await dispatch.get(case_id))["history"] if "progress" in h["action"]]
    assert len(notes) == 1
    assert (await dispatch.types(case_id)).count("hazard.progress_noted") == 1


async def test_the_same_key_with_another_body_is_a_409_explained_in_chinese(dispatch: Dispatch):
    case_id = await _acknowledged(dispatch)
    road, key = dept("zhaoxiang-road"), str(uuid.uuid4())
    assert (await dispatch.post(case_id, "progress", keyed(road, key), {"note": "一"})).is_success
    other = await dispatch.post(case_id, "progress", keyed(road, key), {"note": "二"})
    assert _is_key_conflict(other)
    assert explain(409, other.json()) == {"Idempotency-Key": "重复提交的请求与上次不同"}
    # Another caller's key is its own: the same string from someone else is a new request,
    # judged on its merits (another department may not note progress here), not a 409.
    office = dept("zhaoxiang-office")
    foreign = await dispatch.post(case_id, "progress", keyed(office, key), {"note": "二"})
    assert foreign.status_code == 403


async def test_a_double_submit_acknowledges_once_and_both_get_the_first_answer(
    dispatch: Dispatch,
):
    case_id = await _dispatched(dispatch)
    road = keyed(dept("zhaoxiang-road"), str(uuid.uuid4()))
    both = await asyncio.gather(*(dispatch.post(case_id, "acknowledge", road) for _ in range(2)))
    assert [r.status_code for r in both] == [200, 200], [r.text for r in both]
    assert both[0].json() == both[1].json()
    assert (await dispatch.types(case_id)).count("hazard.acknowledged") == 1
    # Without a key a second acknowledgement is refused as before: the state moved on.
    assert (await dispatch.post(case_id, "acknowledge", dept("zhaoxiang-road"))).status_code == 409


async def test_a_failed_request_is_not_kept_so_its_retry_runs_again(dispatch: Dispatch):
    case_id = await _dispatched(dispatch)
    road, key = dept("zhaoxiang-road"), str(uuid.uuid4())
    refused = await dispatch.post(case_id, "resolve", keyed(road, key), {"note": "已修"})
    assert refused.status_code == 409  # not acknowledged yet
    assert (await dispatch.post(case_id, "acknowledge", road)).status_code == 200
    retried = await dispatch.post(case_id, "resolve", keyed(road, key), {"note": "已修"})
    assert retried.status_code == 200 and "Idempotent-Replayed" not in retried.headers


@pytest.fixture
async def mediation(database_url: str, redis_url: str) -> AsyncIterator[Mediation]:
    async with running_mediation(database_url, redis_url, FrozenClock(MONDAY)) as service:
        yield service


async def test_a_repeated_acceptance_assigns_one_mediator_and_replays_the_first_answer(
    mediation: Mediation,
):
    case_id, _ = await mediation.file()
    key = str(uuid.uuid4())
    first = await mediation.post(case_id, "accept", keyed(COMMITTEE, key))
    again = await mediation.post(case_id, "accept", keyed(COMMITTEE, key))
    assert first.status_code == again.status_code == 200, first.text
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert (await mediation.event_types(case_id)).count("mediator.assigned") == 1
    other = await mediation.post(case_id, "reject", keyed(COMMITTEE, key), {"reason": "不受理"})
    assert other.status_code == 409  # another route: its own request, refused by the state
    same_route = await mediation.post(case_id, "accept", keyed(COMMITTEE, key), {"x": 1})
    assert _is_key_conflict(same_route)


async def test_a_concurrent_double_acceptance_is_one_acceptance(mediation: Mediation):
    case_id, _ = await mediation.file()
    headers = keyed(COMMITTEE, str(uuid.uuid4()))
    both = await asyncio.gather(*(mediation.post(case_id, "accept", headers) for _ in range(2)))
    assert [r.status_code for r in both] == [200, 200], [r.text for r in both]
    assert both[0].json() == both[1].json()
    assert (await mediation.event_types(case_id)).count("dispute.accepted") == 1


@pytest.fixture
async def notify(
    database_url: str, redis_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, object]]:
    settings = NotifySettings(
        database_url=database_url,
        redis_url=redis_url,
        smtp_url="mailto://127.0.0.1:1?from=noreply@waystation.test",
    )
    app = create_notify(settings)
    runtime = app.state.runtime
    async with runtime.running():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://notify") as client:
            yield client, runtime


async def test_notify_replays_a_preference_change_and_refuses_its_key_for_another(notify):
    client, runtime = notify
    case_id = uuid.uuid4()
    await runtime.consumer.apply(dispute_filed(case_id, email="li@example.com"))
    party = f"c-{case_id.hex[:8]}"
    me, key = auth_headers("complainant", party), str(uuid.uuid4())
    url = f"/api/v1/parties/{party}/preferences"
    first = await client.put(url, headers=keyed(me, key), json={"opted_out": True})
    again = await client.put(url, headers=keyed(me, key), json={"opted_out": True})
    assert first.status_code == again.status_code == 200, first.text
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    other = await client.put(url, headers=keyed(me, key), json={"opted_out": False})
    assert _is_key_conflict(other)
    assert (await client.get(url, headers=me)).json()["opted_out"] is True


async def test_a_key_longer_than_200_characters_is_a_422_naming_it(notify):
    client, _runtime = notify
    me = auth_headers("complainant", "c-nobody")
    url = "/api/v1/parties/c-nobody/preferences"
    response = await client.put(url, headers=keyed(me, "k" * 201), json={"opted_out": True})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


async def test_a_console_form_submitted_twice_acts_once(dispatch: Dispatch):
    """The department's progress form, sent twice with the key it was rendered with (a double
    click): the console passes the key on to dispatch, which notes the progress once."""
    from services.console.app import create_app as create_console
    from services.console.config import ConsoleSettings
    from tests.auth import token

    case_id = await _acknowledged(dispatch)
    console = create_console(ConsoleSettings(environment="test"))
    backends = console.state.console.backends
    backends.urls["dispatch"] = "http://dispatch"
    backends.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=dispatch.app))
    form = {"note": "已围挡，明日施工", "form_key": uuid.uuid4().hex}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=console),
        base_url="http://console",
        cookies={"ws_session": token("department", "zhaoxiang-road")},
    ) as browser:
        url = f"/console/cases/{case_id}/hazard/progress"
        both = await asyncio.gather(*(browser.post(url, data=form) for _ in range(2)))
    await backends.client.aclose()
    assert [r.status_code for r in both] == [303, 303]
    assert (await dispatch.types(case_id)).count("hazard.progress_noted") == 1


async def test_keys_older_than_the_keep_time_are_forgotten_and_newer_ones_kept(
    dispatch: Dispatch,
):
    case_id = await _acknowledged(dispatch)
    road, key = dept("zhaoxiang-road"), str(uuid.uuid4())
    assert (await dispatch.post(case_id, "progress", keyed(road, key), {"note": "一"})).is_success
    sessions = dispatch.runtime.sessions
    # Kept for an hour: nothing is an hour old yet, so the key still guards its request.
    assert await forget_old_answers(sessions, IDEMPOTENCY, timedelta(hours=1)) == 0
    assert _is_key_conflict(
        await dispatch.post(case_id, "progress", keyed(road, key), {"note": "二"})
    )
    # An hour later it is forgotten: the same key is a new request, judged on its merits.
    later = datetime.now(UTC) + timedelta(hours=1, seconds=1)
    assert await forget_old_answers(sessions, IDEMPOTENCY, timedelta(hours=1), now=later) == 1
    again = await dispatch.post(case_id, "progress", keyed(road, key), {"note": "二"})
    assert again.status_code == 200 and "Idempotent-Replayed" not in again.headers
