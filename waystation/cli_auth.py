"""How a reading CLI command signs in to a service.

Either as an operator account (`--username`, the password from `WAYSTATION_PASSWORD` or a
prompt), logged in at intake like the console does; or, on the host that holds intake's
signing key, with a local admin credential: a short-lived admin token signed with that key
(`WAYSTATION_JWT_PRIVATE_KEY_FILE`, else the development key under the data folder). The
services record such reads in their audit log as admin `cli`.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import httpx

from shared.contracts.envelope import Actor
from shared.platform.auth.keys import PRIVATE_ENV
from shared.platform.auth.tokens import issue
from shared.platform.settings import data_dir

PASSWORD_ENV = "WAYSTATION_PASSWORD"
LOCAL_TTL_SECONDS = 300


class NoCredential(RuntimeError):
    """Neither an account nor the local signing key: say how to sign in."""


def _private_key() -> bytes:
    configured = os.environ.get(PRIVATE_ENV, "")
    path = Path(configured) if configured else data_dir() / "keys" / "jwt-private.pem"
    if not path.is_file():
        raise NoCredential(
            f"no signing key at {path}: log in with --username (password from {PASSWORD_ENV} "
            f"or a prompt), or run on intake's host (or set {PRIVATE_ENV})"
        )
    return path.read_bytes()


def local_admin_token() -> str:
    """A five-minute admin token signed with intake's key, for this host's operator."""
    who = getpass.getuser()
    actor = Actor(role="admin", id="cli")
    key = _private_key()
    return issue(key, actor, user_id=f"cli:{who}", name=who, ttl_seconds=LOCAL_TTL_SECONDS)


def login(intake_url: str, username: str, password: str | None = None) -> str:
    """An operator's access token from intake's login."""
    secret = password or os.environ.get(PASSWORD_ENV) or getpass.getpass(f"{username} 密码: ")
    answer = httpx.post(
        f"{intake_url}/api/v1/auth/token",
        data={"username": username, "password": secret},
        timeout=10,
    )
    if answer.status_code == 401:
        raise NoCredential("用户名或密码错误 wrong username or password")
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def auth_headers(intake_url: str, username: str | None) -> dict[str, str]:
    token = login(intake_url, username) if username else local_admin_token()
    return {"Authorization": f"Bearer {token}"}
