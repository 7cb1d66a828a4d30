"""Intake's event subscriptions: every other service's events feed the projection."""

from __future__ import annotations

from services.intake.service_layer.projection import project
from shared.contracts.catalogue import CATALOGUE
from shared.messaging.consumer import Handler


def handlers() -> dict[str, Handler]:
    """Intake projects every catalogued event it does not produce itself."""
    return {name: project for name, spec in CATALOGUE.items() if spec.producer != "intake"}
