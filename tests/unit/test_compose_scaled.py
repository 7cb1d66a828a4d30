"""The compose files' scaled shape (#22 item 5): two replicas of every service on partitioned
streams, and a `cluster` profile with a 3-master Redis Cluster the services are pointed at.

No Docker engine runs the tests: every file is checked against the Compose specification's
schema and for the shape it promises (`docker compose config` does the same where it exists).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import check_jsonschema
import jsonschema
import pytest
import yaml

from shared.messaging.redis_client import parse_cluster_url, require_slot_safe

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "mediation", "dispatch", "notify")
NODES = ("redis-cluster-1", "redis-cluster-2", "redis-cluster-3")


class _ComposeLoader(yaml.SafeLoader):
    """YAML with Compose's merge tags (`!override`, `!reset`, Compose >= 2.24.4)."""


def _tagged(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_ComposeLoader.add_constructor("!override", _tagged)
_ComposeLoader.add_constructor("!reset", _tagged)


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load((ROOT / name).read_text(), Loader=_ComposeLoader)  # noqa: S506
    return loaded


def _default(value: object) -> str:
    """`${VAR:-default}` as Compose resolves it with VAR unset."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(value))


@pytest.mark.parametrize(
    "name", ["docker-compose.yml", "docker-compose.scale.yml", "docker-compose.cluster.yml"]
)
def test_each_compose_file_is_valid_against_the_compose_spec(name: str):
    schema_file = (
        Path(check_jsonschema.__file__).parent / "builtin_schemas/vendor/compose-spec.json"
    )
    schema = json.loads(schema_file.read_text())
    jsonschema.validate(_load(name), schema)


def test_the_scale_file_runs_two_replicas_of_every_service_on_partitioned_streams():
    base, scale = _load("docker-compose.yml")["services"], _load("docker-compose.scale.yml")
    text = (ROOT / "docker-compose.scale.yml").read_text()
    for name in SERVICES:
        service = scale["services"][name]
        replicas = int(_default(service["deploy"]["replicas"]))
        assert replicas >= 2, name
        assert int(_default(service["environment"]["STREAM_PARTITIONS"])) >= 2, name
        # the base file's knob, 1 for a district, is what the scale file raises
        assert _default(base[name]["environment"]["STREAM_PARTITIONS"]) == "1"
    # replicas cannot share one fixed host port: intake publishes a range as wide as its
    # replicas, the others are reached inside the network only
    assert re.search(r"intake:.*?ports: !override \[\"8001-8002:8001\"\]", text, re.S)
    for name in ("mediation", "dispatch", "notify"):
        assert re.search(rf"{name}:.*?ports: !reset \[\]", text, re.S), name
        assert scale["services"][name]["ports"] == []


def test_the_cluster_profile_runs_three_masters_and_creates_the_cluster_once():
    services = _load("docker-compose.yml")["services"]
    for node in NODES:
        assert services[node]["profiles"] == ["cluster"]
        command = services[node]["command"]
        assert command[command.index("--cluster-enabled") + 1] == "yes"
        assert command[command.index("--appendonly") + 1] == "yes"
    init = services["redis-cluster-init"]
    assert init["profiles"] == ["cluster"]
    script = "\n".join(init["command"])
    assert "redis-cli --cluster create" in script and "--cluster-yes" in script
    assert "--cluster-replicas 0" in script and all(node in script for node in NODES)
    assert {n: d["condition"] for n, d in init["depends_on"].items()} == dict.fromkeys(
        NODES, "service_healthy"
    )
    # the four services and the single Redis are not in the profile: a plain `up` is unchanged
    assert not any("profiles" in services[n] for n in (*SERVICES, "redis", "postgres"))


def test_the_cluster_file_points_every_service_at_the_cluster_with_partitions():
    services = _load("docker-compose.cluster.yml")["services"]
    assert set(services) == set(SERVICES)
    for name in SERVICES:
        env = services[name]["environment"]
        url, partitions = env["REDIS_URL"], int(_default(env["STREAM_PARTITIONS"]))
        assert {host for host, _port in parse_cluster_url(url).nodes} == set(NODES)
        require_slot_safe(url, partitions)  # raises with N < 2 on a cluster
        depends = services[name]["depends_on"]["redis-cluster-init"]
        assert depends["condition"] == "service_completed_successfully"
