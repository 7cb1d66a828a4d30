"""Errors the kit tells apart: a permanent one is dead-lettered at once, anything else retried."""


class PermanentError(Exception):
    """The event can never be handled (malformed, unknown version): dead-letter it now."""


class RetryLater(Exception):
    """Not yet possible (e.g. an event from another stream must land first): retry shortly."""
