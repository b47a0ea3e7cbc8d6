"""Load coded units and respondents for a summary, fast (Core queries, no ORM objects).

100,000 responses with their units and codes load as plain tuples and go
straight to :func:`analysis.aggregate.aggregate`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.aggregate import Aggregation, Respondent, aggregate_rows
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


def coded_units(db: Session, scope: Scope, respondents) -> list[tuple[UnitRef, tuple]]:
    """Each unit in scope with its effective themes (researchers' decisions win)."""
    themed, uncoded = coded_rows(db, scope, respondents)
    empty: tuple[str, ...] = ()
    return [(UnitRef(uid, rid), tuple(themes)) for uid, rid, themes in themed] + [
        (UnitRef(uid, rid), empty) for uid, rid in uncoded
    ]


def coded_rows(db: Session, scope: Scope, respondents, sentiments: dict | None = None):
    """``(unit id, respondent, themes)`` of units with a theme, and the others' ids.

    One grouped query gives each unit with its automatic themes joined into a
    string (``aggregate_strings``: ``group_concat`` / ``string_agg``), and one
    more the researchers' decisions: no ORM object per unit. When
    ``sentiments`` is given, each unit's polarity is added to it on the way.
    """
    in_scope = (
        TextUnitRow.partnership_id == scope.partnership_id,
        TextUnitRow.survey_id.in_(scope.survey_ids),
    )
    decided: dict[int, dict[str, bool]] = defaultdict(dict)
    for unit_id, theme, present in _decisions(db, scope):
        decided[unit_id][theme] = present
    query = (
        select(
            TextUnitRow.id,
            TextUnitRow.respondent_key,
            TextUnitRow.sentiment,
            func.aggregate_strings(AutoCode.theme, ","),
        )
        .outerjoin(AutoCode, AutoCode.unit_id == TextUnitRow.id)
        .where(*in_scope)
        .group_by(TextUnitRow.id, TextUnitRow.respondent_key, TextUnitRow.sentiment)
    )
    themed, uncoded = [], []
    for uid, key, sentiment, joined in db.execute(query):
        if key not in respondents:
            continue
        unit_id = str(uid)
        if sentiments is not None and sentiment is not None:
            sentiments[unit_id] = sentiment
        found = set(joined.split(",")) if joined else set()
        if uid in decided:
            for theme, present in decided[uid].items():
                (found.add if present else found.discard)(theme)
        if found:
            themed.append((unit_id, key, found))
        else:
            uncoded.append((unit_id, key))
    themed.extend(
        (u.unit_id, u.respondent_id, t)
        for u, t in scope.extra_units
        if u.respondent_id in respondents
    )
    return themed, uncoded


def unit_sentiments(db: Session, scope: Scope) -> dict[str, float | None]:
    """Unit id -> polarity (None where not available)."""
    rows = db.execute(
        select(TextUnitRow.id, TextUnitRow.sentiment).where(
            TextUnitRow.partnership_id == scope.partnership_id,
            TextUnitRow.survey_id.in_(scope.survey_ids),
        )
    )
    return {str(uid): value for uid, value in rows}


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
    sentiments: dict[str, float] = {}
    themed, uncoded = coded_rows(db, scope, respondents, sentiments)
    return aggregate_rows(
        themed,
        respondents,
        breakdowns=breakdowns,
        sentiments=sentiments,
        themes=themes,
        uncoded_units=len(uncoded),
    )
