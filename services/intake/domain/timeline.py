"""Timeline entries in plain words, zh-CN and en, from any service's event."""

from __future__ import annotations

from typing import Any

# event_type -> (zh-CN, en); {placeholders} come from the payload
_TEXT: dict[str, tuple[str, str]] = {
    "case.filed": ("已登记受理，查询码 {tracking_code}", "Filed; tracking code {tracking_code}"),
    "reporter.confirmed_fixed": ("报告人确认已修好", "The reporter confirmed it is fixed"),
    "reporter.reported_not_fixed": ("报告人反馈尚未修好", "The reporter said it is not fixed"),
    "dispute.registered": (
        "调解委员会已登记该纠纷",
        "The mediation committee registered the dispute",
    ),
    "mediator.assigned": (
        "已指派调解员 {mediator_name}（{duty_body}）",
        "Mediator {mediator_name} ({duty_body}) assigned",
    ),
    "agreement.signed": (
        "调解协议已签署生效，履行期限 {performance_deadline}",
        "Mediation agreement signed; perform by {performance_deadline}",
    ),
    "performance.performed": ("协议已履行", "The agreement was performed"),
    "dispute.closed": ("纠纷已结案", "The dispute was closed"),
    "hazard.dispatched": ("已派单至 {department_name}", "Dispatched to {department_name}"),
    "hazard.acknowledged": ("责任部门已接单", "The department acknowledged it"),
    "hazard.resolved": ("责任部门已处置：{note}", "The department resolved it: {note}"),
    "hazard.confirmed_fixed": ("已确认修复", "Fix confirmed"),
    "hazard.closed": ("工单已办结", "The ticket was closed"),
    "notification.delivered": ("已通知相关方（{channel}）", "Party notified ({channel})"),
    "notification.failed": ("通知发送失败（{channel}）", "Notification failed ({channel})"),
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def describe(event_type: str, payload: dict[str, Any]) -> tuple[str, str]:
    """Plain-words (zh, en) for a timeline entry; unknown events fall back to their type."""
    zh, en = _TEXT.get(event_type, (event_type, event_type))
    values = _Blank(payload)
    return zh.format_map(values), en.format_map(values)


def is_newer(current_at: Any, candidate_at: Any) -> bool:
    """Events may arrive out of order across streams: only a newer one moves the status."""
    return current_at is None or candidate_at >= current_at
