"""Stream names and who consumes them: one stream per producer, one group per consumer."""

from __future__ import annotations

from typing import Final

PREFIX: Final = "waystation"
SERVICES: Final = ("intake", "mediation", "dispatch", "notify")


def stream_of(service: str) -> str:
    """The stream a service publishes to."""
    return f"{PREFIX}.{service}"


# Operator alerts (dead letters, stopped subscribers): informational, so it may be trimmed.
ALERTS_STREAM: Final = f"{PREFIX}.alerts"


# consumer service -> producer services it reads
SUBSCRIPTIONS: Final[dict[str, tuple[str, ...]]] = {
    "intake": ("mediation", "dispatch", "notify"),
    "mediation": ("intake",),
    "dispatch": ("intake", "mediation"),  # mediation: the roster's station duty
    "notify": ("intake", "mediation", "dispatch"),
}


def groups_reading(producer: str) -> list[str]:
    """The consumer groups that read a producer's stream (each named after its service)."""
    return [consumer for consumer, sources in SUBSCRIPTIONS.items() if producer in sources]


def all_group_pairs() -> list[tuple[str, str]]:
    """Every (stream, group) pair of the topology."""
    return [
        (stream_of(producer), consumer)
        for consumer, producers in SUBSCRIPTIONS.items()
        for producer in producers
    ]
