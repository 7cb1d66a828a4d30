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


def _stripped(field: dict[str, Any]) -> None:
    if field.get("type") == "string" and "pattern" not in field and "enum" not in field:
        least = field.get("minLength", 0)
        if least == 1:
            field["pattern"] = r"\S"
        elif least > 1:  # a run of `least` characters or more between two non-spaces
            field["pattern"] = rf"\S[\s\S]{{{least - 2},}}\S"
    for branch in field.get("anyOf", []):
        _stripped(branch)


def stripped_text(schema: dict[str, Any]) -> None:
    """For a model with `str_strip_whitespace`: a minimum length counts what is left once the
    spaces around are stripped, so "\f" is no `facts` (minLength 1 alone would admit it)."""
    for field in schema.get("properties", {}).values():
        _stripped(field)


def rules(*parts: Rule, text_stripped: bool = False) -> Callable[[dict[str, Any]], None]:
    """A `json_schema_extra` adding every rule to the model's schema (allOf); `text_stripped`
    for a model that strips its text (it replaces the base's `stripped_text`)."""

    def extra(schema: dict[str, Any]) -> None:
        schema.setdefault("allOf", []).extend(parts)
        if text_stripped:
            stripped_text(schema)

    return extra
