"""Intake's domain errors."""


class IntakeError(Exception):
    """Base of intake's domain errors."""


class NotFound(IntakeError):
    pass


class Conflict(IntakeError):
    """The request does not fit the case's current state."""


class Forbidden(IntakeError):
    """The caller may not do this to this case."""


class OutsideServiceArea(IntakeError):
    pass


class UnknownCategory(IntakeError):
    pass


class InvalidField(IntakeError):
    """A field's value is wrong; the message says which field and why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class TooLarge(IntakeError):
    pass


class UnsupportedMedia(IntakeError):
    pass


class IdempotencyMismatch(IntakeError):
    """The Idempotency-Key was used before with a different request."""
