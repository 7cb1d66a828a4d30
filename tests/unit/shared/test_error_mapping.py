"""shared.platform.http.ErrorMapping: each service's domain errors as HTTP answers, one rule
for all."""

from __future__ import annotations

from fastapi import HTTPException

from services.dispatch.domain.errors import IllegalTransition, InvalidStation, NotFound
from services.dispatch.entrypoints.errors import http_error
from shared.platform.http import ErrorMapping


class Missing(Exception):
    pass


class Gone(Missing):
    pass


class Odd(Exception):
    pass


MAPPING = ErrorMapping(
    [(Gone, 410, lambda e: f"gone: {e}"), (Missing, 404, str), ((KeyError, Odd), 422, repr)],
    otherwise=(400, lambda _: "bad"),
    answer=lambda status, detail: (status, detail),
)


def test_the_first_rule_that_matches_answers() -> None:
    assert MAPPING(Gone("x")) == (410, "gone: x")
    assert MAPPING(Missing("y")) == (404, "y")


def test_a_rule_may_name_several_classes() -> None:
    assert MAPPING(Odd("z")) == (422, "Odd('z')")


def test_an_error_no_rule_names_answers_otherwise() -> None:
    assert MAPPING(RuntimeError("?")) == (400, "bad")


def test_a_service_mapping_renders_an_http_exception() -> None:
    found = http_error(NotFound("hazard 1"))
    assert isinstance(found, HTTPException)
    assert (found.status_code, found.detail) == (404, "not found: hazard 1")
    invalid = http_error(InvalidStation("name", "太长"))
    assert (invalid.status_code, invalid.detail) == (422, {"field": "name", "message": "太长"})
    moved = http_error(IllegalTransition("close", "filed"))
    assert moved.status_code == 409 and moved.detail["state"] == "filed"
