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
