"""A rider's phone, asked of intake at the moment an SMS leaves (never kept by notify).

Notify signs in at intake with its own API key (client_credentials; a key created with
`waystation apikey create --name notify --service notify`) and reads
`GET /api/v1/parties/{party_id}/contact`. The token is kept until shortly before it expires.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import httpx


class PhoneUnavailable(Exception):
    """Intake did not answer (transient): the delivery is retried later."""


class IntakePhoneBook:
    def __init__(self, intake_url: str, client_secret: str, timeout: float = 5.0) -> None:
        self._base = intake_url.rstrip("/")
        self._secret = client_secret
        self._timeout = timeout
        self._token: str | None = None
        self._token_until = 0.0

    async def _bearer(self, client: httpx.AsyncClient, *, fresh: bool = False) -> str:
        if fresh or self._token is None or time.monotonic() >= self._token_until:
            answer = await client.post(
                f"{self._base}/api/v1/auth/token",
                data={"grant_type": "client_credentials", "client_secret": self._secret},
            )
            if answer.status_code != 200:
                raise PhoneUnavailable(f"intake refused notify's key ({answer.status_code})")
            body = answer.json()
            self._token = str(body["access_token"])
            self._token_until = time.monotonic() + max(30, int(body["expires_in"]) - 60)
        return self._token

    async def phone_of(self, party_id: str) -> str | None:
        """The party's phone, or None when intake has none (or the party is gone)."""
        url = f"{self._base}/api/v1/parties/{quote(party_id, safe='')}/contact"
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                headers = {"Authorization": f"Bearer {await self._bearer(client)}"}
                answer = await client.get(url, headers=headers)
                if answer.status_code == 401:  # expired early, or the key pair rotated
                    headers = {"Authorization": f"Bearer {await self._bearer(client, fresh=True)}"}
                    answer = await client.get(url, headers=headers)
        except httpx.HTTPError as exc:
            raise PhoneUnavailable(type(exc).__name__) from exc
        if answer.status_code == 404:
            return None
        if answer.status_code != 200:
            raise PhoneUnavailable(f"intake answered {answer.status_code}")
        phone = answer.json().get("phone")
        return str(phone) if phone else None
