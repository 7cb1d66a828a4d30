"""The district's spreadsheet as CSV: headers in Chinese or English, rows read by line."""

from __future__ import annotations

from services.dispatch.adapters.district_file import load_district
from services.dispatch.adapters.station_csv import read_rows
from services.dispatch.domain.stations import StationDraft, check_station
from services.dispatch.service_layer.stations import station_id_for

ROW = "巷新驿站,驿站,赵巷镇,赵巷镇某路1号,31.1562,121.1968,每天 10:00-22:00,热水、充电 、休息,\n"


def test_chinese_headers_with_an_excel_bom_are_read_and_facilities_split_on_any_separator():
    data = ("\ufeff名称,类型,街镇,地址,纬度,经度,开放时间,设施,联系电话\n" + ROW).encode()
    rows, errors = read_rows(data)
    assert errors == []
    [row] = rows
    assert (row.line, row.draft.facilities) == (2, ["热水", "充电", "休息"])
    station = check_station(station_id_for(row.draft), row.draft, load_district())
    assert station.town == "zhaoxiang" and station.facilities == {"hot_water", "charging", "rest"}


def test_english_headers_in_gb18030_are_read_too():
    header = "name,kind,town,address,latitude,longitude,opening_hours,facilities,contact\n"
    rows, errors = read_rows((header + ROW).encode("gb18030"))
    assert errors == [] and rows[0].draft.name == "巷新驿站"


def test_a_missing_column_is_reported_on_line_one_by_its_chinese_name():
    rows, errors = read_rows("名称,类型,街镇,地址,纬度,经度\n".encode())
    assert rows == []
    assert [(e.line, e.field) for e in errors] == [(1, "opening_hours")]
    assert "开放时间" in errors[0].message


def test_blank_lines_are_skipped_and_line_numbers_stay_those_of_the_file():
    data = (
        "名称,类型,街镇,地址,纬度,经度,开放时间\n\n"
        + ROW
        + "坏行,驿站,赵巷镇,某路,abc,121.1,24小时\n"
    )
    rows, errors = read_rows(data.encode())
    assert [r.line for r in rows] == [3]
    assert [(e.line, e.field) for e in errors] == [(4, "latitude")]


def test_the_same_name_and_address_always_make_the_same_station_id():
    draft = StationDraft(
        name="巷新驿站",
        kind="驿站",
        town="赵巷镇",
        address="赵巷镇 某路1号",
        latitude=31.15,
        longitude=121.19,
        opening_hours="24小时",
    )
    spaced = draft.model_copy(update={"address": "赵巷镇某路1号 "})
    assert station_id_for(draft) == station_id_for(spaced)


def test_a_file_the_csv_reader_cannot_split_is_a_row_error_not_a_crash():
    """Found by fuzzing: a carriage return inside an unquoted field raised csv.Error (a 500)."""
    rows, errors = read_rows(b"\xf1\xb5\x96\x92\xc3\x9f4\r\xc2\x8ff\xc3\xa5")
    assert rows == []
    assert [(e.line, e.field) for e in errors] == [(1, "file")]
    assert "CSV" in errors[0].message
