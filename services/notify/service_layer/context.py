"""What planning needs besides the unit of work: the channels, the renderer, quiet hours, time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.notify.adapters.templates import Renderer
from services.notify.domain.quiet_hours import QuietHours
from services.notify.service_layer.recipients import ChannelConfig
from shared.platform.clock import Clock, SystemClock


@dataclass(frozen=True)
class Context:
    channels: ChannelConfig
    renderer: Renderer
    public_url: str
    quiet_hours: QuietHours
    clock: Clock = SystemClock()
    # Called once the transaction that planned deliveries commits: wakes the delivery worker,
    # which otherwise finds them at its next poll.
    on_planned: Callable[[], None] | None = None
