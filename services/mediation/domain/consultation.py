"""Industry consultations (行业协商, "调解一案、规范一片"): the committee meets a company's
headquarters about a pattern of disputes; the rule change agreed takes effect on a date, and
the disputes of that pattern before and after it are compared month by month.

Pure rules: the steps a consultation allows, and the months around the change."""

from __future__ import annotations

from datetime import date

from services.mediation.domain.errors import AgainstTheRules, Incomplete

STATUSES = ("open", "agreed", "closed")
OUTCOMES = ("rule_changed", "partly_changed", "not_changed")
SIDES = ("company_hq", "partner", "rider_representative", "committee", "government", "union")


def check_step(action: str, status: str) -> None:
    allowed = {
        "session": ("open", "agreed"),
        "agree": ("open", "agreed"),
        "close": ("open", "agreed"),
    }[action]
    if status not in allowed:
        raise AgainstTheRules(f"the consultation is {status}: no {action} any more")


def check_agreement(effective_on: date, follow_up_on: date) -> None:
    if follow_up_on < effective_on:
        raise Incomplete("follow_up_on", "跟踪回访日期不能早于规则调整生效日期")


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_around(effective_on: date, before: int, after: int) -> tuple[list[str], list[str]]:
    """The `before` months ending with the one before the change, and `after` months from the
    change's month on ("YYYY-MM")."""

    def shift(months: int) -> str:
        index = effective_on.year * 12 + effective_on.month - 1 + months
        return f"{index // 12:04d}-{index % 12 + 1:02d}"

    return [shift(-n) for n in range(before, 0, -1)], [shift(n) for n in range(after)]
