import pytest

from shared.platform.masking import mask_optional, mask_personal
from tests.pii_corpus import SAMPLES, corpus_text, leaks


@pytest.mark.parametrize(("typed", "core"), SAMPLES)
def test_each_kind_of_personal_data_is_masked_however_it_is_typed(typed: str, core: str) -> None:
    shown = mask_personal(f"请联系 {typed} 谢谢")
    assert leaks(shown) == [], shown
    assert shown.startswith("请联系 ") and shown.endswith(" 谢谢")


def test_the_whole_corpus_in_one_note_comes_back_with_nothing_personal() -> None:
    assert leaks(mask_personal(corpus_text())) == []


def test_the_riders_answer_of_the_issue_is_masked() -> None:
    note = "还没修好，联系我13912345678，身份证11010519491231002X"
    assert mask_personal(note) == "还没修好，联系我139****5678，身份证110105********002X"


def test_masks_keep_what_helps_a_person_recognise_their_own_data() -> None:
    assert mask_personal("13912345678") == "139****5678"
    assert mask_personal("021-61234567") == "021****4567"
    assert mask_personal("6222 0212 3456 7890 123") == "6222 **** **** 0123"
    assert mask_personal("zhang.san@qq.com") == "z***@qq.com"
    assert mask_personal("沪A12345") == "沪A***45"


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-05 14:30 已派单至赵巷镇道路管理所",
        "欠薪 8600 元，共 3 个月",
        "坐标 31.150512,121.123456789",
        "查询码 ABCD-2345，工单 42",
        "青浦区华新镇华志路 1888 弄 12 号",
        "京Abcdef 是一个词",
    ],
)
def test_ordinary_text_dates_amounts_and_addresses_are_left_alone(text: str) -> None:
    assert mask_personal(text) == text


def test_nothing_in_nothing_out() -> None:
    assert mask_personal("") == ""
    assert mask_optional(None) is None


def test_a_landline_is_read_with_the_words_right_before_it_however_far_into_the_text() -> None:
    dates = "2026年12月7日 10:30 报告，2026年12月7日 10:31 派送。" * 4
    assert mask_personal(f"{dates}座机 6123456") == f"{dates}座机 ****3456"
    assert mask_personal(f"电话 {dates}6123456") == f"电话 {dates}6123456"  # words too far back
