"""Load a summary's respondents and units as columns and counts, fast (Core, no ORM objects).

Three narrow queries, each reading ``text_unit.theme_keys`` (every unit's
effective themes, kept by :func:`consult.coding.services.refresh_theme_keys`)
instead of joining codes and decisions:

- one row per respondent, in response order: language, breakdown answers as
  JSON text, and the theme keys of all their units joined in SQL;
- their units counted per distinct ``theme_keys`` (``GROUP BY``, exact);
- their scored units with a theme, in unit order (polarity sums in a fixed order),
  which also give each respondent's mood per theme (counted once per person).

Equal strings are decoded once per summary (``functools.cache``), so
people with the same answers share one attributes dict and one frozenset of
themes, and :func:`analysis.aggregate.aggregate_columns` counts combinations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

from sqlalchemy import Text, and_, cast, func, select
from sqlalchemy.orm import Session

from analysis.aggregate import (
    NO_THEMES,
    Aggregation,
    Respondent,
    RespondentColumns,
    RespondentMoods,
    UnitTally,
    aggregate_columns,
    respondent_columns,
)
from analysis.records import SOURCE_SURVEY, TextUnit
from consult.coding.models import TextUnitRow
from consult.models import Response


@dataclass(frozen=True)
class Scope:
    """What a summary covers.

    ``extra_respondents`` (focus-group participants) come after the survey's;
    ``extra_units`` count only when their respondent is one of them, and so
    do ``extra_scores`` (respondent id, themes, polarity of a scored unit).
    """

    partnership_id: int
    survey_ids: tuple[int, ...]
    since: datetime | None = None
    until: datetime | None = None
    extra_respondents: tuple[Respondent, ...] = ()
    extra_units: tuple[tuple[TextUnit, tuple[str, ...]], ...] = ()
    extra_scores: tuple[tuple[str, tuple[str, ...], float], ...] = ()


def summarise(db: Session, scope: Scope, breakdowns: tuple[str, ...], themes=None) -> Aggregation:
    """Theme prevalence, breakdowns, language, source and sentiment for ``scope``."""
    people = survey_respondents(db, scope)
    moods = RespondentMoods()
    units = survey_units(db, scope, moods)
    people += extra_respondents(scope, units)
    extra = {person.respondent_id for person in scope.extra_respondents}
    for respondent, unit_themes, polarity in scope.extra_scores:
        if respondent in extra:
            moods.add(respondent, unit_themes, polarity)
    found = aggregate_columns(people, units, breakdowns, themes)
    return replace(found, moods=moods.counts())


def survey_respondents(db: Session, scope: Scope) -> RespondentColumns:
    """Every respondent of the surveys in scope, in response order, with the themes they raised.

    Withdrawn responses count nowhere. Rows are streamed into columns (no
    list of row objects for the garbage collector to walk).
    """
    query = (
        select(
            Response.language,
            cast(Response.attributes, Text),
            func.aggregate_strings(TextUnitRow.theme_keys, ","),
        )
        .outerjoin(
            TextUnitRow, and_(TextUnitRow.response_id == Response.id, TextUnitRow.theme_keys != "")
        )
        .where(*_responses_in(scope))
        .group_by(Response.id)
        .order_by(Response.id)
    )
    languages, attributes, raised = [], [], []
    attributes_of, themes_of = cache(_attributes_from_json), cache(theme_set)
    for language, answers, theme_keys in db.execute(query):
        languages.append(language)
        attributes.append(attributes_of(answers))
        raised.append(themes_of(theme_keys))
    return RespondentColumns([SOURCE_SURVEY] * len(languages), languages, attributes, raised)


def survey_units(db: Session, scope: Scope, moods: RespondentMoods | None = None) -> UnitTally:
    """The units of the respondents in scope: counted per theme, and their sentiment.

    ``moods``, when given, also gets every scored unit, by respondent.
    """
    units = UnitTally()
    counted = (
        select(TextUnitRow.theme_keys, func.count())
        .join(Response, Response.id == TextUnitRow.response_id)
        .where(*_responses_in(scope))
        .group_by(TextUnitRow.theme_keys)
    )
    for keys, count in db.execute(counted):
        units.add_units(theme_set(keys), count)
    scored = (
        select(TextUnitRow.theme_keys, TextUnitRow.sentiment, TextUnitRow.response_id)
        .join(Response, Response.id == TextUnitRow.response_id)
        .where(*_responses_in(scope))
        .where(TextUnitRow.sentiment.is_not(None), TextUnitRow.theme_keys != "")
        .order_by(TextUnitRow.id)
    )
    themes_of = cache(theme_set)
    for keys, polarity, response_id in db.execute(scored):
        unit_themes = themes_of(keys)
        units.add_sentiment(unit_themes, polarity)
        if moods is not None:
            moods.add(response_id, unit_themes, polarity)
    return units


def extra_respondents(scope: Scope, units: UnitTally) -> RespondentColumns:
    """The scope's extra respondents with the themes of their units (added to ``units``)."""
    people = {person.respondent_id: person for person in scope.extra_respondents}
    raised: dict[str, set[str]] = {}
    for unit, themes in scope.extra_units:
        if unit.respondent_id in people:
            units.add_units(themes)
            raised.setdefault(unit.respondent_id, set()).update(themes)
    return respondent_columns(people, raised)


def theme_set(theme_keys: str | None) -> frozenset[str]:
    """The themes in ``theme_keys`` (keys joined by commas, as stored and as joined in SQL)."""
    return frozenset(theme_keys.split(",")) if theme_keys else NO_THEMES


def _attributes_from_json(text: str | None) -> dict:
    return (json.loads(text) if text is not None else None) or {}


def _responses_in(scope: Scope) -> list:
    conditions = [
        Response.partnership_id == scope.partnership_id,
        Response.survey_id.in_(scope.survey_ids),
        Response.withdrawn_at.is_(None),
    ]
    if scope.since is not None:
        conditions.append(Response.submitted_at >= scope.since)
    if scope.until is not None:
        conditions.append(Response.submitted_at < scope.until)
    return conditions


def responses_in(db: Session, scope: Scope) -> list[tuple[int, datetime]]:
    """The id and submission time of every response in scope, in id order."""
    query = select(Response.id, Response.submitted_at).where(*_responses_in(scope))
    return list(db.execute(query.order_by(Response.id)))
