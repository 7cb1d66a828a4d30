"""Mediation's domain errors."""


class MediationError(Exception):
    """Base of mediation's domain errors."""


class NotFound(MediationError):
    pass


class IllegalTransition(MediationError):
    """The dispute's state does not allow this step (HTTP 409 naming the state)."""

    def __init__(self, action: str, state: str) -> None:
        super().__init__(f"cannot {action} a dispute in state {state}")
        self.action = action
        self.state = state


class NotAllowed(MediationError):
    """This role may not take this step."""


class AgainstTheRules(MediationError):
    """The law does not allow this step for this dispute, whoever asks (HTTP 409), e.g. a
    second extension, or extending a dispute that is not a platform worker's."""


class Incomplete(MediationError):
    """A step lacks what the law requires (e.g. a signature, a performance deadline)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class TooEarly(MediationError):
    """A step records something as having happened before it could have (HTTP 409 naming the
    field whose time is not yet reached), e.g. a session held before it starts."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NoMediatorAvailable(MediationError):
    pass
