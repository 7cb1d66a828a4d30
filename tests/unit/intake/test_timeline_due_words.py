"""A hazard's target warning on the timeline names its due time as people in Shanghai write it."""

from __future__ import annotations

from services.intake.domain.timeline import describe


def test_a_target_warning_names_the_due_time_in_shanghai_never_as_an_iso_stamp():
    zh, en = describe(
        "hazard.target_warning",
        {"state": "acknowledged", "target": "resolve", "due_at": "2026-12-06T00:13:59.620782Z"},
    )
    assert zh == "处置时限即将到期（2026年12月6日 08:13）"
    assert en == "The service target is about to pass (6 Dec 2026, 08:13)"


def test_an_attachment_is_named_as_a_photo_or_a_pdf_never_by_its_media_type():
    assert describe("case.attachment_added", {"media_type": "image/png"}) == (
        "已上传附件（照片）",
        "An attachment was added (a photo)",
    )
    assert describe("case.attachment_added", {"media_type": "application/pdf"})[0] == (
        "已上传附件（PDF 文件）"
    )


def test_a_merge_names_its_distance_in_whole_metres():
    zh, en = describe("case.merged", {"distance_m": 77.84})
    assert zh.startswith("约 78 米外") and "78 m away" in en
