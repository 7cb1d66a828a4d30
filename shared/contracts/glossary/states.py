"""Where a case stands, in words: case states, legal clocks, sessions, deliveries, alerts."""

from __future__ import annotations

from typing import Final

# One word per state, whichever service owns it (the case registry shows them all).
STATES: Final[dict[str, tuple[str, str]]] = {
    # disputes (mediation)
    "registered": ("已登记", "Registered"),
    "acceptance_review": ("受理审查中", "Under acceptance review"),
    "rejected": ("不予受理", "Not accepted"),
    "respondent_declined": ("被申请人拒绝调解", "Respondent declined mediation"),
    "accepted": ("已受理", "Accepted"),
    "assigned": ("已指派调解员", "Mediator assigned"),
    "in_mediation": ("调解中", "In mediation"),
    "waiting_party": ("等待当事人", "Waiting for a party"),
    "agreement_signed": ("已签订调解协议", "Agreement signed"),
    "failed": ("调解不成", "Mediation failed"),
    "expired_no_agreement": ("期满未达成协议", "Expired without agreement"),
    "withdrawn": ("已撤回", "Withdrawn"),
    "performance_monitoring": ("协议履行中", "Performance being monitored"),
    "performed": ("已履行", "Performed"),
    "non_performance": ("未履行", "Not performed"),
    "referred_to_arbitration": ("已告知申请仲裁", "Referred to arbitration"),
    "merged": ("已合并", "Merged"),
    "group_member": ("集体争议成员（随集体案件办理）", "Group member (follows the group's case)"),
    # hazards (dispatch); "filed" is also the registry's first state of any case
    "filed": ("已提交", "Filed"),
    "triaged": ("已分拣", "Triaged"),
    "dispatched": ("已派单", "Dispatched"),
    "acknowledged": ("已签收", "Acknowledged"),
    "in_progress": ("处置中", "In progress"),
    "resolved": ("已办结，待报告人确认", "Resolved, awaiting the reporter"),
    "confirmed_fixed": ("报告人确认已修好", "Confirmed fixed"),
    "reported_not_fixed": ("报告人反馈未修好", "Reported not fixed"),
    "reopened": ("已重新派单", "Reopened"),
    "duplicate": ("重复报告（随原工单处理）", "Duplicate (follows the first report)"),
    "not_responsible": ("待重新分派", "Awaiting another department"),
    "cancelled": ("已撤销", "Cancelled"),
    # both
    "closed": ("已结案", "Closed"),
}

CLOCKS: Final[dict[str, tuple[str, str]]] = {
    "acceptance_target": ("受理审查时限（3个工作日）", "Acceptance review (3 working days)"),
    "mediation_limit": ("调解期限（15日）", "Mediation limit (15 days)"),
    "mediation_target": ("调解工作目标", "Mediation target"),
    "judicial_confirmation": ("申请司法确认期限（30日）", "Judicial confirmation (30 days)"),
    "arbitration_review": ("仲裁审查期限", "Arbitration review"),
    "performance": ("协议履行期限", "Performance deadline"),
    "arbitration_limitation": ("劳动仲裁时效（1年）", "Arbitration limitation (1 year)"),
    # hazards (dispatch's service targets)
    "acknowledge": ("签收时限", "Acknowledge target"),
    "resolve": ("办结时限", "Resolve target"),
}

CLOCK_STATUSES: Final[dict[str, tuple[str, str]]] = {
    "open": ("计时中", "Running"),
    "paused": ("暂停", "Paused"),
    "stopped": ("已停止", "Stopped"),
    "expired": ("已届满", "Expired"),
}

SESSION_STATUSES: Final[dict[str, tuple[str, str]]] = {
    "scheduled": ("已安排", "Scheduled"),
    "held": ("已召开", "Held"),
    "cancelled": ("已取消", "Cancelled"),
    "rescheduled": ("已改期", "Rescheduled"),
}

DELIVERY_STATUSES: Final[dict[str, tuple[str, str]]] = {
    "queued": ("待发送", "Queued"),
    "sending": ("发送中", "Sending"),
    "sent": ("已送达", "Sent"),
    "failed": ("发送失败，将重试", "Failed, will retry"),
    "dead": ("发送失败", "Undeliverable"),
    "skipped": ("未发送（无联系方式）", "Skipped (no contact)"),
    "suppressed": ("已免打扰", "Suppressed"),
}

ALERT_STATUSES: Final[dict[str, tuple[str, str]]] = {
    "open": ("待处理", "Open"),
    "closed": ("已处理", "Handled"),
}

URGENCY: Final[dict[str, tuple[str, str]]] = {
    "low": ("一般", "Low"),
    "normal": ("普通", "Normal"),
    "high": ("紧急", "High"),
    "critical": ("特急", "Critical"),
}

# How a dispute's application reached the committee (its clocks run from receipt).
RECEIVED_VIA: Final[dict[str, tuple[str, str]]] = {
    "in_person": ("当面递交", "handed in"),
    "post": ("邮寄", "by post"),
    "oral": ("口头申请", "orally"),
    "phone": ("电话", "by phone"),
    "referral": ("其他机关转来", "referred by another body"),
}
