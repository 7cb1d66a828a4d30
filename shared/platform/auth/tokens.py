"""Access tokens: EdDSA-signed JWTs. Intake (the identity owner) signs; every service verifies.

Claims: `sub` (the user's id), `role` and `actor_id` (together the `Actor` every route acts
for: a department user's actor_id is the department_id, a mediator's the mediator_id, a
respondent's `org-<credit code>`, a runner's party id), `name`, `iat`, `exp`, `iss`, `aud`.
Only the holder of the private key can mint a token; the services need the public key only.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.contracts.envelope import Actor

ISSUER = "waystation"
AUDIENCE = "waystation-services"
ALGORITHM = "EdDSA"
# Seconds of clock skew between services a token's times are read with.
LEEWAY = 10


class InvalidToken(Exception):
    """Missing, malformed, expired, or not signed by our key."""


@dataclass(frozen=True)
class Principal:
    actor: Actor
    user_id: str
    name: str
    expires_at: int


def generate_keypair() -> tuple[bytes, bytes]:
    """(private PEM, public PEM) of a new Ed25519 key."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public


def ensure_dev_keypair(folder: Path) -> tuple[Path, Path]:
    """A key pair under the data folder for development (never used when keys are configured)."""
    folder.mkdir(parents=True, exist_ok=True)
    private, public = folder / "jwt-private.pem", folder / "jwt-public.pem"
    if not private.exists() or not public.exists():
        priv, pub = generate_keypair()
        private.write_bytes(priv)
        private.chmod(0o600)
        public.write_bytes(pub)
    return private, public


def issue(
    private_pem: bytes, actor: Actor, *, user_id: str, name: str = "", ttl_seconds: int = 900
) -> str:
    now = int(time.time())
    claims = {
        "sub": user_id,
        "role": actor.role,
        "actor_id": actor.id,
        "name": name,
        "iat": now,
        "exp": now + ttl_seconds,
        "iss": ISSUER,
        "aud": AUDIENCE,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, private_pem, algorithm=ALGORITHM)


def verify(public_key: bytes | Ed25519PublicKey, token: str, *, leeway: int = LEEWAY) -> Principal:
    """The token's Principal; `public_key` is the PEM or, cheaper per call, the loaded key."""
    try:
        claims = jwt.decode(
            token,
            public_key,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=ISSUER,
            leeway=leeway,
            options={"require": ["exp", "iat", "sub", "iss", "aud"]},
        )
        actor = Actor(role=claims["role"], id=claims["actor_id"])
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise InvalidToken(str(exc)) from exc
    return Principal(actor, str(claims["sub"]), str(claims.get("name", "")), int(claims["exp"]))
