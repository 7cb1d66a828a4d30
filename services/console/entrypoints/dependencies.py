"""What the console's pages are handed: the `Console` built once by `create_app` and kept on
`app.state`, reached through typed dependencies (no page closes over it, so every router is a
plain module-level one)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from services.console.entrypoints.pages import Console


async def console_of(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


ConsoleDep = Annotated[Console, Depends(console_of)]
