"""A service's refusal in the user's language: field errors by kind, known reasons by pattern.

The services answer in English (their API is read by programs too); a person reads this. A
reason not known here falls back to a plain sentence for its HTTP status, never to English.
"""

from __future__ import annotations

import re
from typing import Any, Final

from shared.contracts.glossary.states import STATES

# pydantic error types, as the services' 422 bodies carry them.
FIELD_TYPES: Final[dict[str, tuple[str, str]]] = {
    "missing": ("必填", "Required"),
    "string_too_short": ("不能为空", "Must not be empty"),
    "string_too_long": ("内容过长", "Too long"),
    "string_pattern_mismatch": ("格式不正确", "Wrong format"),
    "string_type": ("格式不正确", "Wrong format"),
    "float_parsing": ("请填写数字", "Enter a number"),
    "float_type": ("请填写数字", "Enter a number"),
    "int_parsing": ("请填写整数", "Enter a whole number"),
    "greater_than_equal": ("数值过小", "Too small"),
    "greater_than": ("数值过小", "Too small"),
    "less_than_equal": ("数值过大", "Too large"),
    "less_than": ("数值过大", "Too large"),
    "date_parsing": ("日期格式不正确", "Not a date"),
    "date_from_datetime_parsing": ("日期格式不正确", "Not a date"),
    "datetime_parsing": ("时间格式不正确", "Not a time"),
    "datetime_from_date_parsing": ("时间格式不正确", "Not a time"),
    "timezone_aware": ("时间须带时区", "Needs a time zone"),
    "literal_error": ("不在可选范围内", "Not one of the choices"),
    "enum": ("不在可选范围内", "Not one of the choices"),
    "url_parsing": ("链接格式不正确", "Not a link"),
    "url_scheme": ("链接格式不正确", "Not a link"),
    "too_short": ("至少填写一项", "Give at least one"),
    "too_long": ("填写项过多", "Too many"),
    "bool_parsing": ("请选择是或否", "Choose yes or no"),
    "uuid_parsing": ("编号格式不正确", "Not an id"),
    "json_invalid": ("内容格式不正确", "Malformed"),
}

# Known reasons (value errors and refusals), matched on the English text the service sent.
REASONS: Final[tuple[tuple[str, tuple[str, str]], ...]] = (
    (r"not a valid email|email address", ("邮箱格式不正确", "Not a valid e-mail address")),
    (r"String should match pattern", ("格式不正确", "Wrong format")),
    (r"17 digits and a final digit or X", ("身份证号应为18位（末位可为X）", "ID number: 18 chars")),
    (r"check digit is wrong", ("身份证号校验位不正确", "The ID number's check digit is wrong")),
    (r"birth date is not a date", ("身份证号中的出生日期不正确", "The ID number's birth date")),
    (r"oral application needs the applicant", ("口头申请须经申请人确认笔录", "Needs confirmation")),
    (r"at least one respondent", ("至少填写一个被申请人", "Name at least one respondent")),
    (r"unknown dispute type", ("请选择纠纷类型", "Choose a dispute type")),
    (r"unknown category|unknown hazard category", ("请选择隐患类别", "Choose a category")),
    (
        r"latitude and longitude go together|lat and long go together",
        ("经度和纬度须同时填写", "Latitude and longitude go together"),
    ),
    (r"outside the jurisdiction|no jurisdiction", ("该位置不在本区范围内", "Outside the district")),
    (r"HTML is not allowed", ("不能包含网页代码", "HTML is not allowed")),
    (r"already taken", ("已被使用，请换一个", "Already taken")),
    (r"at least 10 characters", ("至少10个字符", "At least 10 characters")),
    (r"^one of ", ("不在可选范围内", "Not one of the choices")),
    (r"give a category or a location", ("请填写要更正的类别或位置", "Give what to correct")),
    (r"wrong username or password", ("用户名或密码错误", "Wrong username or password")),
    (r"dispatched to another department", ("该隐患已派给其他部门", "Another department has it")),
    (r"only the assigned mediator", ("只有承办调解员可以办理", "Only the assigned mediator")),
    (r"not merged into another ticket", ("该工单没有被合并", "This ticket is not merged")),
    (r"a finished ticket cannot be changed", ("已结案的工单不能修改", "A finished ticket")),
    (r"no active department", ("没有这个在用的部门", "No such active department")),
    (r"ends_on is before starts_on", ("结束日期早于开始日期", "Ends before it starts")),
    (r"already used for another request", ("该更新编号已被使用", "update_id already used")),
    (r"no active mediator of the roster", ("名册中没有这位在岗调解员", "No such active mediator")),
    (r"already carries the dispute", ("该调解员已在承办此案", "Already this mediator's case")),
    (r"objected to this mediator", ("当事人已申请该调解员回避", "A party objected to them")),
    (r"tied to a respondent", ("该调解员与被申请人有关联，应当回避", "Tied to a respondent")),
    (r"may not reassign", ("只有调委会可以改派调解员", "Only the committee reassigns")),
    (
        r"only a platform-worker dispute",
        ("只有平台劳动者纠纷可以延长调解期限", "Platform workers only"),
    ),
    (
        r"extended once|at most 15 days|consent",
        ("延长须经双方同意，且仅可延长一次、不超过15日", "Once, ≤15 days, both consent"),
    ),
    (
        r"takes effect only once",
        (
            "协议须经双方当事人、调解员签名并加盖调委会印章后生效",
            "Needs all signatures and the seal",
        ),
    ),
    # time order (#19): nothing recorded before it could have happened
    (
        r"held before it starts",
        ("会议开始时间未到，不能记录为已举行", "Not yet started: cannot be recorded as held"),
    ),
    (
        r"performance cannot be recorded before the agreement takes effect",
        ("调解协议生效前不能记录履行情况", "Not before the agreement takes effect"),
    ),
    (
        r"non-performance cannot be recorded before the performance deadline",
        ("履行期限届满前不能记录未履行", "Not before the performance deadline has passed"),
    ),
    (
        r"day the dispute arose is required",
        (
            "请填写争议发生日期；确实不详的，请勾选“发生日期不详”",
            "Give the day the dispute arose, or tick “unknown”",
        ),
    ),
    (
        r"arose or say it is unknown, not both",
        ("已填写发生日期的，不能同时勾选“发生日期不详”", "A date or “unknown”, not both"),
    ),
    (r"dispute cannot arise after today", ("争议发生日期不能晚于今天", "Not after today")),
    (
        r"cannot arise after the application was received",
        ("争议发生日期不能晚于申请收到日期", "Not after the application was received"),
    ),
    (
        r"cannot be received in the future",
        ("申请收到时间不能晚于现在", "The application cannot be received in the future"),
    ),
    (r"performance deadline lies in the past", ("履行期限不能早于今天", "The deadline is past")),
    (r"alert is already closed", ("该预警已处理，请刷新页面", "Already handled; reload the page")),
    (r"no duty body", ("名册中没有这个值班单位", "No such on-duty body in the roster")),
    (r"to_time is not after from_time", ("结束时间须晚于开始时间", "Ends before it starts")),
    (r"weekdays are 1", ("星期须为1（周一）至7（周日）", "Weekdays 1 to 7")),
    (r"path and body", ("年份不一致", "The years differ")),
    (r"Idempotency-Key must be", ("请求编号无效，请刷新页面后重试", "Invalid request key; reload")),
    (r"still in progress", ("相同的请求正在处理，请稍后刷新查看", "Still being processed")),
    (r"answer was lost", ("该操作已完成，请刷新查看结果", "Already done; reload to see it")),
    (r"Idempotency-Key", ("重复提交的请求与上次不同", "A different request, same key")),
    (
        r"either a complainant or the members",
        ("请填写申请人或集体争议成员（二选一）", "Applicant or members"),
    ),
    (r"elect 1 to \d+ representatives", ("请推举1至5名代表人", "Elect 1 to 5 representatives")),
    (r"ID number given twice", ("同一身份证号重复填写", "An ID number appears twice")),
    (r"already a member of this group", ("该成员已在本集体争议中", "Already a member")),
    (r"representatives are elected at filing", ("代表人在立案时推举", "Elected at filing")),
    (
        r"awaiting acceptance can be supplemented",
        (
            "只有待受理的纠纷可以补充申请材料（已受理、不予受理或已结案的不能补充）",
            "Only an application awaiting acceptance can be supplemented",
        ),
    ),
    (r"give something to supplement", ("请填写要补充的内容", "Give what to add")),
    (r"completed by adding members", ("集体争议请通过增加成员补充", "Add members instead")),
    (r"facts would exceed", ("事实与理由合计过长", "The facts would be too long")),
    (r"not a group dispute", ("该纠纷不是集体争议", "Not a group dispute")),
    (r"the group dispute is closed", ("该集体争议已结案", "The group dispute is closed")),
    (
        r"members have no line in the schedule|appears twice in the schedule",
        ("协议附表须逐一列明每名成员的金额和支付日期", "A line for every member, once"),
    ),
    (
        r"not members of this group|not a member of this group",
        ("所列人员不是本集体争议的成员", "Not a member of this group"),
    ),
    (r"payment date lies outside", ("成员支付日期须在今天至履行期限之间", "Pay date out of range")),
    (r"schedule of members belongs to a group", ("成员附表仅用于集体争议", "Groups only")),
    (r"agreement is not being performed", ("集体协议尚未进入履行阶段", "Not being performed")),
    (r"by at least one minute", ("训练时钟至少拨快一分钟", "Move the clock by a minute or more")),
    (r"may not run in production", ("生产环境不能启用训练时钟", "Not in production")),
    # the points exchange, the compound register, industry consultations (#20)
    (r"跟踪回访日期不能早于", ("跟踪回访日期不能早于规则调整生效日期", "Follow-up too early")),
    (r"须填写企业名称", ("未关联类案预警时须填写企业名称", "Name the company (no alert)")),
    (r"须填写纠纷类型", ("未关联类案预警时须填写纠纷类型", "Choose the dispute type (no alert)")),
    (r"尚未记录达成的规则调整", ("尚未记录达成的规则调整", "No agreed change recorded yet")),
    (r"协商会议日期不能晚于今天", ("协商会议日期不能晚于今天", "A meeting held after today")),
    (r"规则调整内容不能为空", ("规则调整内容不能为空", "A change must not be empty")),
    (r"the consultation is closed", ("该行业协商已结束", "The consultation is closed")),
    (r"积分不足", ("积分不足", "Not enough points")),
    (r"该奖励已兑完", ("该奖励已兑完", "None left")),
    (r"该奖励已下架", ("该奖励已下架", "Withdrawn")),
    (r"截止兑换", ("该奖励已截止兑换", "No longer offered")),
    (r"起可兑换", ("该奖励尚未开始兑换", "Not yet offered")),
    (r"截止日期早于开始日期", ("截止日期早于开始日期", "Ends before it starts")),
    (r"没有开放中的驿站", ("没有这个开放中的驿站", "No such open station")),
    (r"Idempotency-Key", ("请求缺少兑换编号，请重新提交", "The request lacks its id")),
    (
        r"provider station's own staff",
        ("只有提供该奖励的驿站工作人员才能确认领取", "Only the provider station's staff confirm"),
    ),
    (r"须填写制定日期", ("已制定出入管理规范的小区须填写制定日期", "Give the adoption date")),
    (r"不应填写制定日期", ("未制定出入管理规范的小区不应填写制定日期", "No date without adoption")),
    (r"制定日期不能晚于今天", ("制定日期不能晚于今天", "The adoption date cannot be after today")),
    (r"牵头方须为", ("牵头方须为“物业”或“居委会”", "The lead is one of the two bodies")),
    (r"名录中没有部门", ("名录中没有这个部门", "No such department in the directory")),
)

BY_STATUS: Final[dict[int, tuple[str, str]]] = {
    400: ("请求有误，请检查后重试", "The request was not understood"),
    401: ("登录已过期，请重新登录", "Please log in again"),
    403: ("您无权执行此操作", "You may not do this"),
    404: ("找不到该案件或记录", "Not found"),
    409: ("案件状态已变化，此操作不再适用", "The case has moved on; this action no longer applies"),
    413: ("文件过大", "The file is too large"),
    422: ("填写有误，请检查", "Please check the form"),
    429: ("操作过于频繁，请稍后再试", "Too many requests; try again shortly"),
}
UNAVAILABLE: Final = ("服务暂时不可用，请稍后再试", "The service is unavailable; try again shortly")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def reason(text: str, status: int, lang: str = "zh") -> str:
    """A known reason in `lang`, else the plain sentence for the status."""
    for pattern, pair in REASONS:
        if re.search(pattern, text, re.IGNORECASE):
            return _pick(pair, lang)
    return _pick(BY_STATUS.get(status, UNAVAILABLE), lang)


def _moved_on(detail: dict[str, Any], lang: str) -> str:
    """A 409 naming the current state: say where the case stands now."""
    state = str(detail.get("state", ""))
    named = _pick(STATES[state], lang) if state in STATES else ""
    base = _pick(BY_STATUS[409], lang)
    if not named:
        return base
    return f"{base}（当前状态：{named}）" if lang != "en" else f"{base} (now: {named})"


def explain(status: int, body: Any, lang: str = "zh") -> dict[str, str]:
    """{field: message} in `lang` from a service's error answer; `_` for the form as a whole."""
    found: dict[str, str] = {}
    body = body if isinstance(body, dict) else {}
    for error in body.get("errors", []):
        if not isinstance(error, dict):
            continue
        field = str(error.get("field") or "_")
        kind = str(error.get("type", ""))
        text = str(error.get("message", ""))
        if kind in FIELD_TYPES and kind != "value_error":
            found[field] = _pick(FIELD_TYPES[kind], lang)
        else:
            found[field] = reason(text, 422, lang)
    detail = body.get("detail")
    if isinstance(detail, dict) and "state" in detail:
        found.setdefault("_", _moved_on(detail, lang))
    elif isinstance(detail, dict) and "field" in detail:
        found[str(detail["field"])] = reason(str(detail.get("message", "")), status, lang)
    elif not found:
        found["_"] = reason(str(detail or ""), status, lang)
    return found
