"""Which database errors make a batch fall back to one-by-one instead of failing the read."""

from __future__ import annotations

import sqlalchemy as sa

from shared.messaging.batching import transient


class _Orig(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _error(sqlstate: str | None) -> sa.exc.DBAPIError:
    return sa.exc.DBAPIError("UPDATE ...", {}, _Orig(sqlstate))


def test_deadlock_and_serialization_failure_are_transient():
    assert transient(_error("40P01"))
    assert transient(_error("40001"))


def test_other_database_errors_are_not():
    assert not transient(_error("23505"))  # unique violation: handled as a concurrent apply
    assert not transient(_error(None))
    assert not transient(ValueError("not a database error"))
