"""Intake's domain errors."""


class IntakeError(Exception):
    """Base of intake's domain errors."""


class NotFound(IntakeError):
    pass


class Conflict(IntakeError):
    """The request does not fit the case's current state."""


class OutsideServiceArea(IntakeError):
    pass


class UnknownCategory(IntakeError):
    pass
