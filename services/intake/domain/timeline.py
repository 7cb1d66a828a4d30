"""Timeline entries in plain words, zh-CN and en, from any service's event."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from services.intake.domain.receipt import local_words
from shared.contracts.glossary import (
    calendar_missing_words,
    moved_words,
    term,
    written_date,
    written_time,
)
from shared.contracts.glossary.states import RECEIVED_VIA

# event_type -> (zh-CN, en); {placeholders} come from the payload (and the derived words below)
_TEXT: dict[str, tuple[str, str]] = {
    # intake
    "case.filed": ("已登记受理，查询码 {tracking_code}", "Filed; tracking code {tracking_code}"),
    "case.filed#duplicate": (
        "已登记受理，查询码 {tracking_code}；附近已有同类工单在处理，本报告已并入跟进",
        "Filed; tracking code {tracking_code}. An open report of the same problem nearby is"
        " being handled; this report now follows it",
    ),
    "case.corrected": (
        "工作人员更正了工单信息（类别 {category}，属地 {jurisdiction}），已重新分拣",
        "An officer corrected the ticket (category {category}, area {jurisdiction});"
        " it was triaged again",
    ),
    "case.merged": (
        "约 {distance_m} 米外的重复报告已并入本工单，其报告人将一同收到进展",
        "A duplicate report {distance_m} m away was merged in;"
        " its reporter now follows this ticket",
    ),
    "case.unmerged": (
        "工作人员撤销了错误的合并，本工单将单独处理",
        "An officer undid a wrong merge; this ticket is handled on its own",
    ),
    "case.attachment_added": (
        "已上传附件（{media_zh}）",
        "An attachment was added ({media_en})",
    ),
    "dispute.supplemented": (
        "工作人员补充了申请材料：{fields_zh}",
        "An officer supplemented the application: {fields_en}",
    ),
    "department.update_posted": (
        "责任部门业务系统发来进展：{note}",
        "The department's system posted an update: {note}",
    ),
    # never on a case's timeline (intake does not project its own events); the words say so
    "rider.code_requested": ("报告人申请了登录验证码", "The reporter asked for a sign-in code"),
    "reporter.confirmed_fixed": ("报告人确认已修好", "The reporter confirmed it is fixed"),
    "reporter.reported_not_fixed": ("报告人反馈尚未修好", "The reporter said it is not fixed"),
    # mediation
    "dispute.registered": (
        "调解委员会已登记该纠纷",
        "The mediation committee registered the dispute",
    ),
    "dispute.accepted": ("调解委员会已受理该纠纷", "The committee accepted the dispute"),
    "dispute.rejected": (
        "调解委员会不予受理：{reason}",
        "The committee did not accept it: {reason}",
    ),
    "dispute.respondent_declined": (
        "被申请人拒绝调解，可依法申请劳动仲裁",
        "The respondent refused mediation; arbitration remains open",
    ),
    "mediator.assigned": (
        "已指派调解员 {mediator_name}（{duty_body}）",
        "Mediator {mediator_name} ({duty_body}) assigned",
    ),
    "mediator.reassigned": (
        "调解员已更换为 {mediator_name}（{duty_body}）",
        "The mediator is now {mediator_name} ({duty_body})",
    ),
    "session.scheduled": (
        "已安排调解会议：{starts_at} {place}",
        "A mediation session was scheduled: {starts_at} {place}",
    ),
    "session.rescheduled": (
        "调解会议改期：原定 {previous_starts_at}，改为 {starts_at} {place}；原因：{reason}",
        "The mediation session was moved from {previous_starts_at} to {starts_at} {place};"
        " reason: {reason}",
    ),
    "session.held": ("调解会议已召开", "A mediation session was held"),
    "session.reminder": ("已提醒各方参加调解会议", "The parties were reminded of the session"),
    "mediation.started": ("调解已开始", "Mediation started"),
    "mediation.resumed": ("调解已恢复", "Mediation resumed"),
    "dispute.waiting_party": (
        "等待{waiting_on_zh}答复或补充材料",
        "Waiting for the {waiting_on} to answer or send documents",
    ),
    "mediation.extended": (
        "经双方同意，调解期限延长至 {new_limit_on}",
        "With both parties' consent the mediation limit was extended to {new_limit_on}",
    ),
    "mediation.failed": (
        "调解未达成协议，可申请劳动仲裁",
        "Mediation ended without agreement; you may apply for arbitration",
    ),
    "mediation.expired": (
        "调解期限届满未达成协议，可申请劳动仲裁",
        "The mediation limit passed without agreement; you may apply for arbitration",
    ),
    "dispute.withdrawn": ("申请人已撤回调解申请", "The applicant withdrew the application"),
    "agreement.signed": (
        "调解协议已签署生效，履行期限 {performance_deadline}",
        "Mediation agreement signed; perform by {performance_deadline}",
    ),
    "performance.performed": ("协议已履行", "The agreement was performed"),
    "performance.not_performed": (
        "协议未按期履行，可申请仲裁",
        "The agreement was not performed; arbitration is open",
    ),
    "dispute.referred_to_arbitration": (
        "已转入劳动仲裁途径",
        "Referred to labour arbitration",
    ),
    "deadline.warning": (
        "期限提醒：{clock_zh}将于 {due_on} 到期（剩余 {days_left} 天）",
        "Reminder: the {clock_en} runs out on {due_on} ({days_left} days left)",
    ),
    "deadline.expired": (
        "期限已届满：{clock_zh}（{due_on}）",
        "Time is up: the {clock_en} ({due_on})",
    ),
    "pattern.alert": (
        "规律预警：{company} 在 {window_days} 天内有 {count} 件同类纠纷",
        "Pattern alert: {company} has {count} similar disputes within {window_days} days",
    ),
    "consultation.opened": (
        "已就 {company} 的同类纠纷开启行业协商",
        "An industry consultation with {company} was opened",
    ),
    "consultation.session_recorded": (
        "行业协商会议已召开（{place}）",
        "An industry consultation meeting was held ({place})",
    ),
    "consultation.agreed": (
        "{company} 同意调整规则，自 {effective_on} 起生效",
        "{company} agreed a rule change, effective {effective_on}",
    ),
    "dispute.group_linked": ("已并入群体纠纷统一调解", "Joined a group dispute"),
    "dispute.group_notice#accepted": (
        "您所在的集体争议已受理，由推举的代表参加调解",
        "Your group dispute was accepted; the elected representatives attend mediation",
    ),
    "dispute.group_notice#agreement_signed": (
        "集体调解协议已生效：您的款项 {amount_zh}，支付期限 {due_on}",
        "The group agreement took effect: your amount {amount_en}, to be paid by {due_on}",
    ),
    "dispute.group_notice#ended": (
        "集体调解未达成协议，您可依法申请劳动仲裁",
        "The group mediation ended without agreement; you may apply for arbitration",
    ),
    "dispute.group_notice#closed": ("集体争议已结案", "The group dispute was closed"),
    "dispute.member_performance#performed": (
        "您的款项已按协议支付（{amount_zh}）",
        "Your amount was paid as agreed ({amount_en})",
    ),
    "dispute.member_performance#not_performed": (
        "您的款项未按协议支付，可依法申请仲裁或支付令",
        "Your amount was not paid as agreed; arbitration or a payment order is open",
    ),
    "roster.published": ("值班表已更新", "The duty roster was updated"),
    "station.suggested#legal_help": (
        "就近的法律服务：{name}（{address}），约 {distance_zh}，步行约 {walk_minutes} 分钟、"
        "电动车约 {ebike_minutes} 分钟{duty_zh}",
        "Nearest legal help: {name} ({address}), about {distance_en}, {walk_minutes} min on foot, "
        "{ebike_minutes} min by e-bike{duty_en}",
    ),
    "station.suggested#open_station": (
        "就近开放的阵地：{name}（{address}），约 {distance_zh}，步行约 {walk_minutes} 分钟、"
        "电动车约 {ebike_minutes} 分钟",
        "Nearest open station: {name} ({address}), about {distance_en}, {walk_minutes} min on "
        "foot, {ebike_minutes} min by e-bike",
    ),
    "dispute.closed": ("纠纷已结案", "The dispute was closed"),
    # dispatch
    "hazard.dispatched": ("已派单至 {department_name}", "Dispatched to {department_name}"),
    "hazard.withdrawn": (
        "工单已从 {department_name} 撤回，重新分派",
        "The ticket was taken back from {department_name} to be routed again",
    ),
    "hazard.acknowledged": ("责任部门已接单", "The department acknowledged it"),
    "hazard.progress_noted": ("处置进展：{note}", "Progress: {note}"),
    "hazard.declined": (
        "责任部门反馈不属其职责（{reason}），正在重新派单",
        "The department said it is not theirs ({reason}); it is being re-routed",
    ),
    "hazard.target_warning": (
        "处置时限即将到期（{due_at}）",
        "The service target is about to pass ({due_at})",
    ),
    "hazard.escalated": (
        "已超过处置时限，升级督办（第 {level} 级）",
        "The service target passed; escalated (level {level})",
    ),
    "hazard.urged": ("上级督办：{note}", "A supervisor pressed the department: {note}"),
    "hazard.resolved": ("责任部门已处置：{note}", "The department resolved it: {note}"),
    "hazard.confirmed_fixed": ("已确认修复", "Fix confirmed"),
    "hazard.reopened": ("工单已重新打开：{note}", "The ticket was reopened: {note}"),
    "hazard.marked_duplicate": (
        "与附近已有工单重复，随原工单一并处理",
        "A duplicate of a nearby open ticket; handled with it",
    ),
    "hazard.cancelled": ("工单已撤销：{reason}", "The ticket was cancelled: {reason}"),
    "hazard.closed": ("工单已办结", "The ticket was closed"),
    "points.credited": (
        "报告人获得贡献积分 {points} 分（累计 {balance} 分）",
        "The reporter earned {points} contribution points ({balance} in all)",
    ),
    "points.redeemed": (
        "报告人用 {points} 积分兑换了“{reward_name}”（剩余 {balance} 分）",
        'The reporter spent {points} points on "{reward_name}" ({balance} left)',
    ),
    "reward.handed_over": (
        "兑换的“{reward_name}”已在{station_name}领取",
        '"{reward_name}" was handed over at {station_name}',
    ),
    "compound.report_linked": (
        "已关联小区“{compound_name}”（该小区此前另有 {earlier_reports} 件报告），并告知另一责任方",
        'Linked to the compound "{compound_name}" ({earlier_reports} earlier reports); '
        "the other body was told",
    ),
    # notify
    "notification.delivered": ("已通知相关方（{channel_zh}）", "Party notified ({channel_en})"),
    "notification.failed": ("通知发送失败（{channel_zh}）", "Notification failed ({channel_en})"),
}

_CLOCKS: dict[str, tuple[str, str]] = {
    "mediation_limit": ("调解期限", "mediation limit"),
    "judicial_confirmation": ("司法确认申请期限", "judicial confirmation window"),
    "arbitration_review": ("仲裁审查期限", "arbitration review window"),
    "performance": ("协议履行期限", "performance deadline"),
    "arbitration_limitation": ("仲裁时效", "arbitration limitation period"),
    "acceptance_target": ("受理时限", "acceptance target"),
}
_PARTIES = {"complainant": "申请人", "respondent": "被申请人"}
_MEDIA = {
    "image/": ("照片", "a photo"),
    "application/pdf": ("PDF 文件", "a PDF"),
    "other": ("文件", "a file"),
}
SHANGHAI = ZoneInfo("Asia/Shanghai")


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def known_types() -> frozenset[str]:
    return frozenset(k.split("#")[0] for k in _TEXT)


def describe(event_type: str, payload: dict[str, Any]) -> tuple[str, str]:
    """Plain-words (zh, en) for a timeline entry; unknown events fall back to their type."""
    key = event_type
    if event_type == "case.filed" and payload.get("duplicate_of"):
        key = "case.filed#duplicate"
    if event_type == "station.suggested":
        key = f"station.suggested#{payload.get('purpose', 'open_station')}"
    if event_type == "dispute.group_notice":
        key = f"dispute.group_notice#{payload.get('stage', 'accepted')}"
    if event_type == "dispute.member_performance":
        key = "dispute.member_performance#" + (
            "performed" if payload.get("performed") else "not_performed"
        )
    zh, en = _TEXT.get(key, (event_type, event_type))
    values = _Blank(payload)
    clock = _CLOCKS.get(str(payload.get("clock", "")))
    if clock:
        values["clock_zh"], values["clock_en"] = clock
    values["waiting_on_zh"] = _PARTIES.get(str(payload.get("waiting_on", "")), "当事人")
    channel = str(payload.get("channel", ""))
    values["channel_zh"] = term("channel", channel, "zh") if channel else "—"
    values["channel_en"] = term("channel", channel, "en") if channel else "—"
    if event_type == "station.suggested":
        values.update(station_words(payload))
    if event_type == "dispute.supplemented":
        values.update(supplement_words(payload))
    zh = zh.format_map(_worded(values, payload, "zh")).rstrip("： ")
    en = en.format_map(_worded(values, payload, "en")).rstrip(": ")
    if event_type == "case.filed":
        late = _received_late(payload.get("dispute"))
        if late:
            zh, en = f"{zh}；{late[0]}", f"{en}. {late[1]}"
    for lang_zh, lang_en in _period_notes(payload):
        zh, en = f"{zh}；{lang_zh}", f"{en}; {lang_en}"
    return zh, en


def _period_notes(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """A period's end moved off a rest day or holiday (art. 203): '顺延至…（原末日…逢国庆节假期）';
    and a year counted Monday to Friday because its arrangement is not loaded."""
    due = payload.get("due_on") or payload.get("new_limit_on")
    nominal = payload.get("nominal_due_on") or payload.get("nominal_limit_on")
    reason = payload.get("moved_because")
    if payload.get("performance_due_on"):  # an agreement whose agreed day is a day off
        due, nominal = payload["performance_due_on"], payload.get("performance_deadline")
        reason = payload.get("performance_moved_because")
    if not due:
        return []
    notes = []
    if reason and nominal:
        notes.append(
            (
                moved_words(str(due), str(nominal), str(reason)),
                moved_words(str(due), str(nominal), str(reason), "en"),
            )
        )
    if payload.get("calendar_missing"):
        source = f"weekend-fallback:{str(due)[:4]}"
        notes.append((calendar_missing_words(source), calendar_missing_words(source, "en")))
    return notes


def _worded(values: _Blank, payload: dict[str, Any], lang: str) -> _Blank:
    """Codes, times and dates of the payload as a person reads them, in `lang`."""
    out = _Blank(values)
    for key in ("starts_at", "previous_starts_at", "due_at"):  # a session's, a target's
        if payload.get(key):
            out[key] = written_time(str(payload[key]), lang)
    if payload.get("amount_yuan") is not None:
        amount = float(payload["amount_yuan"])
        out["amount_zh"] = f"{amount:,.2f} 元"
        out["amount_en"] = f"CNY {amount:,.2f}"
    for key in ("new_limit_on", "performance_deadline", "due_on", "effective_on"):
        if payload.get(key):
            out[key] = written_date(str(payload[key]), lang)
    if isinstance(payload.get("distance_m"), float):  # "约 78 米", not "约 77.8 米"
        out["distance_m"] = round(payload["distance_m"])
    if payload.get("media_type"):  # a photo, a PDF: never the MIME type
        media = str(payload["media_type"])
        kind = _MEDIA.get(media) or (_MEDIA["image/"] if media.startswith("image/") else None)
        out["media_zh"], out["media_en"] = kind or _MEDIA["other"]
    if payload.get("category"):
        out["category"] = term("category", str(payload["category"]), lang)
    if payload.get("jurisdiction"):
        out["jurisdiction"] = term("town", str(payload["jurisdiction"]), lang)
    return out


def _received_late(dispute: Any) -> tuple[str, str] | None:
    """'申请于 2026年12月3日 14:05 由 王某 当面递交收到' for an application entered late."""
    if not isinstance(dispute, dict) or not dispute.get("received_by"):
        return None
    try:
        at = datetime.fromisoformat(str(dispute.get("received_at")))
    except ValueError:
        return None
    zh_at, en_at = local_words(at)
    via_zh, via_en = RECEIVED_VIA.get(str(dispute.get("received_via")), ("", ""))
    by = str(dispute["received_by"])
    return (
        f"申请于 {zh_at} 由 {by} 收到（{via_zh}），期限自该日起算",
        f"The application was received {via_en} by {by} on {en_at}; its clocks run from then",
    )


# What an application was supplemented with, in words (never the values: an ID number).
_SUPPLEMENTED = {
    "claim": ("请求事项", "the claim"),
    "claim_amount_yuan": ("请求金额", "the amount claimed"),
    "facts": ("事实与理由", "facts"),
    "desired_outcome": ("期望的结果", "the desired outcome"),
    "id_number": ("申请人身份证号", "the applicant's ID number"),
    "respondents": ("被申请人信息", "the respondents"),
    "workplace_address": ("工作地点", "the workplace"),
    "latitude": ("工作地点位置", "the workplace's location"),
    "preferred_station_id": ("希望的调解地点", "the preferred session place"),
}


def supplement_words(payload: dict[str, Any]) -> dict[str, str]:
    named = [_SUPPLEMENTED[f] for f in payload.get("fields", []) if f in _SUPPLEMENTED]
    return {
        "fields_zh": "、".join(zh for zh, _ in named) or "申请材料",
        "fields_en": ", ".join(en for _, en in named) or "the application",
    }


def station_words(payload: dict[str, Any]) -> dict[str, str]:
    """Distance and the next duty in words, in Shanghai time (never a raw timestamp)."""
    metres = int(payload.get("distance_m") or 0)
    far = f"{metres / 1000:.1f} 公里" if metres >= 1000 else f"{metres} 米"
    words = {
        "distance_zh": far,
        "distance_en": f"{metres / 1000:.1f} km",
        "duty_zh": "",
        "duty_en": "",
    }
    starts, ends = payload.get("duty_starts"), payload.get("duty_ends")
    if isinstance(starts, str) and isinstance(ends, str):
        begin = datetime.fromisoformat(starts).astimezone(SHANGHAI)
        end = datetime.fromisoformat(ends).astimezone(SHANGHAI)
        day = "一二三四五六日"[begin.weekday()]
        body = payload.get("duty_body_kind") or "值班单位"
        words["duty_zh"] = (
            f"；{body}值班：{begin.month}月{begin.day}日（周{day}）{begin:%H:%M}–{end:%H:%M}"
        )
        words["duty_en"] = f"; on duty {begin:%a %d %b %H:%M}–{end:%H:%M}"
    return words


def is_newer(current_at: Any, candidate_at: Any) -> bool:
    """Events may arrive out of order across streams: only a newer one moves the status."""
    return current_at is None or candidate_at >= current_at
