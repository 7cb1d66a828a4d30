"""Partition naming: N = 1 keeps today's key names; N > 1 hash-tags a partition's keys into one
cluster slot; a case's partition is stable."""

from __future__ import annotations

import uuid

import pytest
from redis.crc import key_slot

from services.intake.config import IntakeSettings
from shared.contracts.streams import all_group_pairs
from shared.messaging.partitions import (
    base_of,
    dead_letter_index,
    dead_letter_stream,
    group_pairs,
    partition_index,
    partition_of,
    partition_stream,
    stream_for_case,
    streams_of,
    streams_read_by,
)
from waystation.operations import replay_stream


def crc16_slot(key: str) -> int:
    """Redis Cluster's HASH_SLOT, written out from the cluster spec (CRC16-XMODEM mod 16384)."""
    raw = key.encode()
    start = raw.find(b"{")
    if start != -1:
        end = raw.find(b"}", start + 1)
        if end > start + 1:
            raw = raw[start + 1 : end]
    crc = 0
    for byte in raw:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc % 16384


def test_one_partition_keeps_every_key_name_of_today() -> None:
    assert streams_of("intake", 1) == ["waystation.intake"]
    assert stream_for_case("waystation.intake", uuid.uuid4(), 1) == "waystation.intake"
    assert dead_letter_stream("waystation.intake") == "waystation.intake.dlq"
    assert dead_letter_index("waystation.intake") == "waystation.intake.dlq.index"
    assert group_pairs(1) == all_group_pairs()
    assert streams_read_by("mediation", 1) == [("intake", "waystation.intake")]


def test_partitions_are_hash_tagged_and_name_their_base() -> None:
    names = streams_of("dispatch", 4)
    assert names == [f"{{waystation.dispatch.{p}}}" for p in range(4)]
    assert {base_of(n) for n in names} == {"waystation.dispatch"}
    assert [partition_index(n) for n in names] == [0, 1, 2, 3]
    assert partition_index("waystation.dispatch") == 0
    assert base_of("waystation.dispatch") == "waystation.dispatch"
    assert dead_letter_stream(names[2]) == "{waystation.dispatch.2}.dlq"
    # every group reads every partition of every stream it follows
    pairs = group_pairs(4)
    assert len(pairs) == 4 * len(all_group_pairs())
    assert ("{waystation.intake.3}", "notify") in pairs
    with pytest.raises(ValueError):
        partition_stream("waystation.intake", 4, 4)
    with pytest.raises(ValueError):
        partition_of(uuid.uuid4(), 0)


@pytest.mark.parametrize("service", ["intake", "mediation", "dispatch", "notify"])
def test_a_partitions_stream_dead_letters_and_index_share_one_slot(service: str) -> None:
    slots = set()
    for stream in streams_of(service, 8):
        keys = [stream, dead_letter_stream(stream), dead_letter_index(stream)]
        assert {key_slot(k.encode()) for k in keys} == {crc16_slot(stream)}
        slots.add(crc16_slot(stream))
    assert len(slots) == 8  # the partitions themselves spread over different slots


def test_a_case_always_lands_on_the_same_partition() -> None:
    case = uuid.UUID("0b7d6a0e-1c1e-4a8e-9b0a-3f7d2c9e8a11")
    # fixed values: the hash must never change between versions (crc32 of the canonical text)
    assert partition_of(case, 4) == partition_of(str(case).upper(), 4) == 0
    assert partition_of(uuid.UUID(int=1), 4) == 3
    assert stream_for_case("waystation.intake", case, 4) == "{waystation.intake.0}"
    spread = [partition_of(uuid.uuid4(), 4) for _ in range(2000)]
    assert all(spread.count(p) > 350 for p in range(4))  # roughly even


def test_stream_partitions_setting_defaults_to_one_and_reads_the_shared_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STREAM_PARTITIONS", raising=False)
    monkeypatch.delenv("INTAKE_STREAM_PARTITIONS", raising=False)
    assert IntakeSettings().stream_partitions == 1
    monkeypatch.setenv("STREAM_PARTITIONS", "4")
    assert IntakeSettings().stream_partitions == 4
    assert IntakeSettings(stream_partitions=2).stream_partitions == 2


def test_a_dead_letter_is_replayed_on_its_cases_partition_under_todays_n() -> None:
    case = uuid.UUID(int=1)  # partition 3 of 4
    headers = f'{{"case_id": "{case}", "event_type": "case.filed"}}'
    assert replay_stream("waystation.intake", headers, 4) == "{waystation.intake.3}"
    assert replay_stream("{waystation.intake.3}", headers, 1) == "waystation.intake"
    # poison without a case id: its own stream while it is read, else partition 0
    assert replay_stream("{waystation.intake.3}", "{}", 4) == "{waystation.intake.3}"
    assert replay_stream("waystation.intake", "not json", 4) == "{waystation.intake.0}"
