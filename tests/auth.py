"""Test credentials: one key pair for the whole run, and signed tokens for any role.

Importing this module (tests/conftest.py does) points WAYSTATION_JWT_*_KEY_FILE at the pair,
so in-process apps and the services the e2e and chaos harnesses start (they inherit the
environment) all verify with it; intake signs with it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from shared.contracts.envelope import Actor
from shared.platform.auth.keys import PRIVATE_ENV, PUBLIC_ENV
from shared.platform.auth.tokens import generate_keypair, issue

_FOLDER = Path(tempfile.mkdtemp(prefix="waystation-test-keys-"))
PRIVATE_PEM, PUBLIC_PEM = generate_keypair()
(_FOLDER / "private.pem").write_bytes(PRIVATE_PEM)
(_FOLDER / "public.pem").write_bytes(PUBLIC_PEM)
os.environ[PRIVATE_ENV] = str(_FOLDER / "private.pem")
os.environ[PUBLIC_ENV] = str(_FOLDER / "public.pem")


def token(role: str, actor_id: str | None = None, ttl_seconds: int = 4 * 3600) -> str:
    actor = Actor.model_validate({"role": role, "id": actor_id or role})
    return issue(PRIVATE_PEM, actor, user_id=f"test-{role}-{actor.id}", ttl_seconds=ttl_seconds)


def auth_headers(role: str, actor_id: str | None = None) -> dict[str, str]:
    """Authorization headers of a caller acting as `role` with `actor_id` (default: the role)."""
    return {"Authorization": f"Bearer {token(role, actor_id)}"}


# What the placeholder used to assume for a caller without headers: the desk officer.
OFFICER = auth_headers("intake_officer", "officer-1")
