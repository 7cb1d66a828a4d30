"""Legal help on duty at a station: mediation's roster names the station, dispatch learns it
from `roster.published` (never from mediation's tables); a replayed or older event changes
nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest

from services.mediation.adapters.station_lookup import station_place
from services.mediation.domain.roster import Shift
from services.mediation.service_layer.administration import publish_file_roster
from shared.contracts.envelope import Actor, Envelope, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import CaseFiled, DisputeDetails
from shared.platform.clock import FrozenClock
from tests.auth import auth_headers
from tests.integration.dispatch_harness import START, Dispatch, case_filed
from tests.integration.mediation_harness import Mediation, mediator, running_mediation

pytestmark = pytest.mark.integration

COMMITTEE = auth_headers("committee", "chair")
KAYOU = "huaxin-kayou"  # 华新镇卡友驿站, in the demo register
# START is Tuesday 1 December 2026, 11:40 in Shanghai.
TUESDAYS_AND_THURSDAYS = {
    "body_id": "huaxin-judicial",
    "starts_on": "2026-12-01",
    "ends_on": "2027-02-28",
    "station_id": KAYOU,
    "weekdays": [2, 4],
    "from_time": "09:00",
    "to_time": "17:00",
}
NEAR_KAYOU = {"lat": 31.2400, "lng": 121.2120}


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


@pytest.fixture
async def mediation(
    new_sqlite_database: Callable[[], str], redis_url: str
) -> AsyncIterator[Mediation]:
    async with running_mediation(new_sqlite_database(), redis_url, FrozenClock(START)) as service:
        yield service


async def _published(mediation: Mediation) -> list[Envelope]:
    return [
        Envelope.model_validate(e)
        for e in await mediation.events()
        if e["event_type"] == "roster.published"
    ]


async def test_a_shift_at_a_station_reaches_the_station_page_and_a_replay_changes_nothing(
    mediation: Mediation, dispatch: Dispatch
):
    added = await mediation.client.post(
        "/api/v1/roster/shifts", json=TUESDAYS_AND_THURSDAYS, headers=COMMITTEE
    )
    assert added.status_code == 200, added.text
    [event] = await _published(mediation)
    assert event.payload["station_duty"][0]["station_id"] == KAYOU
    assert await dispatch.feed(event)

    page = await dispatch.http.get(f"/stations/{KAYOU}", headers={})
    assert page.status_code == 200
    assert "现在有法律服务值班" in page.text
    assert "12月1日（周二）09:00–17:00 司法所（华新镇司法所）" in page.text  # today
    assert "12月3日（周四）09:00–17:00 司法所" in page.text  # the coming week
    nearest = await dispatch.http.get(
        "/stations/nearest.json", params=NEAR_KAYOU | {"legal_help_now": "true", "limit": 1}
    )
    [found] = nearest.json()
    assert found["station"]["station_id"] == KAYOU and found["legal_help_now"]

    assert not await dispatch.feed(event)  # the same event again: already applied
    copy = event.model_copy(update={"event_id": uuid.uuid4()})
    await dispatch.feed(copy)  # a re-sent copy under a new id: same revision, no change
    page = await dispatch.http.get(f"/stations/{KAYOU}")
    assert page.text.count("司法所（华新镇司法所）") == 3  # today, Thursday, next Tuesday


async def test_a_replayed_older_roster_does_not_undo_a_newer_one(
    mediation: Mediation, dispatch: Dispatch
):
    await mediation.client.post(
        "/api/v1/roster/shifts", json=TUESDAYS_AND_THURSDAYS, headers=COMMITTEE
    )
    roster = (await mediation.client.get("/api/v1/roster", headers=COMMITTEE)).json()
    mediation.clock.advance(timedelta(seconds=5))
    moved = roster | {"shifts": []}
    assert (
        await mediation.client.put("/api/v1/roster", json=moved, headers=COMMITTEE)
    ).status_code == 200
    older, newer = await _published(mediation)
    assert await dispatch.feed(older)
    assert await dispatch.feed(newer)
    assert not await dispatch.feed(older)
    page = await dispatch.http.get(f"/stations/{KAYOU}")
    assert "今天没有值班" in page.text and "现在有法律服务值班" not in page.text


async def test_a_station_with_duty_ahead_cannot_be_closed_for_good(
    mediation: Mediation, dispatch: Dispatch
):
    await mediation.client.post(
        "/api/v1/roster/shifts", json=TUESDAYS_AND_THURSDAYS, headers=COMMITTEE
    )
    [event] = await _published(mediation)
    await dispatch.feed(event)
    admin = auth_headers("admin", "admin-1")
    refused = await dispatch.http.post(f"/api/v1/stations/{KAYOU}/close", headers=admin)
    assert refused.status_code == 422
    assert refused.json()["detail"]["field"] == "status"
    assert "值班" in refused.json()["detail"]["message"]


def _dispute_filed(lat: float, lng: float) -> Envelope:
    """A ride-hailing driver's fare dispute, filed at 12:40 on Thursday 3 December in 华新镇."""
    party = PartyRef(role="complainant", party_id=f"p-{uuid.uuid4().hex[:8]}", display_name="司机")
    return new_event(
        "case.filed",
        CaseFiled(
            kind="dispute",
            tracking_code=f"D{uuid.uuid4().hex[:8].upper()}",
            channel="app",
            title="网约车车费被扣",
            description="平台扣除车费。",
            parties=[party],
            dispute=DisputeDetails(
                dispute_type="penalty_deduction",
                claim="退还被扣车费",
                location=GeoPoint(lat=lat, lng=lng),
            ),
        ),
        case_id=uuid.uuid4(),
        actor=Actor(role="complainant", id=party.party_id),
        producer="intake",
        occurred_at=datetime(2026, 12, 3, 4, 40, tzinfo=UTC),
    )


async def test_a_filed_dispute_hears_of_the_nearest_legal_help_and_when_it_is_on_duty(
    mediation: Mediation, dispatch: Dispatch
):
    await mediation.client.post(
        "/api/v1/roster/shifts", json=TUESDAYS_AND_THURSDAYS, headers=COMMITTEE
    )
    [roster] = await _published(mediation)
    await dispatch.feed(roster)
    filed = _dispute_filed(31.2380, 121.2160)  # about 1.1 km south-west of the station
    assert await dispatch.feed(filed)
    [told] = await dispatch.emitted(filed.case_id, suggestions=True)
    assert told.event_type == "station.suggested"
    said = told.payload
    assert (said["purpose"], said["station_id"], said["duty_body_kind"]) == (
        "legal_help",
        KAYOU,
        "司法所",
    )
    assert 1_000 < said["distance_m"] < 1_300
    assert (said["walk_minutes"], said["ebike_minutes"]) == (
        -(-said["distance_m"] // 80),
        -(-said["distance_m"] // 250),
    )
    # today until 17:00 in Shanghai
    assert datetime.fromisoformat(said["duty_ends"]) == datetime(2026, 12, 3, 9, tzinfo=UTC)


async def test_a_filed_hazard_hears_of_the_nearest_open_station(dispatch: Dispatch):
    filed = case_filed("manhole_cover", "zhaoxiang")  # at 11:40 on a Tuesday
    assert await dispatch.feed(filed)
    emitted = await dispatch.emitted(filed.case_id, suggestions=True)
    told = [e for e in emitted if e.event_type == "station.suggested"]
    assert len(told) == 1 and told[0].payload["purpose"] == "open_station"
    assert told[0].payload["open_now"] is True
    assert not await dispatch.feed(filed)  # replayed: told once


async def test_a_session_held_at_a_station_names_it_with_its_address_in_the_invitation(
    mediation: Mediation, dispatch: Dispatch
):
    # Mediation asks dispatch's public station API (here in-process) for the station's address.
    mediation.app.state.context.station_place = station_place("http://dispatch", dispatch.http)
    case_id, dispute = await mediation.in_mediation()
    keeper = mediator(dispute["mediator_id"])
    url = f"/api/v1/disputes/{case_id}/sessions"
    session = {"starts_at": "2026-12-03T06:00:00Z", "station_id": KAYOU}
    scheduled = await mediation.client.post(url, json=session, headers=keeper)
    assert scheduled.status_code == 201, scheduled.text
    [invited] = [
        e for e in await mediation.events(case_id) if e["event_type"] == "session.scheduled"
    ]
    assert invited["payload"]["place"].startswith("华新镇卡友驿站（华新镇")
    unknown = await mediation.client.post(
        url, json=session | {"station_id": "nowhere"}, headers=keeper
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"]["field"] == "station_id"


async def test_a_roster_file_with_station_shifts_is_announced_at_start_until_the_api_takes_over(
    mediation: Mediation,
):
    ctx = mediation.app.state.context
    with_station = ctx.roster_file.model_copy(
        update={"shifts": (Shift.model_validate(TUESDAYS_AND_THURSDAYS),)}
    )
    ctx.roster_file = with_station
    async with mediation.runtime.uow() as uow:
        assert await publish_file_roster(uow, ctx)
    [event] = await _published(mediation)
    assert event.payload["station_duty"][0]["station_id"] == KAYOU
    await mediation.client.put(
        "/api/v1/roster", json=with_station.model_dump(mode="json"), headers=COMMITTEE
    )
    async with mediation.runtime.uow() as uow:
        assert not await publish_file_roster(uow, ctx)  # the API's roster is the roster now


async def test_a_dispute_filed_with_a_place_counts_in_the_coverage_once(dispatch: Dispatch):
    filed = _dispute_filed(31.2385, 121.2178)
    assert await dispatch.feed(filed)
    assert not await dispatch.feed(filed)
    committee = auth_headers("committee", "chair")
    coverage = (await dispatch.http.get("/api/v1/stations/coverage", headers=committee)).json()
    huaxin = next(t for t in coverage["towns"] if t["town"] == "huaxin")
    assert (huaxin["reports"], huaxin["covered"]) == (1, 1)  # the truckers' station is near
    assert "纠纷" in coverage["counted"]
