"""Stream partitions: the name of every Redis key a stream owns, and which case goes where.

`STREAM_PARTITIONS` (N, default 1) splits each producer's stream. With N = 1 every key keeps
the name it always had (`waystation.intake`, `waystation.intake.dlq`,
`waystation.intake.dlq.index`), so nothing moves on an upgrade. With N > 1 partition p of a
producer's stream is `{waystation.intake.p}`: the braces are a Redis Cluster hash tag, and
the partition's dead letters (`{waystation.intake.p}.dlq`) and their index
(`{waystation.intake.p}.dlq.index`) hash on the same tag, so a Lua script or a MULTI that
touches them together stays within one slot.

A case's partition is crc32(case id) mod N, chosen by the outbox relay when it publishes (not
when the row commits): rows committed before N changed still land on a partition that is
read. Changing N on a running system: drain, then switch (docs/scaling.md).
"""

from __future__ import annotations

import uuid
import zlib

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.contracts.streams import SUBSCRIPTIONS, stream_of

MAX_PARTITIONS = 256


class PartitionSettings(BaseSettings):
    """The one un-prefixed knob every process of a deployment must agree on."""

    model_config = SettingsConfigDict(extra="ignore", env_file=None)

    stream_partitions: int = Field(default=1, ge=1, le=MAX_PARTITIONS)


def configured_partitions() -> int:
    """N from the environment (`STREAM_PARTITIONS`), read when called, never at import."""
    return PartitionSettings().stream_partitions


def _check(partitions: int) -> None:
    if not 1 <= partitions <= MAX_PARTITIONS:
        raise ValueError(f"stream partitions must be 1..{MAX_PARTITIONS}, not {partitions}")


def partition_of(case_id: uuid.UUID | str, partitions: int) -> int:
    """The case's partition: stable across processes, restarts and Python versions."""
    _check(partitions)
    return zlib.crc32(str(case_id).lower().encode()) % partitions


def partition_stream(base: str, partition: int, partitions: int) -> str:
    """Partition `partition` of the stream named `base` (`base` itself when N = 1)."""
    _check(partitions)
    if not 0 <= partition < partitions:
        raise ValueError(f"partition {partition} outside 0..{partitions - 1}")
    return base if partitions == 1 else f"{{{base}.{partition}}}"


def stream_for_case(base: str, case_id: uuid.UUID | str, partitions: int) -> str:
    return partition_stream(base, partition_of(case_id, partitions), partitions)


def partitions_of(base: str, partitions: int) -> list[str]:
    """Every partition of the stream named `base`, in partition order."""
    return [partition_stream(base, p, partitions) for p in range(partitions)]


def streams_of(service: str, partitions: int) -> list[str]:
    """Every partition of the stream a service publishes to."""
    return partitions_of(stream_of(service), partitions)


def _parse(stream: str) -> tuple[str, int]:
    if stream.startswith("{") and stream.endswith("}"):
        head, _dot, tail = stream[1:-1].rpartition(".")
        if head and tail.isdigit():
            return head, int(tail)
    return stream, 0


def base_of(stream: str) -> str:
    """The unpartitioned name of a partition (`{waystation.intake.2}` -> `waystation.intake`)."""
    return _parse(stream)[0]


def partition_index(stream: str) -> int:
    """Which partition a stream name is (`{waystation.intake.2}` -> 2; unpartitioned: 0)."""
    return _parse(stream)[1]


def dead_letter_stream(stream: str) -> str:
    """Where a partition's poison goes; same hash tag, so same slot, as the partition."""
    return f"{stream}.dlq"


def dead_letter_index(stream: str) -> str:
    """Hash (group:entry_id -> dead-letter id) that makes dead-lettering idempotent."""
    return f"{dead_letter_stream(stream)}.index"


def streams_read_by(service: str, partitions: int) -> list[tuple[str, str]]:
    """(producer, stream partition) for every partition of every stream a service reads."""
    return [
        (producer, stream)
        for producer in SUBSCRIPTIONS[service]
        for stream in streams_of(producer, partitions)
    ]


def group_pairs(partitions: int) -> list[tuple[str, str]]:
    """Every (stream partition, group) pair of the topology."""
    return [
        (stream, consumer)
        for consumer in SUBSCRIPTIONS
        for _producer, stream in streams_read_by(consumer, partitions)
    ]
