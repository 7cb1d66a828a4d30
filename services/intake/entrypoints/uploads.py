"""Upload and download of attachments over HTTP (size read with a limit, type by magic bytes)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from services.intake.adapters.blobs import BlobStore
from services.intake.service_layer import attachments
from services.intake.service_layer.views import AttachmentRead
from shared.platform.clock import Clock

_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    sha256: str


class Uploads:
    """Where attachments are kept and how large one may be (the routes hand both to
    `attachments.attach`), and how a stored one is served."""

    def __init__(self, store: BlobStore, max_bytes: int, clock: Clock) -> None:
        self.store, self.max_bytes, self.clock = store, max_bytes, clock

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

    def serve(self, row: AttachmentRead) -> Response:
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
