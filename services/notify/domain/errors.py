"""Notify's domain errors."""

from shared.messaging.errors import RetryLater


class NotifyError(Exception):
    """Base of notify's errors."""


class CaseNotYetKnown(NotifyError, RetryLater):
    """An event about a case whose filing has not reached notify yet: retried later."""


class NotYourParty(NotifyError):
    """A caller asked for another party's preferences, inbox or deliveries."""


class NotAnOperator(NotifyError):
    """Only the committee and operators see the delivery log of a case."""
