"""Which personal fields a response (or a command) actually carries, by name."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from pydantic import BaseModel


def _leaves(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for inner in value:  # a list's items share their field names
            yield from _leaves(inner, path)
    elif value is not None and value != "":
        yield path


def names_present(value: Any, personal: Collection[str]) -> list[str]:
    """The names in `personal` that `value` fills (not null, not empty), sorted.

    A name covers what lies under it: `attachments` is present when any attachment is;
    `parties.phone_masked` when any party's masked phone is shown to this caller.
    """
    found: set[str] = set()
    for leaf in _leaves(value, ""):
        for name in personal:
            if leaf == name or leaf.startswith(name + "."):
                found.add(name)
    return sorted(found)
