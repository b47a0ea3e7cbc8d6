"""What researchers read of coded units (services; never commit).

Every automatic code is reviewed on its own: a unit is "not reviewed yet"
while any theme the coder found in it has no researcher's decision (or, with
a theme chosen, while that theme has none), and while a unit with no theme
at all has had no decision either. Confirming one theme of a unit therefore
leaves it in the queue until its other automatic themes are decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, selectinload

from analysis.quotes import scrub_personal_details
from consult.coding.models import AutoCode, CodeDecision, CodingExample, TextUnitRow

PER_PAGE = 25
STATUSES = ("unreviewed", "uncoded", "all")
ORDERS = ("uncertain", "oldest")


@dataclass(frozen=True)
class QueueFilter:
    theme: str = ""
    status: str = "unreviewed"  # unreviewed | uncoded | all
    language: str = ""
    page: int = 1
    order: str = "oldest"  # oldest | uncertain (least certain first)

    @property
    def offset(self) -> int:
        return (max(self.page, 1) - 1) * PER_PAGE


def _decided(theme_column, unit_column=TextUnitRow.id):
    """A researcher's decision exists for this unit and theme.

    Inside a subquery over ``auto_code`` pass ``AutoCode.unit_id``: a nested EXISTS does
    not correlate ``text_unit`` two levels out, and would ask whether any unit at all has
    a decision on the theme."""
    return exists().where(CodeDecision.unit_id == unit_column, CodeDecision.theme == theme_column)


def _condition(partnership_ids: set[int], wanted: QueueFilter):
    """The units ``wanted`` lists, as one SQL condition."""
    parts = [TextUnitRow.partnership_id.in_(partnership_ids)]
    if wanted.language:
        parts.append(TextUnitRow.language == wanted.language)
    if wanted.theme:
        found = exists().where(AutoCode.unit_id == TextUnitRow.id, AutoCode.theme == wanted.theme)
        confirmed = exists().where(
            CodeDecision.unit_id == TextUnitRow.id,
            CodeDecision.theme == wanted.theme,
            CodeDecision.present.is_(True),
        )
        if wanted.status == "unreviewed":
            parts += [found, ~_decided(wanted.theme)]
        else:
            parts.append(found | confirmed)
    if wanted.status == "unreviewed" and not wanted.theme:
        undecided_auto = exists().where(
            AutoCode.unit_id == TextUnitRow.id, ~_decided(AutoCode.theme, AutoCode.unit_id)
        )
        untouched = ~exists().where(AutoCode.unit_id == TextUnitRow.id) & ~exists().where(
            CodeDecision.unit_id == TextUnitRow.id
        )
        parts.append(undecided_auto | untouched)
    elif wanted.status == "uncoded":
        parts.append(~exists().where(AutoCode.unit_id == TextUnitRow.id))
        parts.append(
            ~exists().where(CodeDecision.unit_id == TextUnitRow.id, CodeDecision.present.is_(True))
        )
    return and_(*parts)


def review_queue(db: Session, partnership_ids: set[int], wanted: QueueFilter):
    """A page of units for review and how many match: oldest first, or (``uncertain``)
    those the learned coder is least sure of first (``text_unit.review_priority``, set
    by the worker; units it has not scored yet come after, oldest first)."""
    condition = _condition(partnership_ids, wanted)
    total = db.scalar(select(func.count()).select_from(TextUnitRow).where(condition)) or 0
    order = [TextUnitRow.id]
    if wanted.order == "uncertain":
        order.insert(0, TextUnitRow.review_priority.desc().nulls_last())
    units = db.scalars(
        select(TextUnitRow)
        .where(condition)
        .options(selectinload(TextUnitRow.auto_codes), selectinload(TextUnitRow.decisions))
        .order_by(*order)
        .limit(PER_PAGE)
        .offset(wanted.offset)
    ).all()
    return units, total


def is_listed(db: Session, unit_id: int, partnership_ids: set[int], wanted: QueueFilter) -> bool:
    """True while the unit still matches ``wanted`` (after a decision, say)."""
    condition = and_(TextUnitRow.id == unit_id, _condition(partnership_ids, wanted))
    return db.scalar(select(TextUnitRow.id).where(condition)) is not None


def units_for(db: Session, unit_ids: list[int], partnership_ids: set[int]) -> list[TextUnitRow]:
    """Those of these units that belong to these partnerships, with codes and decisions."""
    if not unit_ids:
        return []
    return list(
        db.scalars(
            select(TextUnitRow)
            .where(TextUnitRow.id.in_(unit_ids), TextUnitRow.partnership_id.in_(partnership_ids))
            .options(selectinload(TextUnitRow.auto_codes), selectinload(TextUnitRow.decisions))
            .order_by(TextUnitRow.id)
        )
    )


def unit_for(db: Session, unit_id: int, partnership_ids: set[int]) -> TextUnitRow | None:
    """A unit if it belongs to one of these partnerships."""
    unit = db.get(TextUnitRow, unit_id)
    if unit is None or unit.partnership_id not in partnership_ids:
        return None
    return unit


@dataclass(frozen=True)
class Progress:
    """How far the review of automatic codes has come in a partnership."""

    automatic: int  # automatic codes (unit, theme)
    reviewed: int  # of those, with a researcher's decision
    confirmed: int  # of those reviewed, confirmed

    @property
    def precision(self) -> float | None:
        """Share of the reviewed automatic codes that researchers confirmed."""
        return self.confirmed / self.reviewed if self.reviewed else None


def progress(db: Session, partnership_id: int, theme: str = "") -> Progress:
    """Automatic codes of the partnership (of one theme, when given), reviewed, confirmed."""
    query = (
        select(
            func.count(AutoCode.id),
            func.count(CodeDecision.id),
            func.count(CodeDecision.id).filter(CodeDecision.present.is_(True)),
        )
        .select_from(AutoCode)
        .join(TextUnitRow, TextUnitRow.id == AutoCode.unit_id)
        .outerjoin(
            CodeDecision,
            and_(CodeDecision.unit_id == AutoCode.unit_id, CodeDecision.theme == AutoCode.theme),
        )
        .where(TextUnitRow.partnership_id == partnership_id)
    )
    if theme:
        query = query.where(AutoCode.theme == theme)
    automatic, reviewed, confirmed = db.execute(query).one()
    return Progress(automatic or 0, reviewed or 0, confirmed or 0)


def similar_texts(db: Session, partnership_id: int, units) -> dict[str, str]:
    """The texts of the reviewed examples the learned model named as evidence on these
    units' codes (``unit-<id>``, ``example-<id>``), of the partnership only, with names
    and identifiers removed as in quotes."""
    ids = {i for u in units for c in u.auto_codes for i in (c.similar or ())}
    wanted = {"unit": set(), "example": set()}
    for example_id in ids:
        kind, _, number = example_id.partition("-")
        if kind in wanted and number.isdigit():
            wanted[kind].add(int(number))
    found = {}
    for kind, model in (("unit", TextUnitRow), ("example", CodingExample)):
        if wanted[kind]:
            rows = db.execute(
                select(model.id, model.text).where(
                    model.id.in_(wanted[kind]), model.partnership_id == partnership_id
                )
            )
            found.update({f"{kind}-{i}": scrub_personal_details(t).text for i, t in rows})
    return found


def latest_units(db: Session, partnership_id: int) -> list[TextUnitRow]:
    """A partnership's text units, newest first."""
    query = (
        select(TextUnitRow)
        .where(TextUnitRow.partnership_id == partnership_id)
        .order_by(TextUnitRow.id.desc())
    )
    return list(db.scalars(query))
