"""Upload and download of attachments over HTTP (size read with a limit, type by magic bytes)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from services.intake.adapters.blobs import BlobStore
from services.intake.adapters.tables import Attachment, Case
from services.intake.domain.media import IMAGES
from services.intake.service_layer import attachments
from shared.clock import Clock
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork
from shared.runtime import ServiceRuntime

_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    sha256: str


class Uploads:
    def __init__(
        self, runtime: ServiceRuntime, store: BlobStore, max_bytes: int, clock: Clock
    ) -> None:
        self.runtime, self.store, self.max_bytes, self.clock = runtime, store, max_bytes, clock

    async def read(self, upload: Any) -> Upload | None:
        """The uploaded file's bytes, refused (TooLarge/UnsupportedMedia) as soon as it is."""
        if not isinstance(upload, UploadFile):
            return None
        chunks: list[bytes] = []
        size = 0
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            chunks.append(chunk)
            if size > self.max_bytes:
                break
        data = b"".join(chunks)
        attachments.check(data, self.max_bytes)
        return Upload(data, upload.filename or "", hashlib.sha256(data).hexdigest())

    async def attach(self, case: Case, upload: Upload, uow: UnitOfWork, actor: Actor) -> Attachment:
        return await attachments.attach(
            case, upload.data, upload.filename, uow, actor, self.store, self.clock, self.max_bytes
        )

    def serve(self, row: Attachment) -> Response:
        try:
            data = self.store.read(row.sha256)
        except FileNotFoundError as exc:
            raise HTTPException(404, "the file is missing from the store") from exc
        return Response(
            data,
            media_type=row.media_type,
            headers={
                "Cache-Control": "private, max-age=3600",
                "X-Content-Type-Options": "nosniff",
                "Content-Disposition": "inline",
            },
        )

    async def public_photo(self, attachment_id: str) -> Response:
        """A hazard's photo (public like the Open311 request); anything else is not found."""
        async with self.runtime.sessions() as session:
            row = await session.get(Attachment, attachment_id[:32])
            case = await session.get(Case, row.case_id) if row else None
        if row is None or case is None or case.kind != "hazard" or row.media_type not in IMAGES:
            raise HTTPException(404, "no such photo")
        return self.serve(row)
