"""What `make run` relies on: the Redis fallback chain and the committed AsyncAPI documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import redis

from tests.infra import free_port
from waystation.asyncapi import service_document
from waystation.redis_source import resolve_redis

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def test_an_explicit_redis_url_wins(tmp_path: Path):
    assert resolve_redis("redis://example:1/0", tmp_path).origin == "env"


def test_a_local_redis_that_answers_is_used(redis_server: str, tmp_path: Path):
    port = int(redis_server.rsplit(":", 1)[1].split("/")[0])
    source = resolve_redis(None, tmp_path, local_port=port)
    assert source.origin == "local" and source.url.endswith(f":{port}/0")


def test_without_any_redis_an_embedded_one_starts_with_aof(tmp_path: Path):
    source = resolve_redis(None, tmp_path, local_port=free_port(), embedded_port=free_port())
    try:
        assert source.origin == "embedded"
        client = redis.Redis.from_url(source.url)
        client.xadd("waystation.intake", {"k": "v"})
        assert client.config_get("appendonly")["appendonly"] == "yes"
        assert client.xlen("waystation.intake") == 1
    finally:
        source.close()


@pytest.mark.parametrize("service", ["intake", "mediation", "dispatch", "notify"])
def test_the_committed_asyncapi_documents_are_up_to_date(service: str):
    committed = json.loads((ROOT / "docs" / "asyncapi" / f"{service}.json").read_text())
    assert committed == service_document(service), "run `make docs` and commit the result"
