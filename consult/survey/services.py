"""Surveys as stored: imported from forms, found by slug, counted by language (services
take the session, never commit). What respondents' requests read and write lives in
:mod:`consult.survey.records`, :mod:`consult.survey.drafts` and
:mod:`consult.survey.submission`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from consult.models import Partnership, Response, Survey, SurveyStatus, SurveyVersion
from consult.survey import records
from consult.survey.submission import StoredResponse, prepare_response, store_prepared
from forms.model import Survey as SurveyDefinition
from forms.problems import FormError, Problem
from forms.xlsform import read_xlsform


class SurveyConflict(ValueError):
    """A survey slug already used by another partnership."""


@dataclass(frozen=True)
class Imported:
    survey: Survey
    version: SurveyVersion
    definition: SurveyDefinition


class UnknownSurvey(ValueError):
    """``new_version_of`` names no survey of the partnership."""


def import_survey(
    db: Session,
    partnership: Partnership,
    source: bytes,
    source_name: str,
    *,
    slug: str | None = None,
    drop_unsupported: bool = False,
    new_version_of: str | None = None,
    definition: SurveyDefinition | None = None,
) -> Imported:
    """Store a form as a new survey, or as a new version of ``new_version_of`` only.

    A form never becomes a version of another survey unless asked: without
    ``new_version_of``, a ``slug`` already taken is a :class:`SurveyConflict`,
    and a slug taken from the form's ``form_id`` (or pyxform's name for a form
    without one) gets a number added (``data-2``). ``definition`` is the form
    already read from ``source``, so an upload is parsed once.
    """
    if definition is None:
        definition = read_xlsform(source, drop_unsupported=drop_unsupported)
    if new_version_of:
        survey = db.scalar(select(Survey).where(Survey.slug == new_version_of))
        if survey is None or survey.partnership_id != partnership.id:
            raise UnknownSurvey(new_version_of)
    else:
        survey = None
        slug = slug or free_slug(db, definition.form_id)
        if db.scalar(select(Survey.id).where(Survey.slug == slug)) is not None:
            raise SurveyConflict(slug)
    if survey is None:
        survey = Survey(
            partnership=partnership,
            slug=slug,
            status=SurveyStatus.DRAFT,
            default_language=definition.default_language,
        )
        db.add(survey)
        db.flush()
    survey.default_language = definition.default_language
    survey.languages = list(definition.languages)
    number = (
        db.scalar(
            select(func.max(SurveyVersion.number)).where(SurveyVersion.survey_id == survey.id)
        )
        or 0
    ) + 1
    version = SurveyVersion(
        survey_id=survey.id,
        number=number,
        form_version=definition.version,
        source_name=source_name,
        source=source,
    )
    db.add(version)
    db.flush()
    survey.current_version = version
    return Imported(survey, version, definition)


def free_slug(db: Session, wanted: str) -> str:
    """``wanted`` if no survey has it, else ``wanted-2``, ``wanted-3``..."""
    base = wanted[:72] or "survey"
    taken = set(db.scalars(select(Survey.slug).where(Survey.slug.startswith(base))))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def check_form(source: bytes, drop_unsupported: bool = False) -> list[Problem]:
    """Every problem that would stop this form importing (empty when it would)."""
    try:
        read_xlsform(source, drop_unsupported=drop_unsupported)
    except FormError as error:
        return error.problems
    return []


_SURVEY_BY_SLUG = select(Survey).where(Survey.slug == bindparam("slug"))


def survey_by_slug(db: Session, slug: str) -> Survey | None:
    """The survey with this slug, any status (as researchers' pages and commands
    use it; respondents' requests read :func:`consult.survey.records.survey_by_slug`)."""
    return db.scalar(_SURVEY_BY_SLUG, {"slug": slug})


def store_response(
    db: Session, survey: Survey, version_id: int, *args, **kwargs
) -> tuple[StoredResponse, bool]:
    """Store a response outside a respondent's request (seeds, tests, imports), on the
    session's connection, without the write lock: for callers with no concurrent
    writers (the caller commits). The arguments after ``version_id`` are
    :func:`consult.survey.submission.prepare_response`'s."""
    db.flush()  # the survey, if it is new, and anything else pending
    connection = db.connection()
    record = records.survey_by_slug(connection, survey.slug)
    prepared = prepare_response(connection, record, version_id, *args, **kwargs)
    return store_prepared(connection, prepared)


def response_counts_by_language(db: Session, partnership_ids: set[int]) -> dict[int, dict]:
    """survey id -> {language: count} of responses not withdrawn."""
    rows = db.execute(
        select(Response.survey_id, Response.language, func.count())
        .where(Response.partnership_id.in_(partnership_ids), Response.withdrawn_at.is_(None))
        .group_by(Response.survey_id, Response.language)
    )
    counts: dict[int, dict] = {}
    for survey_id, language, count in rows:
        counts.setdefault(survey_id, {})[language] = count
    return counts
