"""Channel targets of the organisations' parties (departments, mediators, the committee).

Configuration, not code: a JSON file maps a party key (`department:<id>`, `mediator:<id>`,
`committee`) to Apprise URLs (mailto://, json://, dingtalk://, wecombot://, feishu://), duty
phone numbers for the SMS gateway, and a locale. `kind:*` is the fallback for every id of a
kind, with `{id}` filled in.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field

from services.notify.adapters.channels import channel_of
from services.notify.adapters.target_guard import TargetGuard, TargetUnresolvable, UnsafeTarget


class DirectoryError(ValueError):
    """The channel directory names a target notify must not or cannot use."""


class Endpoint(BaseModel):
    urls: list[str] = Field(default_factory=list)
    sms: list[str] = Field(default_factory=list, description="duty phones for the SMS gateway")
    locale: str = "zh-CN"
    display_name: str = ""


class ChannelDirectory(BaseModel):
    parties: dict[str, Endpoint] = Field(default_factory=dict)

    def lookup(self, party_key: str) -> Endpoint | None:
        """Exact key first, then the `kind:*` fallback with `{id}` filled in."""
        if party_key in self.parties:
            return self.parties[party_key]
        kind, _, ident = party_key.partition(":")
        fallback = self.parties.get(f"{kind}:*")
        if fallback is None:
            return None
        return fallback.model_copy(
            update={"urls": [u.replace("{id}", ident) for u in fallback.urls]}
        )

    def validate_targets(self, guard: TargetGuard) -> None:
        """Refuse unsupported schemes and webhook hosts that are not public (SSRF)."""
        for key, endpoint in self.parties.items():
            for url in endpoint.urls:
                if channel_of(url) is None:
                    raise DirectoryError(f"{key}: unsupported channel {url.split('://')[0]!r}")
                try:
                    guard.check(url.replace("{id}", "x"))
                except UnsafeTarget as exc:
                    raise DirectoryError(f"{key}: {exc}") from exc
                except TargetUnresolvable:
                    pass  # DNS may be down at start-up: the send-time check decides


def load_channel_directory(path: Path | None, guard: TargetGuard | None = None) -> ChannelDirectory:
    """Read and check the directory; a missing file is an empty directory."""
    if path is None or not path.exists():
        return ChannelDirectory()
    directory = ChannelDirectory.model_validate(json.loads(path.read_text(encoding="utf-8")))
    directory.validate_targets(guard or TargetGuard())
    return directory
