"""Which party a caller is, in notify's keys, and who may read the delivery log."""

from __future__ import annotations

from shared.contracts.envelope import Actor
from shared.contracts.glossary import term

# Organisations are keyed by kind (their inbox, preferences and deliveries); people by id.
_ORGANISATION_ROLES = frozenset({"department", "mediator"})
OPERATOR_ROLES = frozenset({"committee", "admin", "intake_officer"})


def party_key(actor: Actor) -> str:
    """department 'zx-road' -> 'department:zx-road'; committee -> 'committee'; else the id."""
    if actor.role in _ORGANISATION_ROLES:
        return f"{actor.role}:{actor.id}"
    if actor.role == "committee":
        return "committee"
    return actor.id


def is_operator(actor: Actor) -> bool:
    return actor.role in OPERATOR_ROLES


# What a message calls an organisation the channel directory gives no name: never its key.
_GENERIC = {
    "committee": ("调解委员会", "Mediation committee"),
    "mediator": ("调解员", "Mediator"),
    "department": ("负责部门", "Responsible department"),
}
# The payload fields naming the organisation whose id is in the field before it.
_NAMED_BY = (
    ("mediator_id", "mediator_name"),
    ("department_id", "department_name"),
    ("escalated_to", "escalated_to_name"),
    ("supervisor_id", "supervisor_name"),
)


def organisation_name(key: str, payload: dict[str, object], locale: str = "zh-CN") -> str:
    """'mediator:med-wang' -> 王律师 (the glossary, else the event's own name for it), else
    a word for its kind: a greeting never reads "mediator:med-wang，您好"."""
    kind, _, ident = key.partition(":")
    lang = "en" if locale.startswith("en") else "zh"
    if kind == "mediator" and term("mediator", ident, lang) != ident:
        return term("mediator", ident, lang)
    for id_field, name_field in _NAMED_BY:
        named = payload.get(name_field)
        if ident and payload.get(id_field) == ident and isinstance(named, str) and named:
            return named
    zh, en = _GENERIC.get(kind, _GENERIC["department"])
    return en if lang == "en" else zh
