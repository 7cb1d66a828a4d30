"""Where a service finds the token keys: configured files, or a development pair on disk."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from shared.platform.auth.tokens import ensure_dev_keypair
from shared.platform.settings import data_dir

PUBLIC_ENV = "WAYSTATION_JWT_PUBLIC_KEY_FILE"
PRIVATE_ENV = "WAYSTATION_JWT_PRIVATE_KEY_FILE"


class MissingKeys(RuntimeError):
    """Production without configured keys: refuse to start rather than mint throwaway ones."""


@dataclass(frozen=True)
class TokenKeys:
    public_pem: bytes
    private_pem: bytes | None = None


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
