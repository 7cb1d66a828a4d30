"""Asks mediation, with the caller's own token, whether a mediator may read a dispute.

The committee grants a mediator other than the assigned one the right to read a dispute
(mediation's grants); intake does not keep those grants, so it asks: mediation answering the
dispute to that caller is the permission. Any failure (mediation down, slow, 4xx) is a no.
"""

from __future__ import annotations

import uuid

import httpx
import structlog

log = structlog.get_logger(__name__)


class MediationAccess:
    def __init__(self, base_url: str, timeout: float = 3.0) -> None:
        self._base = base_url.rstrip("/")
        self._timeout = timeout

    async def may_read(self, case_id: uuid.UUID, token: str) -> bool:
        url = f"{self._base}/api/v1/disputes/{case_id}"
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                answer = await client.get(url, headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError as exc:
            log.warning("mediation_access_unanswered", error=type(exc).__name__)
            return False
        return answer.status_code == 200
