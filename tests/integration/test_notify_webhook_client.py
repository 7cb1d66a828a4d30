"""Notify's JSON webhooks leave through one pooled aiohttp session: what the department's endpoint
receives is what Apprise's NotifyJSON posts for the same URL, over a kept-alive connection."""

from __future__ import annotations

import base64
import socket
from pathlib import Path

import pytest

from services.notify.adapters import sender
from services.notify.adapters.channels import with_key
from tests.integration.receivers import http_receiver


def _url(port: int, path: str = "/hook/dept") -> str:
    extra = {"case_id": "8c1f", "event": "hazard.dispatched"}
    return with_key(f"json://127.0.0.1:{port}{path}?-source=ws", "k:1/2", extra)


async def test_the_endpoint_receives_what_apprise_would_post() -> None:
    with http_receiver() as sink:
        url = _url(sink.port)
        by_apprise = await sender._send_with_apprise(url, "道路塌陷", "请尽快处理\n第二行")
        async with sender.Sender() as pooled:
            by_pool = await pooled.send(url, "道路塌陷", "请尽快处理\n第二行")
    assert by_apprise.ok and by_pool.ok
    apprise_post, pooled_post = sink.requests
    assert pooled_post.path == apprise_post.path == "/hook/dept?source=ws"
    assert pooled_post.body == apprise_post.body
    assert pooled_post.body["message"] == "请尽快处理\n第二行"
    assert pooled_post.body["case_id"] == "8c1f"
    for name in ("Content-Type", "User-Agent", "Idempotency-Key"):
        assert pooled_post.headers[name] == apprise_post.headers[name]
    assert pooled_post.headers["Idempotency-Key"] == "k:1/2"


async def test_deliveries_share_one_connection_and_statuses_are_classified() -> None:
    with http_receiver(keep_alive=True) as sink:
        sink.script["/hook/gone"] = [410]
        sink.script["/hook/busy"] = [503]
        async with sender.Sender() as pooled:
            first = await pooled.send(_url(sink.port), "一", "一")
            second = await pooled.send(_url(sink.port), "二", "二")
            gone = await pooled.send(_url(sink.port, "/hook/gone"), "三", "三")
            busy = await pooled.send(_url(sink.port, "/hook/busy"), "四", "四")
    assert first.ok and second.ok
    assert sink.requests[0].peer == sink.requests[1].peer  # no new TCP connection
    assert (gone.ok, gone.permanent, gone.error) == (False, True, "HTTP 410")
    assert (busy.ok, busy.permanent, busy.error) == (False, False, "HTTP 503")


async def test_a_redirect_is_not_followed() -> None:
    with http_receiver() as sink:
        sink.script["/hook/moved"] = [302]
        async with sender.Sender() as pooled:
            moved = await pooled.send(_url(sink.port, "/hook/moved"), "五", "五")
    assert not moved.ok and moved.error == "HTTP 302"
    assert len(sink.requests) == 1


async def test_an_unreachable_endpoint_is_a_transient_failure() -> None:
    with http_receiver() as sink:
        port = sink.port
    async with sender.Sender() as pooled:
        down = await pooled.send(_url(port), "六", "六")
    assert (down.ok, down.permanent) == (False, False)


async def test_an_endpoint_that_does_not_answer_in_time_is_a_transient_timeout() -> None:
    """It takes the connection and never answers: the hook's read timeout (`rto`) ends the wait."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        url = with_key(f"json://127.0.0.1:{port}/hook/dept?rto=0.3&cto=2", "k:9", {})
        async with sender.Sender() as pooled:
            late = await pooled.send(url, "七", "七")  # without the timeout: waits forever
    assert (late.ok, late.permanent, late.error) == (False, False, "timeout")


def _no_proxy_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "no_proxy", "all_proxy", "netrc"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


async def test_the_environments_proxy_carries_the_webhook_as_it_did_for_apprise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """HTTP_PROXY applies (read once per host, not per request); NO_PROXY names the exceptions."""
    _no_proxy_settings(monkeypatch)
    with http_receiver() as proxy, http_receiver() as direct:
        monkeypatch.setenv("HTTP_PROXY", f"http://egress:pw@127.0.0.1:{proxy.port}")
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        hook = with_key("json://dept.example.invalid/hook/dept?-source=ws", "k:3", {})
        async with sender.Sender() as pooled:
            first = await pooled.send(hook, "八", "八")
            again = await pooled.send(hook, "九", "九")
            bypassed = await pooled.send(_url(direct.port), "十", "十")
    assert first.ok and again.ok and bypassed.ok
    assert [r.path for r in proxy.requests] == [
        "http://dept.example.invalid/hook/dept?source=ws"
    ] * 2
    assert proxy.requests[0].headers["Idempotency-Key"] == "k:3"
    basic = "Basic " + base64.b64encode(b"egress:pw").decode()
    assert proxy.requests[0].headers["Proxy-Authorization"] == basic
    assert "Proxy-Authorization" not in direct.requests[0].headers
    assert [r.path for r in direct.requests] == ["/hook/dept?source=ws"]


async def test_credentials_for_the_host_come_from_netrc_when_the_url_has_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _no_proxy_settings(monkeypatch)
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login dept password s3cret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    with http_receiver() as sink:
        async with sender.Sender() as pooled:
            from_netrc = await pooled.send(_url(sink.port), "十一", "十一")
            own = with_key(f"json://ops:pw@127.0.0.1:{sink.port}/hook/dept", "k:4", {})
            from_url = await pooled.send(own, "十二", "十二")
            # a header the address sets is replaced by credentials, as requests did for Apprise
            both = with_key(
                f"json://ops:pw@127.0.0.1:{sink.port}/hook/x?+Authorization=t", "k:5", {}
            )
            replaced = await pooled.send(both, "十三", "十三")
    assert from_netrc.ok and from_url.ok and replaced.ok
    basic = [r.headers["Authorization"] for r in sink.requests]
    assert basic == [
        "Basic " + base64.b64encode(b"dept:s3cret").decode(),
        "Basic " + base64.b64encode(b"ops:pw").decode(),
        "Basic " + base64.b64encode(b"ops:pw").decode(),
    ]
    assert [k.lower() for k in sink.requests[2].headers].count("authorization") == 1
