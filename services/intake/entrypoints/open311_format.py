"""GeoReport v2 encodings: XML (required) and JSON (the spec's "Spark" mapping of the XML).

Lists are bare JSON arrays; in XML a list is a plural element of singular children, e.g.
<service_requests><request>...</request></service_requests>. Ids and codes go out as strings,
datetimes as W3C/ISO 8601 with the +08:00 offset of Asia/Shanghai.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from fastapi.responses import Response

from shared.platform.masking import mask_personal

XML = "text/xml; charset=utf-8"
JSON = "application/json; charset=utf-8"
LOCAL = ZoneInfo("Asia/Shanghai")

# plural element -> its children's name (for lists nested inside an item)
_CHILD = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def when(at: datetime | None) -> str | None:
    """A timezone-carrying timestamp, in the district's local offset."""
    if at is None:
        return None
    return at.astimezone(LOCAL).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: ET.Element, tag: str, value: Any) -> None:
    node = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(node, key, inner)
    elif isinstance(value, list):
        child = _CHILD.get(tag, "item")
        for inner in value:
            _fill(node, child, inner)
    else:
        node.text = _text(value)


def xml_bytes(root: str, item: str | None, data: Any) -> bytes:
    """`data` is a list of dicts (rendered as <root><item>..</item></root>) or one dict."""
    top = ET.Element(root)
    if item is None:
        for key, value in data.items():
            _fill(top, key, value)
    else:
        for entry in data:
            _fill(top, item, entry)
    body: bytes = ET.tostring(top, encoding="utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body


def render(fmt: str, root: str, item: str | None, data: Any, status_code: int = 200) -> Response:
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False).encode()
        return Response(body, status_code=status_code, media_type=JSON)
    return Response(xml_bytes(root, item, data), status_code=status_code, media_type=XML)


def errors(fmt: str, status_code: int, description: str) -> Response:
    """The spec's error body: always a list of {code, description} (an echoed value masked)."""
    body = [{"code": status_code, "description": mask_personal(description)}]
    return render(fmt, "errors", "error", body, status_code)
