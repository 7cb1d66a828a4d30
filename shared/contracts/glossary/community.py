"""Words of the points exchange, the compound register and industry consultations (#20)."""

from __future__ import annotations

from typing import Final

REDEMPTION_STATES: Final[dict[str, tuple[str, str]]] = {
    "reserved": ("已兑换，待领取", "Redeemed, to collect"),
    "handed_over": ("已领取", "Handed over"),
}

# Why a redemption was refused (dispatch's 409 `reason`).
EXCHANGE_REFUSALS: Final[dict[str, tuple[str, str]]] = {
    "out_of_stock": ("该奖励已兑完", "None left"),
    "not_enough_points": ("积分不足", "Not enough points"),
    "reward_withdrawn": ("该奖励已下架", "Withdrawn"),
    "reward_not_yet_valid": ("尚未开始兑换", "Not yet open"),
    "reward_expired": ("已截止兑换", "No longer offered"),
    "request_key_reused": ("该请求编号已用于另一项兑换", "Request id used for another reward"),
    "reward_exists": ("奖励编号已存在", "Reward id taken"),
    "compound_exists": ("小区编号已存在", "Compound id taken"),
}

COMPOUND_LEADS: Final[dict[str, tuple[str, str]]] = {
    "property_office": ("物业牵头", "Property office leads"),
    "residents_committee": ("居委会牵头", "Residents' committee leads"),
}

MATCHED_BY: Final[dict[str, tuple[str, str]]] = {
    "name": ("按小区名称关联", "By the compound's name"),
    "location": ("按位置关联", "By location"),
}

CONSULTATION_STATUSES: Final[dict[str, tuple[str, str]]] = {
    "open": ("协商中", "In consultation"),
    "agreed": ("已达成规则调整，跟踪中", "Change agreed, following up"),
    "closed": ("已结束", "Closed"),
}

CONSULTATION_OUTCOMES: Final[dict[str, tuple[str, str]]] = {
    "rule_changed": ("企业已调整规则", "The company changed its rule"),
    "partly_changed": ("企业部分调整规则", "The company changed part of its rule"),
    "not_changed": ("企业未调整规则", "The company did not change its rule"),
}

PARTICIPANT_SIDES: Final[dict[str, tuple[str, str]]] = {
    "company_hq": ("企业总部", "Company headquarters"),
    "partner": ("合作商/分包方", "Regional partner"),
    "rider_representative": ("骑手代表", "Riders' representative"),
    "committee": ("调解委员会", "Mediation committee"),
    "government": ("政府部门", "Government"),
    "union": ("工会", "Trade union"),
}
