"""A party's choice of channels: opt-out and channel choice bow to critical notices."""

from __future__ import annotations

from dataclasses import dataclass

# The inbox is the party's own record in the app: it never interrupts anyone, so it is kept
# even for a party who opted out; opt-out and channel choice govern the outgoing channels.
INBOX = "inapp"
CHANNEL_KINDS = ("email", "sms", "webhook", "dingtalk", "wecom", "feishu")


@dataclass(frozen=True)
class ChannelChoice:
    opted_out: bool = False
    channels: frozenset[str] | None = None  # None: every channel the party can be reached on


def channel_kind(channel: str) -> str:
    """'webhook-2' -> 'webhook' (a party may have several targets of one kind)."""
    return channel.split("-", 1)[0]


def select_channels(available: list[str], choice: ChannelChoice, *, critical: bool) -> list[str]:
    """The channels to use for one message; critical notices use every available channel."""
    if critical:
        return list(available)
    if choice.opted_out:
        return [c for c in available if c == INBOX]
    if choice.channels is None:
        return list(available)
    return [c for c in available if c == INBOX or channel_kind(c) in choice.channels]
