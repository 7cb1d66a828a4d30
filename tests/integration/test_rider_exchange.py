"""The points exchange on the rider's page (J12): intake's adapter against a real dispatch (its
app on SQLite and PostgreSQL) books with the rider's own token, once per key, and hands back
refusals as reason codes; the page, with dispatch served over HTTP, books by its form and says
refusals in Chinese; with dispatch down or silent the page still renders and says so."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from services.intake.adapters.exchange_access import Booking, ExchangeAccess, Refusal
from shared.platform.clock import FrozenClock
from tests.auth import token
from tests.infra import free_port, private_redis
from tests.integration.dispatch_harness import START, Dispatch
from tests.integration.intake_server import serve_intake
from tests.integration.test_dispatch_exchange_and_compounds import _earn, _redeem, _reward
from tests.integration.test_rider_pages import _file, _newest_code, _party_of

pytestmark = pytest.mark.integration


@pytest.fixture
async def dispatch(database_url: str, redis_url: str) -> AsyncIterator[Dispatch]:
    async with Dispatch(database_url, redis_url, FrozenClock(START)) as service:
        yield service


async def test_the_adapter_books_once_per_key_with_the_riders_token_and_names_refusals(
    dispatch: Dispatch,
):
    party, other = f"p-{uuid.uuid4().hex[:8]}", f"p-{uuid.uuid4().hex[:8]}"
    await _earn(dispatch, party, 3)  # 60 points
    await _earn(dispatch, other, 3)
    await _reward(dispatch, "first-aid", 50, 1)
    await _reward(dispatch, "battery", 40, 5)
    access = ExchangeAccess("http://dispatch", client=dispatch.http)
    mine = token("reporter", party)

    market = await access.exchange(mine, party)
    assert market is not None and market.balance == 60 and market.bookings == []
    offered = {o.reward_id: o for o in market.offers}
    assert set(offered) == {"first-aid", "battery"}
    assert offered["first-aid"].station_name == "巷新驿站"
    assert offered["first-aid"].town_name == "赵巷镇" and offered["first-aid"].town == "zhaoxiang"

    booked = await access.redeem(mine, "first-aid", "me-key-0001")
    assert isinstance(booked, Booking) and booked.balance == 10
    assert booked.reference == "#" + booked.redemption_id.hex[:8].upper()
    assert booked.station_name == "巷新驿站"
    again = await access.redeem(mine, "first-aid", "me-key-0001")  # a double click
    assert isinstance(again, Booking) and again.redemption_id == booked.redemption_id

    assert await access.redeem(mine, "battery", "me-key-0002") == Refusal("not_enough_points")
    theirs = token("reporter", other)
    assert await access.redeem(theirs, "first-aid", "me-key-0003") == Refusal("out_of_stock")
    assert await access.redeem(mine, "no-such-reward", "me-key-0004") == Refusal("gone")

    after = await access.exchange(mine, party)
    assert after is not None and after.balance == 10
    assert [(b.redemption_id, b.state) for b in after.bookings] == [
        (booked.redemption_id, "reserved")
    ]
    assert (await access.exchange(theirs, other)).bookings == []  # type: ignore[union-attr]


@contextlib.asynccontextmanager
async def _silent_server() -> AsyncIterator[str]:
    """A server that accepts connections and never answers: dispatch hanging."""

    released = asyncio.Event()

    async def hang(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await released.wait()  # no answer until the test is over
        writer.close()

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        released.set()
        server.close()


async def test_dispatch_down_or_silent_gives_nothing_rather_than_an_error():
    async with _silent_server() as silent:
        for url in (f"http://127.0.0.1:{free_port()}", silent):
            access = ExchangeAccess(url, timeout=0.5)
            try:
                assert await access.exchange(token("reporter", "p-1"), "p-1") is None
                assert await access.redeem(token("reporter", "p-1"), "first-aid", "k" * 16) is None
            finally:
                await access.aclose()


@contextlib.asynccontextmanager
async def _served(dispatch: Dispatch) -> AsyncIterator[str]:
    """Dispatch's app (lifespan already entered) over real HTTP on a free port."""
    port = free_port()
    config = uvicorn.Config(dispatch.app, host="127.0.0.1", port=port, lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(30):  # started, or the test fails here
        while not server.started:
            await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_the_rider_books_on_his_page_and_is_told_in_chinese_when_it_cannot_be(
    tmp_path: Path, redis_url: str
):
    url = f"sqlite+aiosqlite:///{tmp_path / 'dispatch.db'}"
    async with (
        Dispatch(url, redis_url, FrozenClock(START)) as dispatch,
        _served(dispatch) as dispatch_url,
        _silent_server() as silent,
    ):
        await _reward(dispatch, "first-aid", 60, 20)
        await _reward(dispatch, "battery", 40, 1)
        await _reward(dispatch, "last-place", 10, 1)
        folder = tmp_path / "intake"
        with private_redis(folder / "redis") as (intake_redis, _proc):
            intake_db = f"sqlite+aiosqlite:///{tmp_path / 'intake.db'}"
            async with serve_intake(
                intake_db, intake_redis, folder, dispatch_url=dispatch_url
            ) as intake:
                key = await intake.api_key("rider-exchange")
                digits = f"139{uuid.uuid4().int % 10**8:08d}"
                async with httpx.AsyncClient(base_url=intake.url, timeout=10) as client:
                    code = await _file(client, key, phone=digits)
                    party = await _party_of(intake, code)
                    await _earn(dispatch, party, 4)  # 80 points, in dispatch's ledger
                    await client.post("/me/code", data={"who": digits})
                    signed = await client.post(
                        "/me/login", data={"who": digits, "code": await _newest_code(intake)}
                    )
                    assert signed.status_code == 303
                    await _books_and_is_refused(client, dispatch)
            # The same rider's page while dispatch hangs: it renders, and says so.
            async with (
                serve_intake(intake_db, intake_redis, folder, dispatch_url=silent) as intake,
                httpx.AsyncClient(base_url=intake.url, timeout=30) as client,
            ):
                client.cookies.set("ws_rider", token_of(signed), path="/me")
                page = await client.get("/me")
                assert page.status_code == 200
                assert "积分兑换暂时无法显示，请稍后再试" in page.text
                assert "我的工单" in page.text


def token_of(signed: httpx.Response) -> str:
    return signed.cookies["ws_rider"]


async def _books_and_is_refused(client: httpx.AsyncClient, dispatch: Dispatch) -> None:
    page = (await client.get("/me")).text
    assert 'class="points">80<' in page and "积分兑换" in page
    offers = page.split('class="cards offers"')[1].split("</ul>")[0]
    assert "急救培训课程" in offers and "巷新驿站" in offers and "赵巷镇" in offers
    assert "积分足够" in offers and offers.count('action="/me/redeem"') == 3
    form = {"reward_id": "first-aid", "form_key": uuid.uuid4().hex, "lang": "zh-CN"}
    booked = await client.post("/me/redeem", data=form)
    assert booked.status_code == 200, booked.text
    said = booked.text.split('role="status">')[1].split("</p>")[0]
    assert "兑换成功" in said and "急救培训课程" in said and "积分余额 20 分" in said
    reference = said.split("兑换凭证 ")[1][:9]
    assert reference.startswith("#") and len(reference) == 9
    again = await client.post("/me/redeem", data=form)  # the same form twice: one booking
    assert reference in again.text
    bookings = again.text.split('class="cards bookings"')[1].split("</ul>")[0]
    assert bookings.count("<li") == 1 and "待领取" in bookings and reference in bookings
    assert 'class="points">20<' in again.text
    # Not enough points: no button, and a forced post is refused in words.
    assert "积分不足，还差 20 分" in again.text
    form = {"reward_id": "battery", "form_key": uuid.uuid4().hex, "lang": "zh-CN"}
    refused = await client.post("/me/redeem", data=form)
    assert refused.status_code == 409 and "积分不足，无法兑换" in refused.text
    assert "not_enough_points" not in refused.text and "Not enough" not in refused.text
    gone = await client.post("/me/redeem", data=form | {"reward_id": "nothing-here"})
    assert gone.status_code == 409 and "该项目已不存在" in gone.text
    bad = await client.post("/me/redeem", data=form | {"form_key": "x"})
    assert bad.status_code == 422 and "暂时无法兑换" in bad.text
    # Another rider takes the last place first: the form he still has is refused in words,
    # and the page then says no places are left.
    await _earn(dispatch, "p-quicker", 1)
    taken = await _redeem(dispatch, "last-place", "p-quicker", "quicker-0001")
    assert taken.status_code == 201
    stale = {"reward_id": "last-place", "form_key": uuid.uuid4().hex, "lang": "zh-CN"}
    late = await client.post("/me/redeem", data=stale)
    assert late.status_code == 409 and "名额已满，已被兑完" in late.text
    last = late.text.split('data-reward="last-place"')[1].split("</li>")[0]
    assert "名额已满" in last and "<form" not in last
    elsewhere = await client.post("/me/redeem", data=form, headers={"Sec-Fetch-Site": "cross-site"})
    assert elsewhere.status_code == 403 and 'action="/me/redeem"' not in elsewhere.text
