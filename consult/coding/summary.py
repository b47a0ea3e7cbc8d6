"""Load coded units and respondents for a summary, fast (Core queries, no ORM objects).

100,000 responses with their units and codes load as plain tuples and go
straight to :func:`analysis.aggregate.aggregate`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.aggregate import Aggregation, Respondent, aggregate
from analysis.records import SOURCE_SURVEY, TextUnit, UnitRef
from consult.coding.models import AutoCode, CodeDecision, TextUnitRow
from consult.models import Response


@dataclass(frozen=True)
class Scope:
    """What a summary covers."""

    partnership_id: int
    survey_ids: tuple[int, ...]
    since: datetime | None = None
    until: datetime | None = None
    extra_respondents: tuple[Respondent, ...] = ()
    extra_units: tuple[tuple[TextUnit, tuple[str, ...]], ...] = ()


def survey_respondents(db: Session, scope: Scope) -> dict[str, Respondent]:
    """Every respondent of the surveys in scope (withdrawn responses count nowhere)."""
    query = select(Response.id, Response.language, Response.attributes).where(
        Response.partnership_id == scope.partnership_id,
        Response.survey_id.in_(scope.survey_ids),
        Response.withdrawn_at.is_(None),
    )
    if scope.since is not None:
        query = query.where(Response.submitted_at >= scope.since)
    if scope.until is not None:
        query = query.where(Response.submitted_at < scope.until)
    respondents = {
        f"r{rid}": Respondent(f"r{rid}", SOURCE_SURVEY, language, attributes or {})
        for rid, language, attributes in db.execute(query)
    }
    for extra in scope.extra_respondents:
        respondents[extra.respondent_id] = extra
    return respondents


def coded_units(db: Session, scope: Scope, respondents) -> list[tuple[UnitRef | TextUnit, tuple]]:
    """Each unit in scope with its effective themes (researchers' decisions win)."""
    units = db.execute(
        select(
            TextUnitRow.id,
            TextUnitRow.respondent_key,
            TextUnitRow.language,
            TextUnitRow.source,
            TextUnitRow.sentiment,
        ).where(
            TextUnitRow.partnership_id == scope.partnership_id,
            TextUnitRow.survey_id.in_(scope.survey_ids),
        )
    ).all()
    themes = _auto_themes(db, scope)
    for unit_id, theme, present in _decisions(db, scope):
        if present:
            themes[unit_id].add(theme)
        else:
            themes[unit_id].discard(theme)
    empty: tuple[str, ...] = ()
    coded = [
        (UnitRef(str(uid), key), tuple(themes[uid]) if uid in themes else empty)
        for uid, key, _language, _source, _sentiment in units
        if key in respondents
    ]
    coded.extend(u for u in scope.extra_units if u[0].respondent_id in respondents)
    return coded


def unit_sentiments(db: Session, scope: Scope) -> dict[str, float | None]:
    """Unit id -> polarity (None where not available)."""
    rows = db.execute(
        select(TextUnitRow.id, TextUnitRow.sentiment).where(
            TextUnitRow.partnership_id == scope.partnership_id,
            TextUnitRow.survey_id.in_(scope.survey_ids),
        )
    )
    return {str(uid): value for uid, value in rows}


def _auto_themes(db: Session, scope: Scope) -> dict[int, set[str]]:
    themes: dict[int, set[str]] = defaultdict(set)
    rows = db.execute(
        select(AutoCode.unit_id, AutoCode.theme)
        .join(TextUnitRow, TextUnitRow.id == AutoCode.unit_id)
        .where(
            TextUnitRow.partnership_id == scope.partnership_id,
            TextUnitRow.survey_id.in_(scope.survey_ids),
        )
    )
    for unit_id, theme in rows:
        themes[unit_id].add(theme)
    return themes


def _decisions(db: Session, scope: Scope):
    return db.execute(
        select(CodeDecision.unit_id, CodeDecision.theme, CodeDecision.present)
        .join(TextUnitRow, TextUnitRow.id == CodeDecision.unit_id)
        .where(
            TextUnitRow.partnership_id == scope.partnership_id,
            TextUnitRow.survey_id.in_(scope.survey_ids),
        )
    ).all()


def summarise(db: Session, scope: Scope, breakdowns: tuple[str, ...], themes=None) -> Aggregation:
    """Theme prevalence, breakdowns, language, source and sentiment for ``scope``."""
    respondents = survey_respondents(db, scope)
    units = coded_units(db, scope, respondents)
    return aggregate(
        units,
        respondents,
        breakdowns=breakdowns,
        sentiments=unit_sentiments(db, scope),
        themes=themes,
    )
