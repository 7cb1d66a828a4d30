"""Every route an app serves, hidden ones included (FastAPI ≥ 0.160 nests included routers)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route


def all_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the app serves, hidden ones included, without HEAD and mounts.

    `app.routes` no longer lists an included router's routes (they sit in an `_IncludedRouter`
    until a request walks it), so the routes are taken from where FastAPI flattens them.
    """
    from fastapi.routing import _iter_routes_with_context  # where FastAPI flattens routers

    found = {
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    }
    for route, context in _iter_routes_with_context(app.routes):
        if isinstance(route, Mount):
            continue
        if context is not None:
            methods, path = context.methods, context.path
        elif isinstance(route, APIRoute | Route):
            methods, path = route.methods or set(), route.path
        else:
            continue
        found |= {(m, path) for m in methods if m != "HEAD"}
    return found
