"""AsyncAPI documents of every service's streams, generated from the contracts and the kit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from faststream import FastStream
from faststream.redis import RedisBroker
from faststream.specification import AsyncAPI
from pydantic import create_model
from redis.asyncio import Redis

from shared.contracts.catalogue import EventSpec, produced_by
from shared.contracts.envelope import Envelope
from shared.contracts.streams import SERVICES
from shared.messaging.consumer import ConsumerConfig, IdempotentConsumer
from shared.messaging.partitions import configured_partitions, streams_of
from shared.platform.logs import quiet_logger


def event_model(spec: EventSpec) -> type[Envelope]:
    """The envelope with this event's payload model, for the document's message schema."""
    name = "".join(part.title() for part in spec.event_type.replace(".", "_").split("_"))
    return create_model(f"{name}V{spec.version}", __base__=Envelope, payload=(spec.payload, ...))


def service_document(service: str, partitions: int | None = None) -> dict[str, Any]:
    """The service's document; with N > 1 partitions, a channel per partition."""
    n = partitions or configured_partitions()
    broker = RedisBroker("redis://localhost:6379", logger=quiet_logger())
    consumer = IdempotentConsumer(
        ConsumerConfig(service=service, instance=f"{service}-1", partitions=n),
        {},
        _no_uow,
        Redis.from_url("redis://localhost:6379"),
    )
    consumer.subscribe(broker, document_readers=True)
    where = "" if n == 1 else f"; partition crc32(case_id) mod {n}"
    for stream in streams_of(service, n):
        for spec in produced_by(service):
            publisher = broker.publisher(
                stream=stream,
                title=f"{stream}:{spec.event_type}",
                description=f"{spec.summary} (producer: {service}, "
                f"schema_version {spec.version}{where})",
                schema=event_model(spec),
            )
            publisher(_document_only)
    app = FastStream(
        broker,
        specification=AsyncAPI(
            title=f"Waystation {service}",
            version="0.1.0",
            description=f"Streams {service} publishes and reads. Entries are FastStream binary "
            f"messages whose body is the Envelope JSON.",
        ),
    )
    document: dict[str, Any] = json.loads(app.schema.to_specification().to_json())
    return document


def write_all(out: Path, partitions: int | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for service in SERVICES:
        path = out / f"{service}.json"
        path.write_text(
            json.dumps(
                service_document(service, partitions), ensure_ascii=False, indent=2, sort_keys=True
            )
            + "\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def _no_uow() -> Any:
    raise RuntimeError("documentation broker never handles messages")


async def _document_only() -> None:
    """Placeholder publisher target; documentation only."""
