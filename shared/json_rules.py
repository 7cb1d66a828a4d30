"""Rules between a model's fields, said in its JSON Schema as well as checked by its validator.

A pydantic `model_validator` that refuses "latitude without longitude" is invisible in the
OpenAPI document; these helpers write the same rule into the model's schema, so a client (and
a fuzzer) reading the document knows it. A field counts as given when present and not null,
as the validators read it.

    model_config = ConfigDict(json_schema_extra=rules(together("latitude", "longitude")))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Rule = dict[str, Any]
_GIVEN: Rule = {"not": {"type": "null"}}
_ABSENT: Rule = {"type": "null"}


def given(*names: str) -> Rule:
    """Each of `names` present and not null."""
    return {"required": list(names), "properties": dict.fromkeys(names, _GIVEN)}


def absent(*names: str) -> Rule:
    """None of `names` given (missing or null)."""
    return {"properties": dict.fromkeys(names, _ABSENT)}


def together(*names: str) -> Rule:
    """All of `names` or none of them."""
    return {"anyOf": [given(*names), absent(*names)]}


def any_of(*names: str) -> Rule:
    """At least one of `names`."""
    return {"anyOf": [given(name) for name in names]}


def one_of(*names: str) -> Rule:
    """Exactly one of `names`."""
    return {
        "anyOf": [
            {"allOf": [given(name), absent(*(n for n in names if n != name))]} for name in names
        ]
    }


def unless(name: str, *then_given: str) -> Rule:
    """Without `name`, each of `then_given` is required."""
    return {"anyOf": [given(name), given(*then_given)]}


def only_when_true(flag: str, *names: str) -> Rule:
    """`names` may be given only while `flag` is true."""
    return {"anyOf": [{"required": [flag], "properties": {flag: {"const": True}}}, absent(*names)]}


def rules(*parts: Rule) -> Callable[[dict[str, Any]], None]:
    """A `json_schema_extra` adding every rule to the model's schema (allOf)."""

    def extra(schema: dict[str, Any]) -> None:
        schema.setdefault("allOf", []).extend(parts)

    return extra
