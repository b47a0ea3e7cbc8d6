"""What researchers read of coded units (services; never commit)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from consult.coding.models import AutoCode, CodeDecision, TextUnitRow

PER_PAGE = 25


@dataclass(frozen=True)
class QueueFilter:
    theme: str = ""
    status: str = "unreviewed"  # unreviewed | uncoded | all
    language: str = ""
    page: int = 1


def review_queue(db: Session, partnership_ids: set[int], wanted: QueueFilter):
    """A page of units for review, oldest first, and how many match."""
    query = select(TextUnitRow).where(TextUnitRow.partnership_id.in_(partnership_ids))
    if wanted.language:
        query = query.where(TextUnitRow.language == wanted.language)
    if wanted.theme:
        query = query.where(
            exists().where(AutoCode.unit_id == TextUnitRow.id, AutoCode.theme == wanted.theme)
            | exists().where(
                CodeDecision.unit_id == TextUnitRow.id,
                CodeDecision.theme == wanted.theme,
                CodeDecision.present.is_(True),
            )
        )
    if wanted.status == "unreviewed":
        query = query.where(~exists().where(CodeDecision.unit_id == TextUnitRow.id))
    elif wanted.status == "uncoded":
        query = query.where(~exists().where(AutoCode.unit_id == TextUnitRow.id))
        query = query.where(
            ~exists().where(CodeDecision.unit_id == TextUnitRow.id, CodeDecision.present.is_(True))
        )
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    units = db.scalars(
        query.options(selectinload(TextUnitRow.auto_codes), selectinload(TextUnitRow.decisions))
        .order_by(TextUnitRow.id)
        .limit(PER_PAGE)
        .offset((max(wanted.page, 1) - 1) * PER_PAGE)
    ).all()
    return units, total


def unit_for(db: Session, unit_id: int, partnership_ids: set[int]) -> TextUnitRow | None:
    """A unit if it belongs to one of these partnerships."""
    unit = db.get(TextUnitRow, unit_id)
    if unit is None or unit.partnership_id not in partnership_ids:
        return None
    return unit
