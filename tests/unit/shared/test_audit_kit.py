"""The audit kit: field names only, the caller and request id of the request, one row per list."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import sqlalchemy as sa
import structlog
from pydantic import BaseModel

from shared.contracts.envelope import Actor
from shared.platform.audit.fields import names_present
from shared.platform.audit.log import AuditLog, bind_caller, current_caller
from shared.platform.audit.record import MAX_CASE_IDS, NotAFieldName, field_names
from shared.platform.audit.table import audit_table

OFFICER = Actor(role="intake_officer", id="officer-1")


class _Party(BaseModel):
    name: str
    phone_masked: str | None


class _View(BaseModel):
    title: str
    address: str
    parties: list[_Party]
    attachments: list[dict[str, str]]


def _log() -> AuditLog:
    return AuditLog("intake", audit_table(sa.MetaData()))


def test_names_present_reports_only_the_personal_fields_the_answer_fills():
    view = _View(
        title="路面塌陷",
        address="",
        parties=[_Party(name="李某", phone_masked=None), _Party(name="某公司", phone_masked=None)],
        attachments=[{"url": "/a"}],
    )
    personal = {"title", "address", "parties.name", "parties.phone_masked", "attachments"}
    assert names_present(view, personal) == ["attachments", "parties.name", "title"]
    shown = view.model_copy(update={"parties": [_Party(name="李某", phone_masked="138****2222")]})
    assert "parties.phone_masked" in names_present(shown, personal)


@pytest.mark.parametrize("value", ["13811112222", "11010519491231002X", "李某", "a b", "Name", ""])
def test_anything_that_is_not_a_field_name_is_refused(value: str):
    with pytest.raises(NotAFieldName):
        field_names([value])


def test_an_entry_names_the_actor_the_request_and_sorted_unique_fields():
    case_id = uuid.uuid4()
    with structlog.contextvars.bound_contextvars(request_id="req-123"):
        row = _log().entry(
            "read",
            actor=OFFICER,
            case_id=case_id,
            fields=["parties.name", "address", "parties.name"],
            route="/api/v1/cases/{case_id}",
        )
    assert row["actor_id"] == "officer-1" and row["role"] == "intake_officer"
    assert row["case_id"] == case_id and row["service"] == "intake"
    assert row["fields"] == ["address", "parties.name"]
    assert row["request_id"] == "req-123"
    assert row["route"] == "/api/v1/cases/{case_id}"
    assert row["case_ids"] is None and row["case_count"] is None
    assert row["at"].tzinfo is not None


def test_a_list_is_one_entry_with_its_case_ids_bounded_and_its_exact_count():
    ids = [uuid.uuid4() for _ in range(MAX_CASE_IDS + 5)]
    row = _log().entry("list", actor=OFFICER, fields=["title"], case_ids=ids)
    assert row["case_id"] is None
    assert row["case_count"] == MAX_CASE_IDS + 5
    assert row["case_ids"] == [str(i) for i in ids[:MAX_CASE_IDS]]


async def test_the_bound_caller_fills_actor_route_and_the_case_in_the_path():
    case_id = uuid.uuid4()
    mediator = Actor(role="mediator", id="m-7")

    async def in_a_request() -> dict[str, object]:
        bind_caller(mediator, "/api/v1/disputes/{case_id}", case_id)
        return _log().entry("read", fields=["respondents"])

    row = await asyncio.create_task(in_a_request())  # a request runs in a context of its own
    assert (row["actor_id"], row["role"], row["case_id"]) == ("m-7", "mediator", case_id)
    assert row["route"] == "/api/v1/disputes/{case_id}"
    assert row["request_id"] is None  # outside a request


def test_an_entry_needs_an_actor_and_a_known_action():
    assert current_caller() is None
    with pytest.raises(LookupError):
        _log().entry("read", fields=[])
    with pytest.raises(ValueError, match="unknown audit action"):
        _log().entry("delete", actor=OFFICER)


def test_the_sqlite_table_refuses_update_and_delete():
    metadata = sa.MetaData()
    table = audit_table(metadata)
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)  # the same guard the migrations install
    with engine.begin() as conn:
        conn.execute(sa.insert(table).values(_log().entry("read", actor=OFFICER)))
    for statement in (sa.update(table).values(actor_id="x"), sa.delete(table)):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(statement)
    with engine.connect() as conn:
        assert conn.execute(sa.select(table.c.actor_id)).scalars().all() == ["officer-1"]
