"""Which channel an Apprise URL is, and the URL actually sent (key header, no redirects)."""

from __future__ import annotations

from urllib.parse import quote

SCHEME_CHANNEL = {
    "mailto": "email",
    "mailtos": "email",
    "json": "webhook",
    "jsons": "webhook",
    "form": "webhook",
    "forms": "webhook",
    "xml": "webhook",
    "xmls": "webhook",
    "dingtalk": "dingtalk",
    "wecombot": "wecom",
    "feishu": "feishu",
}


def channel_of(url: str) -> str | None:
    """The channel kind of an Apprise URL, None for a scheme notify does not support."""
    return SCHEME_CHANNEL.get(url.split("://", 1)[0].lower())


def with_key(url: str, key: str, extra: dict[str, str] | None = None) -> str:
    """Add the idempotency key as a header (`+Header=` is Apprise's syntax for email and json).

    Webhooks also get `redirect=no`: a redirect to an internal address would bypass the SSRF
    check. Robots (DingTalk, WeCom, Feishu) take no custom headers: their key stays in the
    delivery log only.
    """
    kind = channel_of(url)
    quoted = quote(key, safe="")
    if kind == "email":
        params = [f"+X-Waystation-Idempotency-Key={quoted}"]
    elif kind == "webhook":
        params = [f"+Idempotency-Key={quoted}", "redirect=no"]
        if url.startswith(("json://", "jsons://")):
            params += [f":{k}={quote(v, safe='')}" for k, v in (extra or {}).items()]
    else:
        return url
    return url + ("&" if "?" in url else "?") + "&".join(params)
