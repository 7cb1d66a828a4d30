"""What a supervisor's pages show of a hazard: the chain of escalations, worded with the
directory's names (shared by the supervision queue and the case page)."""

from __future__ import annotations

from typing import Any

from services.console.entrypoints.backends import ServiceError
from services.console.entrypoints.pages import Console
from services.console.entrypoints.session import Caller


async def directory_names(console: Console, who: Caller) -> dict[str, str]:
    """Department and supervisor ids → their names in the directory (the chain names them)."""
    rows = await console.backends.get(
        who, "dispatch", "/api/v1/directory/departments", include_inactive="true"
    )
    return {r["department_id"]: r["name"] for r in rows}


async def is_supervisor(console: Console, who: Caller) -> bool:
    """Is the signed-in department a supervisor of the escalation chain?"""
    path = f"/api/v1/directory/departments/{who.principal.actor.id}"
    try:
        entry = await console.backends.get(who, "dispatch", path)
    except ServiceError:
        return False
    supervisor = bool(entry.get("kind") == "supervisor")
    console.supervisors[who.principal.actor.id] = supervisor  # the menu follows the answer
    return supervisor


def chain(hazard: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Who missed what: each escalation with the department, the target and its due time."""
    return [
        {
            "department": names.get(e.get("department_id") or "", "")
            or hazard.get("department_name")
            or "",
            "target": e["target"],
            "due_at": e["due_at"],
            "at": e["at"],
            "level": e["level"],
            "to": names.get(e["escalated_to"], ""),
        }
        for e in hazard.get("escalations", [])
    ]


async def supervising(console: Console, who: Caller, view: dict[str, Any]) -> dict[str, Any]:
    """On the case page: is the caller the hazard's supervisor rather than its department?"""
    hazard = view.get("hazard") or {}
    if who.role != "department" or not hazard:
        return {}
    if hazard.get("department_id") == who.principal.actor.id or hazard.get("involvement"):
        return {"supervising": False}  # its own, or a compound's report it supports (配合处理)
    return {"supervising": True, "chain": chain(hazard, await directory_names(console, who))}
