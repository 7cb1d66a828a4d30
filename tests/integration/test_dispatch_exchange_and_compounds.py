"""The points exchange (J12) and the compound register (J3), on SQLite and PostgreSQL; the race
for the last place of a reward on PostgreSQL with two replicas."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest

from shared.contracts.envelope import Actor, new_event
from shared.contracts.events.common import GeoPoint, PartyRef
from shared.contracts.events.intake import CaseFiled, HazardDetails
from shared.platform.clock import FrozenClock
from tests.auth import auth_headers
from tests.integration.dispatch_harness import (
    ADMIN,
    OFFICER,
    START,
    Dispatch,
    answer,
    case_filed,
    dept,
    reporter,
    reporter_of,
)

pytestmark = pytest.mark.integration
STATION = "zhaoxiang-xiangxin"  # 巷新驿站, 赵巷镇 (demo register)


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


async def _earn(dispatch: Dispatch, party: str, times: int = 1) -> None:
    """A manhole report fixed and confirmed: 20 points each (the demo directory)."""
    for _ in range(times):
        filed = case_filed(party_id=party)
        assert await dispatch.feed(filed)
        case_id = filed.case_id
        assert (await dispatch.post(case_id, "acknowledge", dept("zhaoxiang-road"))).is_success
        body = {"note": "已补装新井盖"}
        assert (await dispatch.post(case_id, "resolve", dept("zhaoxiang-road"), body)).is_success
        assert await dispatch.feed(answer(case_id, party, fixed=True))


async def _reward(dispatch: Dispatch, reward_id: str, cost: int, stock: int) -> None:
    body = {
        "reward_id": reward_id,
        "name": "急救培训课程" if cost > 50 else "电动车电池检测",
        "cost": cost,
        "stock": stock,
        "station_id": STATION,
        "valid_from": "2026-11-01",
        "valid_to": "2027-03-31",
    }
    response = await dispatch.http.post("/api/v1/rewards", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text


async def _redeem(dispatch: Dispatch, reward_id: str, party: str, key: str):  # type: ignore[no-untyped-def]
    return await dispatch.http.post(
        f"/api/v1/rewards/{reward_id}/redeem",
        headers={**reporter(party), "Idempotency-Key": key},
    )


async def test_a_rider_redeems_once_per_request_the_station_hands_it_over_and_the_ledger_shows_both(
    dispatch: Dispatch,
):
    party = "p-wu"
    await _earn(dispatch, party, 3)  # 60 points
    await _reward(dispatch, "first-aid", 50, 20)

    # an officer cannot keep the catalogue; a bad date order names its field
    bad = {"name": "x", "cost": 1, "stock": 1, "station_id": STATION}
    refused = await dispatch.http.post(
        "/api/v1/rewards", json={**bad, "valid_from": "2026-12-01", "valid_to": "2026-12-31"}
    )
    assert refused.status_code == 403
    wrong = await dispatch.http.post(
        "/api/v1/rewards",
        json={**bad, "valid_from": "2026-12-31", "valid_to": "2026-12-01"},
        headers=ADMIN,
    )
    assert wrong.status_code == 422 and wrong.json()["detail"]["field"] == "valid_to"
    nowhere = await dispatch.http.post(
        "/api/v1/rewards",
        json={**bad, "station_id": "no-such", "valid_from": "2026-12-01", "valid_to": "2027-01-01"},
        headers=ADMIN,
    )
    assert nowhere.status_code == 422 and nowhere.json()["detail"]["field"] == "station_id"

    no_key = await dispatch.http.post("/api/v1/rewards/first-aid/redeem", headers=reporter(party))
    assert no_key.status_code == 422 and "Idempotency-Key" in no_key.text

    first = await _redeem(dispatch, "first-aid", party, "req-000001")
    assert first.status_code == 201, first.text
    assert first.json()["balance"] == 10 and first.json()["state"] == "reserved"
    again = await _redeem(dispatch, "first-aid", party, "req-000001")
    # the same request again: the first answer, replayed (shared Idempotency-Key semantics)
    assert again.status_code == 201 and again.headers.get("idempotent-replayed") == "true"
    assert again.json()["redemption_id"] == first.json()["redemption_id"]
    # a second redemption would go below zero
    broke = await _redeem(dispatch, "first-aid", party, "req-000002")
    assert broke.status_code == 409 and broke.json()["detail"]["reason"] == "not_enough_points"

    [reward] = (await dispatch.http.get("/api/v1/rewards")).json()
    assert reward["stock"] == 19

    redemption_id = first.json()["redemption_id"]
    by_rider = await dispatch.http.post(
        f"/api/v1/redemptions/{redemption_id}/handover", headers=reporter(party)
    )
    assert by_rider.status_code == 403
    # only the provider station's own staff confirm: not another station's officer, not an
    # officer of no station, not the admin, not the department
    handover = f"/api/v1/redemptions/{redemption_id}/handover"
    for stranger in (
        auth_headers("intake_officer", "huaxin-kayou/zhang"),
        OFFICER,
        auth_headers("intake_officer", f"{STATION}/"),
        ADMIN,
        dept("zhaoxiang-road"),
    ):
        refused = await dispatch.http.post(handover, headers=stranger)
        assert refused.status_code == 403, refused.text
        assert "provider station" in refused.text
    assert (await dispatch.http.get("/api/v1/redemptions", headers=ADMIN)).json()[0][
        "state"
    ] == "reserved"
    staff = auth_headers("intake_officer", f"{STATION}/li")
    handed = await dispatch.http.post(handover, headers=staff)
    assert handed.status_code == 200 and handed.json()["state"] == "handed_over"
    twice = await dispatch.http.post(handover, headers=staff)
    assert twice.status_code == 200

    ledger = (
        await dispatch.http.get(f"/api/v1/reporters/{party}/points", headers=reporter(party))
    ).json()
    assert ledger["balance"] == 10
    assert sorted(e["points"] for e in ledger["history"]) == [-50, 20, 20, 20]
    assert {e["reason"] for e in ledger["history"]} == {"hazard_verified", "redeemed"}

    events = [
        e for e in await dispatch.emitted() if e.event_type.startswith(("points.r", "reward"))
    ]
    assert [e.event_type for e in events] == ["points.redeemed", "reward.handed_over"]
    assert events[0].payload["balance"] == 10 and events[0].payload["station_name"] == "巷新驿站"
    # told on the rider's latest report, where notify and intake know the rider
    filed_cases = {e.case_id for e in await dispatch.emitted() if e.event_type == "points.credited"}
    assert events[0].case_id in filed_cases


async def test_a_compound_report_is_linked_by_name_or_place_and_goes_to_both_bodies(
    dispatch: Dispatch,
):
    # 演示·徐泾明珠苑 (demo-compound-06): the property office leads, rules not adopted
    far = _compound_report("明珠苑北门保安中午不让骑手进小区", 31.1900, 121.2800)  # ~1.3 km off
    near = _compound_report("小区门口保安拦住骑手", 31.1831, 121.2741)  # ~60 m from its gate
    assert await dispatch.feed(far)
    assert await dispatch.feed(near)
    for filed, matched in ((far, "name"), (near, "location")):
        types = await dispatch.types(filed.case_id)
        assert types == ["hazard.dispatched", "compound.report_linked"]
        dispatched, linked = await dispatch.emitted(filed.case_id)
        assert dispatched.payload["department_id"] == "xujing-property"
        assert linked.payload["department_id"] == "xujing-rc-06"  # the residents' committee
        assert linked.payload["matched_by"] == matched
    assert (await dispatch.emitted(near.case_id))[1].payload["earlier_reports"] == 1

    # the register: the committee sees both reports of the compound, with their outcome
    committee = auth_headers("committee", "chair")
    overview = await dispatch.http.get("/api/v1/compounds", headers=committee)
    assert overview.status_code == 200 and len(overview.json()) == 13
    [mingzhu] = [c for c in overview.json() if c["compound_id"] == "demo-compound-06"]
    assert (mingzhu["reports"], mingzhu["open_reports"], mingzhu["rules_adopted"]) == (2, 2, False)
    assert mingzhu["residents_committee_name"].endswith("居民委员会（演示）")
    detail = (
        await dispatch.http.get("/api/v1/compounds/demo-compound-06", headers=committee)
    ).json()
    assert [r["case_id"] for r in detail["report_list"]] == [str(far.case_id), str(near.case_id)]
    assert (await dispatch.http.get("/api/v1/compounds", headers=reporter("x"))).status_code == 403

    # the compound adopts the rules; a bad change names its field and stores nothing
    body = {
        k: mingzhu[k]
        for k in (
            "name",
            "aliases",
            "town",
            "address",
            "latitude",
            "longitude",
            "property_office_id",
            "residents_committee_id",
            "lead",
        )
    }
    wrong = await dispatch.http.put(
        "/api/v1/compounds/demo-compound-06", json={**body, "rules_adopted": True}, headers=ADMIN
    )
    assert wrong.status_code == 422 and wrong.json()["detail"]["field"] == "adopted_on"
    adopted = await dispatch.http.put(
        "/api/v1/compounds/demo-compound-06",
        json={
            **body,
            "rules_adopted": True,
            "adopted_on": "2026-12-01",
            "lead": "residents_committee",
        },
        headers=ADMIN,
    )
    assert adopted.status_code == 200 and adopted.json()["adopted_on"] == "2026-12-01"
    # now the residents' committee leads: the next report is dispatched to it
    third = _compound_report("明珠苑又不让进", 31.18, 121.27)
    assert await dispatch.feed(third)
    dispatched, linked = await dispatch.emitted(third.case_id)
    assert dispatched.payload["department_id"] == "xujing-rc-06"
    assert linked.payload["department_id"] == "xujing-property"
    assert linked.payload["rules_adopted"] is True
    hazard = await dispatch.get(third.case_id, OFFICER)
    assert "compound_linked" in [h["action"] for h in hazard["history"]]


def _compound_report(text: str, lat: float, lng: float):  # type: ignore[no-untyped-def]
    party = PartyRef(role="reporter", party_id=f"p-{uuid.uuid4().hex[:8]}", display_name="骑手")
    return new_event(
        "case.filed",
        CaseFiled(
            kind="hazard",
            tracking_code=f"T{uuid.uuid4().hex[:8].upper()}",
            channel="open311",
            title=text[:40],
            description=text,
            jurisdiction="xujing",
            parties=[party],
            hazard=HazardDetails(category="compound_access", location=GeoPoint(lat=lat, lng=lng)),
        ),
        case_id=uuid.uuid4(),
        actor=Actor(role="intake_officer", id="officer-1"),
        producer="intake",
    )


async def test_two_riders_race_for_the_last_place_and_exactly_one_wins_on_postgresql(
    new_pg_database: Callable[[], str], redis_url: str
):
    url = new_pg_database()
    clock = FrozenClock(START)
    async with Dispatch(url, redis_url, clock) as one, Dispatch(url, redis_url, clock) as two:
        riders = [f"p-race-{n}" for n in range(6)]
        for party in riders:
            await _earn(one, party, 2)  # 40 points each
        await _reward(one, "battery-check", 40, 1)
        # every rider at once, half through each replica, each also repeating their request
        calls = [
            _redeem(service, "battery-check", party, f"race-key-{party}")
            for party, service in zip(riders, [one, two] * 3, strict=True)
            for _ in range(2)
        ]
        answers = await asyncio.gather(*calls)
        winners = {r.json()["reporter_id"] for r in answers if r.status_code in (200, 201)}
        assert len(winners) == 1, [r.text for r in answers]
        fresh = [
            r for r in answers if r.status_code == 201 and "idempotent-replayed" not in r.headers
        ]
        assert len(fresh) == 1  # one redemption made; a repeat of it gets its answer replayed
        refused = [r for r in answers if r.status_code == 409]
        assert {r.json()["detail"]["reason"] for r in refused} == {"out_of_stock"}
        assert len(refused) == 10
        [reward] = (await one.http.get("/api/v1/rewards", params={"all": True})).json()
        assert reward["stock"] == 0
        # one rider, many requests at once: never below zero
        lone = "p-lone"
        await _earn(one, lone, 2)  # 40 points
        await _reward(one, "course", 30, 10)
        spent = await asyncio.gather(
            *[_redeem(s, "course", lone, f"lone-{n:06d}") for n, s in enumerate([one, two] * 3)]
        )
        assert sorted(r.status_code for r in spent) == [201, 409, 409, 409, 409, 409]
        balance = (
            await one.http.get(f"/api/v1/reporters/{lone}/points", headers=reporter(lone))
        ).json()["balance"]
        assert balance == 10
        _ = reporter_of


async def test_the_committee_records_that_a_compound_adopted_the_access_rules(
    dispatch: Dispatch,
):
    """J3: 演示·华新馨苑 (demo-compound-08) has no rules yet; the committee records the day it
    adopted them; a day after today is refused by field and nothing is stored."""
    committee = auth_headers("committee", "chair")
    url = "/api/v1/compounds/demo-compound-08"
    later = await dispatch.http.post(
        f"{url}/adoption", json={"adopted_on": "2999-01-04"}, headers=committee
    )
    assert later.status_code == 422 and later.json()["detail"]["field"] == "adopted_on"
    assert (await dispatch.http.get(url, headers=committee)).json()["rules_adopted"] is False
    refused = await dispatch.http.post(
        f"{url}/adoption",
        json={"adopted_on": "2020-01-06"},
        headers=auth_headers("department", "huaxin-property"),
    )
    assert refused.status_code == 403
    done = await dispatch.http.post(
        f"{url}/adoption", json={"adopted_on": "2020-01-06"}, headers=committee
    )
    assert done.status_code == 200, done.text
    row = (await dispatch.http.get(url, headers=committee)).json()
    assert (row["rules_adopted"], row["adopted_on"]) == (True, "2020-01-06")
