"""SSRF guard for webhook targets: resolve the host, refuse anything that is not public.

Apprise posts to whatever a URL names, 127.0.0.1 and 169.254.169.254 included; a webhook
target on a loopback, private, link-local or metadata address is refused unless configured.
Webhook-style URLs (json/form/xml, and the SMS gateway built on them) are checked when the
channel directory is loaded and again right before each send, because DNS can change.
Robots (dingtalk://, wecombot://, feishu://) post to their vendors' fixed hosts and
mailto:// to the operator's configured SMTP server: those hosts are not taken from the URL.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

WEBHOOK_SCHEMES = frozenset({"json", "jsons", "form", "forms", "xml", "xmls"})
Resolver = Callable[[str], Iterable[str]]


class UnsafeTarget(Exception):
    """A target that must never be called (loopback, private, link-local, metadata...)."""


class TargetUnresolvable(Exception):
    """DNS did not answer: maybe later."""


def system_resolver(host: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise TargetUnresolvable(host) from exc
    return [str(info[4][0]) for info in infos]


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # is_global is False for loopback, RFC 1918, link-local (169.254.169.254), unspecified,
    # reserved, ULA (fd00:ec2::254) and shared 100.64/10 (Alibaba Cloud's 100.100.100.200).
    return ip.is_global and not ip.is_multicast


class TargetGuard:
    def __init__(
        self,
        *,
        allowed_hosts: Iterable[str] = (),
        allow_private: bool = False,
        resolver: Resolver = system_resolver,
    ) -> None:
        self._allowed = frozenset(h.strip().lower() for h in allowed_hosts if h.strip())
        self._allow_private = allow_private
        self._resolve = resolver

    @staticmethod
    def _webhook_host(url: str) -> str | None:
        """The host a webhook URL names ("" when none), None for a URL that is no webhook."""
        scheme = url.split("://", 1)[0].lower()
        if scheme not in WEBHOOK_SCHEMES:
            return None
        return (urlsplit("http://" + url.split("://", 1)[1]).hostname or "").lower()

    def _trusted(self, host: str) -> bool:
        return self._allow_private or host in self._allowed

    def looks_up(self, url: str) -> bool:
        """Whether `check(url)` asks the resolver (a call that may block on DNS)."""
        host = self._webhook_host(url)
        return bool(host) and not self._trusted(host or "")

    def check(self, url: str) -> None:
        """Raise UnsafeTarget (for good) or TargetUnresolvable (for now); return if safe."""
        host = self._webhook_host(url)
        if host is None:
            return
        if not host:
            raise UnsafeTarget("webhook URL without a host")
        if self._trusted(host):
            return
        addresses = list(self._resolve(host))
        if not addresses:
            raise TargetUnresolvable(host)
        for address in addresses:
            if not _is_public(address):
                raise UnsafeTarget(f"webhook host {host} resolves to a non-public address")
