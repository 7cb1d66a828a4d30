"""Channel targets of the organisations' parties (departments, mediators, the committee).

Configuration, not code: a JSON file maps a party key (`department:<id>`, `mediator:<id>`,
`committee`) to Apprise URLs and a locale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field


class Endpoint(BaseModel):
    urls: list[str] = Field(default_factory=list)
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


def load_channel_directory(path: Path | None) -> ChannelDirectory:
    if path is None or not path.exists():
        return ChannelDirectory()
    return ChannelDirectory.model_validate(json.loads(path.read_text(encoding="utf-8")))
