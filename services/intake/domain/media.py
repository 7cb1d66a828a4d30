"""Attachments: which types are accepted, recognised by their first bytes, not by their name."""

from __future__ import annotations

ALLOWED = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}
IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})


def sniff(head: bytes) -> str | None:
    """The media type of a file from its magic number, or None if it is not an allowed type."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None
