"""Photos and documents of a case: checked, stored by content hash, announced."""

from __future__ import annotations

import uuid

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from services.intake.adapters import repository
from services.intake.adapters.blobs import BlobStore
from services.intake.adapters.tables import Attachment, Case
from services.intake.domain.case import Case as CaseAggregate
from services.intake.domain.errors import NotFound, TooLarge, UnsupportedMedia
from services.intake.domain.media import ALLOWED, sniff
from services.intake.service_layer.case_repository import cases_in, settle
from shared.contracts.envelope import Actor
from shared.messaging.uow import UnitOfWork
from shared.platform.clock import Clock


def check(data: bytes, max_bytes: int) -> str:
    """The file's real media type; TooLarge or UnsupportedMedia otherwise."""
    if len(data) > max_bytes:
        raise TooLarge(f"the file is larger than {max_bytes // (1024 * 1024)} MB")
    media_type = sniff(data[:16])
    if media_type is None:
        raise UnsupportedMedia(f"only {', '.join(ALLOWED)} files are accepted")
    return media_type


async def attach(
    case: Case | CaseAggregate,
    data: bytes,
    filename: str,
    uow: UnitOfWork,
    actor: Actor,
    store: BlobStore,
    clock: Clock,
    max_bytes: int,
) -> Attachment:
    """Store the bytes (deduplicated by hash) and record the attachment once per case."""
    media_type = check(data, max_bytes)
    digest = store.put(data)
    existing = (
        await uow.session.exec(
            select(Attachment).where(Attachment.case_id == case.id, Attachment.sha256 == digest)
        )
    ).first()
    if existing is not None:
        return existing
    row = Attachment(
        id=uuid.uuid4().hex,
        case_id=case.id,
        sha256=digest,
        media_type=media_type,
        size_bytes=len(data),
        filename=filename[:200],
        uploaded_by=actor.role,
        created_at=clock.now(),
    )
    uow.session.add(row)
    cases = cases_in(uow)
    found = await cases.get(case.id)
    if found is None:  # the route loaded and locked it in this transaction
        raise NotFound(str(case.id))
    found.attachment_added(row.id, media_type, len(data), digest, actor)
    await settle(uow, cases, found, clock.now())
    return row


async def attachments_of(session: AsyncSession, case_ids: list[uuid.UUID]) -> list[Attachment]:
    if not case_ids:
        return []
    stmt = (
        select(Attachment)
        .where(col(Attachment.case_id).in_(case_ids))
        .order_by(col(Attachment.created_at))
    )
    return list((await session.exec(stmt)).all())


async def attachment_of_case(
    session: AsyncSession, case_id: uuid.UUID, attachment_id: str
) -> Attachment:
    row = await session.get(Attachment, attachment_id)
    if row is None or row.case_id != case_id:
        raise NotFound(attachment_id)
    return row


async def case_for_upload(uow: UnitOfWork, case_id: uuid.UUID) -> Case:
    case = await repository.get_case(uow.session, case_id, lock=True)
    if case is None:
        raise NotFound(str(case_id))
    return case
