"""Errors the kit tells apart: a permanent one is dead-lettered at once, anything else retried."""


class PermanentError(Exception):
    """The event can never be handled (malformed, unknown version): dead-letter it now."""


class RetryLater(Exception):
    """Not yet possible (e.g. an event from another stream must land first): retry shortly."""


class NotYetReadable(Exception):
    """Written by a newer producer than this consumer knows: left pending, never dead-lettered,
    for a consumer upgraded to that version (a rolling upgrade)."""
