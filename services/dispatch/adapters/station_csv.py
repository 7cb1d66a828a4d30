"""The district's station spreadsheet (CSV with a header, Chinese or English column names)."""

from __future__ import annotations

import csv
import io
import re

from pydantic import ValidationError

from services.dispatch.domain.stations import ImportRow, RowError, StationDraft

COLUMNS = {
    "station_id": ("station_id", "编号"),
    "name": ("name", "名称"),
    "kind": ("kind", "类型"),
    "town": ("town", "街镇"),
    "address": ("address", "地址"),
    "latitude": ("latitude", "纬度"),
    "longitude": ("longitude", "经度"),
    "opening_hours": ("opening_hours", "开放时间"),
    "facilities": ("facilities", "设施"),
    "contact": ("contact", "联系电话"),
    "generated": ("generated", "演示生成"),
}
REQUIRED = ("name", "kind", "town", "address", "latitude", "longitude", "opening_hours")
FIELD_NAMES = {field: names[1] for field, names in COLUMNS.items()}
YES = {"是", "yes", "true", "1", "y"}


def decode(data: bytes) -> str:
    """UTF-8 (with or without Excel's BOM), else GB18030 (Chinese Excel's own export)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _header(names: list[str]) -> tuple[dict[str, int], list[RowError]]:
    where: dict[str, int] = {}
    for i, name in enumerate(n.strip().lower() for n in names):
        for field, accepted in COLUMNS.items():
            if name in accepted:
                where[field] = i
    missing = [f for f in REQUIRED if f not in where]
    errors = [RowError(1, f, f"表头缺少“{FIELD_NAMES[f]}”列") for f in missing]
    return where, errors


def _draft(line: int, cells: list[str], where: dict[str, int]) -> ImportRow | RowError:
    def cell(field: str) -> str:
        i = where.get(field)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    values: dict[str, object] = {f: cell(f) for f in REQUIRED}
    for coordinate in ("latitude", "longitude"):
        try:
            values[coordinate] = float(cell(coordinate))
        except ValueError:
            return RowError(
                line, coordinate, f"{FIELD_NAMES[coordinate]}“{cell(coordinate)}”不是数字"
            )
    values["facilities"] = [f for f in re.split(r"[、,，;；|/\s]+", cell("facilities")) if f]
    values["contact"] = cell("contact")
    values["generated"] = cell("generated").lower() in YES
    try:
        draft = StationDraft.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "row"
        return RowError(line, field, f"{FIELD_NAMES.get(field, field)}：缺失或过长")
    return ImportRow(line=line, station_id=cell("station_id") or None, draft=draft)


def read_rows(data: bytes) -> tuple[list[ImportRow], list[RowError]]:
    """Every data row (line numbers as a spreadsheet shows them, the header is line 1)."""
    try:
        text = decode(data)
    except UnicodeDecodeError:
        return [], [RowError(1, "file", "文件编码无法识别（请存为 UTF-8 或 GB18030 的 CSV）")]
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        if header is None:
            return [], [RowError(1, "file", "文件为空")]
        where, errors = _header(header)
        if errors:
            return [], errors
        rows: list[ImportRow] = []
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            parsed = _draft(line, cells, where)
            if isinstance(parsed, RowError):
                errors.append(parsed)
            else:
                rows.append(parsed)
    except csv.Error:  # e.g. a lone carriage return inside a field (was a 500)
        return [], [RowError(reader.line_num or 1, "file", "文件不是有效的 CSV（请另存为 CSV）")]
    return rows, errors
