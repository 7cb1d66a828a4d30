"""Dispatch's domain errors."""


class DispatchError(Exception):
    """Base of dispatch's domain errors."""


class NotFound(DispatchError):
    pass


class IllegalTransition(DispatchError):
    def __init__(self, action: str, state: str) -> None:
        super().__init__(f"cannot {action} a hazard in state {state}")
        self.action = action
        self.state = state


class NotAllowed(DispatchError):
    pass


class NoDepartment(DispatchError):
    """No department covers this category here: the ticket goes back to triage."""


class InvalidDirectory(DispatchError):
    """A directory change that would leave it inconsistent (unknown escalation target, loop)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class InvalidStation(DispatchError):
    """A station (or a row of an import) that cannot be kept: the field and why, in Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class DuplicateStation(InvalidStation):
    """Another station has the same name and address."""


class ImportRejected(DispatchError):
    """An import with bad rows: nothing of it is stored; `errors` are (line, field, message)."""

    def __init__(self, errors: list[tuple[int, str, str]]) -> None:
        super().__init__(f"{len(errors)} rows rejected")
        self.errors = errors


class InvalidEntry(DispatchError):
    """A reward, redemption or compound that cannot be kept: the field and why, in Chinese."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class Refused(DispatchError):
    """A well-formed request the current state refuses (409): `reason` is a code for the
    glossary, the message says it in Chinese."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class HazardBusy(Exception):
    """Someone is changing the hazard right now; the timer stays due for the next round."""
