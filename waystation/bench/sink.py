"""The benchmark's notification sink: a bare ASGI receiver that logs (case_id, arrival time)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def make_app(out: Path) -> Any:
    handle = out.open("a", buffering=1, encoding="utf-8")

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        arrived = time.time()
        try:
            case_id = json.loads(body or b"{}").get("case_id", "")
        except ValueError:
            case_id = ""
        handle.write(f"{case_id} {arrived:.6f}\n")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    return app


def main() -> None:
    import uvicorn

    out, port = Path(sys.argv[1]), int(sys.argv[2])
    uvicorn.run(make_app(out), host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
