"""Who is calling: the seam where authentication plugs in.

Until token authentication lands (SPEC §9), callers name themselves with the `X-Actor-Role`
and `X-Actor-Id` headers. Every route takes its actor from here, so replacing this one
dependency with token verification secures every route at once.
"""

from __future__ import annotations

from typing import Annotated, get_args

from fastapi import Header, HTTPException

from shared.contracts.envelope import Actor, Role

ROLES = frozenset(get_args(Role))


def actor_from_headers(
    x_actor_role: Annotated[str | None, Header(max_length=40)] = None,
    x_actor_id: Annotated[str | None, Header(max_length=100)] = None,
) -> Actor:
    role = x_actor_role or "intake_officer"
    if role not in ROLES or role == "system":
        raise HTTPException(403, f"unknown role {role!r}")
    return Actor(role=role, id=x_actor_id or role)
