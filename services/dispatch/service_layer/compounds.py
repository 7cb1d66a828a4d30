"""The compound register and the reports linked to it.

A compound-access report is linked to its compound when it arrives (by name, else by place),
dispatched to the compound's lead body, and the other body is told (`compound.report_linked`).
Reports of one compound are linked through it however far apart they were filed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import structlog
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from services.dispatch.adapters.directory_store import read_directory
from services.dispatch.adapters.tables import CompoundEntry, CompoundReport
from services.dispatch.domain import hazard as aggregate
from services.dispatch.domain.compounds import CATEGORY, CompoundDraft, Place, match
from services.dispatch.domain.errors import InvalidEntry, InvalidStation, NotFound, Refused
from services.dispatch.service_layer.context import Context
from shared.contracts.envelope import SYSTEM
from shared.contracts.events.dispatch import CompoundReportLinked
from shared.messaging.uow import UnitOfWork

log = structlog.get_logger()
DEMO_COMPOUNDS = Path(__file__).resolve().parents[1] / "adapters" / "data" / "compounds.json"


def load_compound_rows(path: Path | None = None) -> list[tuple[str, CompoundDraft]]:
    """The register file: `{"compounds": [{compound_id, ...draft}]}`."""
    data = json.loads((path or DEMO_COMPOUNDS).read_text(encoding="utf-8"))
    return [(row["compound_id"], CompoundDraft.model_validate(row)) for row in data["compounds"]]


async def _checked(uow: UnitOfWork, draft: CompoundDraft, ctx: Context) -> CompoundDraft:
    draft.check()
    try:
        town = ctx.district.town_code(draft.town)
        ctx.district.check_location(draft.latitude, draft.longitude)
    except InvalidStation as exc:
        raise InvalidEntry(exc.field, str(exc)) from exc
    directory = await read_directory(uow.session)
    for field in ("property_office_id", "residents_committee_id"):
        ident = getattr(draft, field)
        found = directory.get(ident)
        if found is None or found.kind != "department":
            raise InvalidEntry(field, f"名录中没有部门“{ident}”")
    return draft.model_copy(update={"town": town})


async def create_compound(
    uow: UnitOfWork, compound_id: str, draft: CompoundDraft, ctx: Context
) -> CompoundEntry:
    draft = await _checked(uow, draft, ctx)
    if await uow.session.get(CompoundEntry, compound_id) is not None:
        raise Refused("compound_exists", f"小区编号“{compound_id}”已存在")
    row = CompoundEntry(compound_id=compound_id, **draft.model_dump(), updated_at=ctx.clock.now())
    uow.session.add(row)
    return row


async def update_compound(
    uow: UnitOfWork, compound_id: str, draft: CompoundDraft, ctx: Context
) -> CompoundEntry:
    draft = await _checked(uow, draft, ctx)
    stmt = select(CompoundEntry).where(CompoundEntry.compound_id == compound_id).with_for_update()
    row = (await uow.session.exec(stmt)).first()
    if row is None:
        raise NotFound(f"compound {compound_id}")
    for key, value in draft.model_dump().items():
        setattr(row, key, value)
    row.updated_at = ctx.clock.now()
    uow.session.add(row)
    return row


async def record_adoption(
    uow: UnitOfWork, compound_id: str, adopted_on: date, ctx: Context
) -> CompoundEntry:
    """The committee records that a compound adopted the riders' access rules (骑手出入管理规范)
    on a day (J3); a day after today is refused, a second record moves the day."""
    if adopted_on > ctx.local_now().date():
        raise InvalidEntry("adopted_on", "制定日期不能晚于今天")
    stmt = select(CompoundEntry).where(CompoundEntry.compound_id == compound_id).with_for_update()
    row = (await uow.session.exec(stmt)).first()
    if row is None:
        raise NotFound(f"compound {compound_id}")
    row.rules_adopted, row.adopted_on = True, adopted_on
    row.updated_at = ctx.clock.now()
    uow.session.add(row)
    return row


async def seed_compounds(
    uow: UnitOfWork, rows: list[tuple[str, CompoundDraft]], ctx: Context
) -> bool:
    """Load the register file into an empty register (first start); False if already there.
    A compound whose bodies the directory lacks is left out (logged), not the start stopped."""
    if (await uow.session.exec(select(CompoundEntry.compound_id).limit(1))).first() is not None:
        return False
    seeded = 0
    try:  # the writes too: a lookup between them flushes what is already added
        for compound_id, draft in rows:
            try:
                await create_compound(uow, compound_id, draft, ctx)
                seeded += 1
            except InvalidEntry as exc:  # e.g. another directory without the demo's bodies
                log.warning("compound_not_seeded", compound_id=compound_id, field=exc.field)
        if not seeded:
            return False
        await uow.commit()
    except IntegrityError:  # another replica seeded it at the same moment
        return False
    except Refused as exc:  # ... and committed before this one's lookup of a compound
        if exc.reason != "compound_exists":
            raise
        log.info("compounds_seeded_elsewhere")
        return False
    log.info("compounds_seeded", compounds=seeded)
    return True


@dataclass(frozen=True)
class Link:
    compound: CompoundEntry
    matched_by: str
    distance_m: int
    earlier: int

    @property
    def lead_id(self) -> str:
        c = self.compound
        return c.property_office_id if c.lead == "property_office" else c.residents_committee_id

    @property
    def support_id(self) -> str:
        c = self.compound
        return c.residents_committee_id if c.lead == "property_office" else c.property_office_id


async def find_link(uow: UnitOfWork, hazard: aggregate.Hazard, text: str) -> Link | None:
    """The compound this report is about (compound-access reports only), not yet recorded."""
    if hazard.category != CATEGORY:
        return None
    if await uow.session.get(CompoundReport, hazard.case_id) is not None:
        return None
    rows = list((await uow.session.exec(select(CompoundEntry))).all())
    places = [
        Place(
            compound_id=r.compound_id,
            names=(r.name, *r.aliases),
            latitude=r.latitude,
            longitude=r.longitude,
        )
        for r in rows
    ]
    found = match(places, text, hazard.latitude, hazard.longitude)
    if found is None:
        return None
    place, matched_by, distance = found
    compound = next(r for r in rows if r.compound_id == place.compound_id)
    earlier = await uow.session.exec(
        select(func.count()).where(CompoundReport.compound_id == compound.compound_id)
    )
    return Link(compound, matched_by, distance, int(earlier.one()))


async def record_link(uow: UnitOfWork, hazard: aggregate.Hazard, link: Link, ctx: Context) -> None:
    """Keep the link, note it on the hazard's history, tell the other body."""
    now = ctx.clock.now()
    c = link.compound
    uow.session.add(
        CompoundReport(
            case_id=hazard.case_id,
            compound_id=c.compound_id,
            matched_by=link.matched_by,
            distance_m=link.distance_m,
            lead_department_id=link.lead_id,
            support_department_id=link.support_id,
            linked_at=now,
        )
    )
    hazard.note("compound_linked", SYSTEM, now, note=f"{c.name}（此前 {link.earlier} 件）")
    hazard.raise_event(
        "compound.report_linked",
        CompoundReportLinked(
            compound_id=c.compound_id,
            compound_name=c.name,
            matched_by=link.matched_by,
            distance_m=link.distance_m,
            lead_department_id=link.lead_id,
            department_id=link.support_id,
            rules_adopted=c.rules_adopted,
            earlier_reports=link.earlier,
        ),
    )
