"""Personal data at rest: AES-GCM ciphertext, plus a keyed hash (HMAC-SHA256) for lookups.

Two separate keys: the hash key lets an officer find a complainant by ID number without
decrypting anyone; the encryption key is needed only to show the number to those allowed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = "v1"


class PiiCipher:
    def __init__(self, encryption_key: bytes, hash_key: bytes) -> None:
        if len(encryption_key) != 32 or len(hash_key) < 32:
            raise ValueError("PII keys must be 32 bytes (base64 of 32 random bytes)")
        self._aead = AESGCM(encryption_key)
        self._hash_key = hash_key

    def encrypt(self, plaintext: str, context: str) -> str:
        """`v1:<nonce+ciphertext, base64>`; `context` (e.g. a party id) binds it to its row."""
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, context: str) -> str:
        version, _, data = token.partition(":")
        if version != _VERSION:
            raise ValueError(f"unknown ciphertext version {version!r}")
        raw = base64.b64decode(data)
        return self._aead.decrypt(raw[:12], raw[12:], context.encode()).decode()

    def lookup_hash(self, value: str) -> str:
        """The keyed hash an equal value always has (hex), useless without the hash key."""
        return hmac.new(self._hash_key, value.encode(), hashlib.sha256).hexdigest()


def decode_key(text: str) -> bytes:
    return base64.b64decode(text.strip(), validate=True)


def development_keys(folder: Path) -> tuple[bytes, bytes]:
    """Keys kept in `<data>/intake-pii.key` (created on first use) for development and tests."""
    path = folder / "intake-pii.key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        lines = [base64.b64encode(secrets.token_bytes(32)).decode() for _ in range(2)]
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n")
        tmp.chmod(0o600)
        tmp.replace(path)
    enc, hashed = path.read_text().split()[:2]
    return decode_key(enc), decode_key(hashed)
