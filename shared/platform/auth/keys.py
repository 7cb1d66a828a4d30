"""Where a service finds the token keys: configured files, or a development pair on disk."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from shared.platform.auth.tokens import (
    LEEWAY,
    InvalidToken,
    Principal,
    ensure_dev_keypair,
    verify,
)
from shared.platform.settings import data_dir

PUBLIC_ENV = "WAYSTATION_JWT_PUBLIC_KEY_FILE"
PRIVATE_ENV = "WAYSTATION_JWT_PRIVATE_KEY_FILE"


class MissingKeys(RuntimeError):
    """Production without configured keys: refuse to start rather than mint throwaway ones."""


# Distinct tokens whose signature is remembered as checked (a few per signed-in caller).
_REMEMBERED = 1024


@dataclass(frozen=True)
class TokenKeys:
    """The keys, and the tokens already verified with them.

    A caller sends the same token with every request for its lifetime; its signature and
    claims cannot change, so they are checked once and only the expiry again at each use (a
    token is never revoked before it expires)."""

    public_pem: bytes
    private_pem: bytes | None = None
    _verified: dict[str, Principal] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @cached_property
    def public_key(self) -> Ed25519PublicKey:
        """The public key loaded once, not parsed from PEM at every verification."""
        try:
            key = load_pem_public_key(self.public_pem)
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise InvalidToken(f"the token public key cannot be read: {exc}") from exc
        if not isinstance(key, Ed25519PublicKey):
            raise InvalidToken("the token public key is not an Ed25519 key")
        return key

    def verify(self, token: str) -> Principal:
        """The token's Principal (InvalidToken if it is not ours or has expired)."""
        principal = self._verified.get(token)
        if principal is None:
            principal = verify(self.public_key, token)
            if len(self._verified) >= _REMEMBERED:
                self._verified.clear()
            self._verified[token] = principal
        elif principal.expires_at <= time.time() - LEEWAY:
            raise InvalidToken("Signature has expired")
        return principal


def load_keys(environment: str, *, signer: bool = False) -> TokenKeys:
    """The public key (and the private one for the signer, intake); fail fast in production."""
    public = os.environ.get(PUBLIC_ENV, "")
    private = os.environ.get(PRIVATE_ENV, "") if signer else ""
    if not public or (signer and not private):
        if environment == "production":
            names = PUBLIC_ENV + (f" and {PRIVATE_ENV}" if signer else "")
            raise MissingKeys(f"{names} must name the token key files in production")
        dev_private, dev_public = ensure_dev_keypair(data_dir() / "keys")
        public = public or str(dev_public)
        private = (private or str(dev_private)) if signer else ""
    return TokenKeys(Path(public).read_bytes(), Path(private).read_bytes() if signer else None)
