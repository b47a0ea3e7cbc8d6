"""Build a committee report from the database: one protected set of counts, every report language.

:func:`prepare` reads what a scope covers once (respondents, their themes,
groups, months and moods, approved quotes), makes its true counts
(:func:`analysis.aggregate.count_cube_of`) in a shape fixed by the scope
alone (every choice of each breakdown question, every language the surveys
offer, every month of the period), and protects them
(:func:`analysis.disclosure.protect`, audited with the partnership's
earlier publications when given). :func:`consult.reports.report_text.report_in`
lays the protected counts out in one language; nothing of it reads raw data.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.aggregate import LANGUAGE, NOT_STATED, SOURCE, Respondent, count_cube_of
from analysis.codebook import Codebook, codebook_from_dict
from analysis.disclosure import (
    CountCube,
    Dimension,
    Protection,
    Shape,
    protect,
)
from analysis.records import SOURCE_FOCUS_GROUP, SOURCE_SURVEY
from analysis.report import MONTH
from consult.catalogs import complete_languages
from consult.coding.models import ApprovedQuote, CodingSample, TextUnitRow
from consult.coding.services import (
    as_record,
    current_codebook_row,
    effective_themes,
)
from consult.coding.summary import Scope, responses_in, summarise
from consult.definitions import definition_of
from consult.focusgroups.models import FocusGroupSession
from consult.focusgroups.units import session_of
from consult.i18n import UI_LANGUAGES
from consult.ledger import Members, disclosure_secret, earlier_of, threshold
from consult.models import Response, Survey, SurveyVersion
from consult.waves.publication import (
    PreparedComparison,
    prepare_comparison,
)

ALWAYS_REPORTED = ("en", "fr")
"""Canada's official languages: every report is made in both."""


def report_languages(translations: Path | None = None) -> tuple[str, ...]:
    """English, French and every UI language whose catalogue is complete, in picker order.

    Decided from the catalogues themselves (every message translated, none
    fuzzy), so a language joins the reports when its catalogue is finished.
    """
    folder = translations or Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    complete = set(complete_languages(folder, UI_LANGUAGES))
    return tuple(code for code in UI_LANGUAGES if code in ALWAYS_REPORTED or code in complete)


@dataclass(frozen=True)
class ReportScope:
    """What a report covers: surveys, dates, breakdowns, focus groups.

    ``until`` is exclusive; a publication fixes it when it is first made
    (to the moment of publishing when not given), so that every later
    version of it covers the same responses, less those withdrawn.
    """

    partnership_id: int
    survey_ids: tuple[int, ...]
    title: str
    breakdowns: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    include_focus_groups: bool = True
    titles: tuple[tuple[str, str], ...] = ()
    """The title in other report languages, ``(language, title)``; ``title`` is English
    and stands in (marked) for a language without one."""
    comparisons: tuple[dict, ...] = ()
    """Waves of a study or audiences to compare, frozen
    (:func:`consult.waves.publication.study_comparison`, ``audience_comparison``)."""


@dataclass(frozen=True)
class QuoteRecord:
    """An approved quote that the report may print."""

    theme: str
    text: str
    language: str
    translation: str | None
    translation_language: str | None


@dataclass(frozen=True)
class Prepared:
    """Everything a report needs that does not depend on its language: made once."""

    scope: ReportScope
    codebook: Codebook
    codebook_version: int
    definitions: list
    cube: CountCube
    protection: Protection
    members: Members
    quotes: tuple[QuoteRecord, ...]
    period: tuple[datetime, datetime]
    kappa: float | None
    left_out_quotes: tuple[QuoteRecord, ...] = field(default=())
    """Approved quotes of the partnership this report does not print (for the preview)."""
    comparisons: tuple[PreparedComparison, ...] = field(default=())
    """The scope's comparisons, each group protected and audited with the summary too."""


def fixed_until(scope: ReportScope, now: datetime | None = None) -> ReportScope:
    """``scope`` with its end fixed: the given ``until``, else ``now``."""
    return scope if scope.until is not None else replace(scope, until=now or datetime.now(UTC))


def prepare(db: Session, scope: ReportScope, earlier=None) -> Prepared:
    """Read, count and protect what ``scope`` covers (its ``until`` must be fixed).

    ``earlier`` is called with the report's members and returns the
    earlier publications to audit against (:func:`earlier_of`).
    """
    codebook_row = current_codebook_row(db, scope.partnership_id)
    codebook = codebook_from_dict(codebook_row.data)
    surveys = db.scalars(select(Survey).where(Survey.id.in_(scope.survey_ids))).all()
    start = _start(db, scope, surveys)
    people, units, scores, sessions = _focus_groups(db, scope, start)
    summary_scope = Scope(
        scope.partnership_id,
        scope.survey_ids,
        start,
        scope.until,
        tuple(people),
        tuple(units),
        tuple(scores),
    )
    aggregation = summarise(db, summary_scope, scope.breakdowns, codebook.keys)
    responses = responses_in(db, summary_scope)
    shape = _shape(db, scope, surveys, codebook, start, sessions)
    months = _months_of(responses, people, sessions)
    cube = count_cube_of(aggregation, shape, {MONTH: months})
    members = Members.of([rid for rid, _at in responses], [p.respondent_id for p in people])
    audited = list(earlier(members)) if earlier is not None else []
    protection = protect(
        cube, threshold(), secret=disclosure_secret(scope.partnership_id), earlier=audited
    )
    quotes, left_out = _quotes(db, scope, members, protection)
    comparisons = _comparisons(db, scope, codebook, (protection.counts, members), earlier)
    return Prepared(
        scope=scope,
        codebook=codebook,
        codebook_version=codebook_row.version,
        definitions=[definition_of(s.current_version) for s in surveys],
        cube=cube,
        protection=protection,
        members=members,
        quotes=quotes,
        period=(start, scope.until),
        kappa=_mean_kappa(db, scope, codebook),
        left_out_quotes=left_out,
        comparisons=comparisons,
    )


def _comparisons(db: Session, scope: ReportScope, codebook, summary, earlier) -> tuple:
    """Each comparison of the scope, every group audited with the ledger, the summary and the
    groups of the comparisons before it (they may count the same people)."""
    made = [summary]

    def audited(members: Members) -> list:
        before = list(earlier(members)) if earlier is not None else []
        return before + [e for c, m in made if (e := earlier_of(c, m, members)) is not None]

    found = []
    for spec in scope.comparisons:
        prepared = prepare_comparison(
            db, scope.partnership_id, spec, codebook.keys, scope.until, audited
        )
        made += [(c, m) for c, m in prepared.protected if c is not None]
        found.append(prepared)
    return tuple(found)


def _start(db: Session, scope: ReportScope, surveys) -> datetime:
    """The start of the period: given, else when its first survey was created or, with focus
    groups, its first session began, if earlier (sessions are plans, not respondents)."""
    if scope.since is not None:
        return scope.since
    moments = [aware(s.created_at) for s in surveys]
    if scope.include_focus_groups:
        first = db.scalar(
            select(func.min(FocusGroupSession.starts_at)).where(
                FocusGroupSession.partnership_id == scope.partnership_id
            )
        )
        moments += [aware(first)] if first is not None else []
    return min(moments) if moments else scope.until


def aware(moment: datetime) -> datetime:
    """A stored time as timezone-aware UTC (SQLite gives them back naive)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _in_period(moment: datetime | None, start: datetime, until: datetime) -> bool:
    return moment is not None and start <= aware(moment) < until


def _focus_groups(db: Session, scope: ReportScope, start: datetime):
    """Participants of sessions held in the period, their coded segments and scored segments."""
    if not scope.include_focus_groups:
        return [], [], [], {}
    sessions = {
        s.id: aware(s.starts_at)
        for s in db.scalars(
            select(FocusGroupSession).where(
                FocusGroupSession.partnership_id == scope.partnership_id
            )
        )
        if _in_period(s.starts_at, start, scope.until)
    }
    rows = db.scalars(
        select(TextUnitRow)
        .where(
            TextUnitRow.partnership_id == scope.partnership_id,
            TextUnitRow.source == SOURCE_FOCUS_GROUP,
        )
        .order_by(TextUnitRow.id)
    ).all()
    respondents, units, scores = {}, [], []
    for row in rows:
        if session_of(row.respondent_key) not in sessions:
            continue
        respondents.setdefault(
            row.respondent_key,
            Respondent(
                row.respondent_key, SOURCE_FOCUS_GROUP, row.language, dict(row.attributes or {})
            ),
        )
        themes = tuple(effective_themes(row))
        units.append((as_record(row), themes))
        if row.sentiment is not None and themes:
            scores.append((row.respondent_key, themes, row.sentiment))
    return list(respondents.values()), units, scores, sessions


def _shape(db: Session, scope: ReportScope, surveys, codebook, start, sessions) -> Shape:
    """Every group each dimension can have, from the scope alone (never from who answered)."""
    versions = db.scalars(
        select(SurveyVersion).where(SurveyVersion.survey_id.in_(scope.survey_ids))
    ).all()
    definitions = [definition_of(v) for v in versions]
    languages = {code for s in surveys for code in s.languages or [s.default_language]}
    if scope.include_focus_groups:
        languages |= _session_languages(db, sessions)
    sources = (
        (SOURCE_SURVEY, SOURCE_FOCUS_GROUP) if scope.include_focus_groups else (SOURCE_SURVEY,)
    )
    dimensions = [
        Dimension(SOURCE, sources),
        Dimension(LANGUAGE, (*sorted(languages), NOT_STATED)),
    ]
    for name in scope.breakdowns:
        choices = {
            c.name
            for d in definitions
            for q in d.breakdown_questions()
            if q.name == name
            for c in q.choices
        }
        dimensions.append(Dimension(name, (*sorted(choices), NOT_STATED)))
    dimensions.append(Dimension(MONTH, _months(start, scope.until), themed=False))
    return Shape(tuple(codebook.keys), tuple(dimensions))


def _session_languages(db: Session, sessions) -> set[str]:
    if not sessions:
        return set()
    rows = db.scalars(select(FocusGroupSession).where(FocusGroupSession.id.in_(sessions)))
    return {code for s in rows for code in s.languages or ()}


def _month(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def _months(start: datetime, until: datetime) -> tuple[str, ...]:
    """Every month from ``start`` to the last moment before ``until``."""
    last = aware(until) - _ONE_MICROSECOND
    months, year, month = [], start.year, start.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


_ONE_MICROSECOND = timedelta(microseconds=1)


def _months_of(responses, people, sessions) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _rid, submitted in responses:
        month = _month(aware(submitted))
        counts[month] = counts.get(month, 0) + 1
    for person in people:
        month = _month(sessions[session_of(person.respondent_id)])
        counts[month] = counts.get(month, 0) + 1
    return counts


def _quotes(db: Session, scope: ReportScope, members: Members, protection: Protection):
    """Approved quotes from respondents this report counts, under themes it shows."""
    query = (
        select(
            ApprovedQuote,
            TextUnitRow.response_id,
            TextUnitRow.respondent_key,
            TextUnitRow.source,
            TextUnitRow.translation_language,
        )
        .join(TextUnitRow, TextUnitRow.id == ApprovedQuote.unit_id)
        .outerjoin(Response, Response.id == TextUnitRow.response_id)
        .where(ApprovedQuote.partnership_id == scope.partnership_id)
        .order_by(ApprovedQuote.id)
    )
    participants = set(members.focus_groups)
    counts = protection.counts
    kept, left_out = [], []
    for quote, response_id, respondent, source, translated_into in db.execute(query):
        record = QuoteRecord(
            quote.theme, quote.text, quote.language, quote.translation, translated_into
        )
        counted = (
            members.contains_response(response_id)
            if source == SOURCE_SURVEY
            else respondent in participants
        )
        shown = quote.theme in counts.shape.themes and counts.shown(("theme", quote.theme))
        (kept if counted and shown else left_out).append(record)
    return tuple(kept), tuple(left_out)


def _mean_kappa(db: Session, scope: ReportScope, codebook: Codebook) -> float | None:
    """Mean Cohen's kappa of automatic against human coding over every sample (None if none)."""
    from consult.coding.agreement import sample_agreement

    values = []
    for sample in db.scalars(
        select(CodingSample).where(CodingSample.partnership_id == scope.partnership_id)
    ):
        result = sample_agreement(db, sample, codebook.keys)
        for rows in result.auto_vs_people.values():
            values += [r.kappa for r in rows.values() if r.kappa is not None]
    return sum(values) / len(values) if values else None
