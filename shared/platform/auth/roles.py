"""The roles a person or a machine client can act in (never `system`)."""

from __future__ import annotations

from typing import get_args

from shared.contracts.envelope import Role

ROLES = frozenset(get_args(Role)) - {"system"}
