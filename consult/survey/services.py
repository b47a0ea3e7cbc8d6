"""Surveys, drafts and responses (services take the session, never commit)."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, timedelta

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from consult.coding.services import latest_codebook_version_of, warm_up
from consult.coding.units import code_answers, insert_units, submission_rows
from consult.connections import SessionOrConnection, connection_of
from consult.definitions import definition_by_id
from consult.models import (
    Answer,
    Draft,
    Partnership,
    Response,
    Survey,
    SurveyStatus,
    SurveyVersion,
    utcnow,
)
from consult.survey.codes import derived_code, new_code, normalise_code
from consult.survey.submission_sql import insert_submission
from forms.model import Survey as SurveyDefinition
from forms.problems import FormError, Problem
from forms.repeats import MAX_ENTRIES
from forms.xlsform import read_xlsform

RESUME_CODE_LENGTH = 10
"""Characters in a resume code: 30**10 (about 49 bits) possible codes."""


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


def open_surveys(db: Session) -> list[Survey]:
    """Surveys newcomers can answer now."""
    query = select(Survey).where(Survey.status == SurveyStatus.OPEN).order_by(Survey.slug)
    return list(db.scalars(query))


# Statements on every respondent's request are built once: building a select
# costs more than running it on SQLite.
_SURVEY_BY_SLUG = select(Survey).where(Survey.slug == bindparam("slug"))
_SURVEY_AND_DRAFT = (
    select(Survey, Draft)
    .outerjoin(Draft, (Draft.survey_id == Survey.id) & (Draft.token == bindparam("token")))
    .where(Survey.slug == bindparam("slug"))
)
_response = Response.__table__.c
_STORED_BY_INSTANCE = select(
    _response.id,
    _response.reference,
    _response.partnership_id,
    _response.survey_id,
    _response.language,
    _response.attributes,
).where(_response.instance_id == bindparam("instance_id"))


@dataclass(frozen=True, slots=True)
class SurveyRecord:
    """What a respondent's request (a page's GET, an API submission) reads of a survey:
    plain values, no ORM object."""

    id: int
    partnership_id: int
    slug: str
    status: SurveyStatus
    default_language: str
    languages: list
    languages_allowed: list
    current_version_id: int | None
    version_number: int | None  # of the current version
    definition: SurveyDefinition | None  # of the current version


@dataclass(frozen=True, slots=True)
class DraftRecord:
    """What showing a survey page reads of a draft: plain values, no ORM object."""

    id: int
    survey_version_id: int
    language: str
    answers: dict
    expires_at: object
    definition: SurveyDefinition  # of the version the draft was started on


AnySurvey = Survey | SurveyRecord
"""A survey as an ORM object, or as the record a respondent's request reads."""

_survey, _draft = Survey.__table__.c, Draft.__table__.c
_version = SurveyVersion.__table__.c
_SURVEY_VALUES = (
    _survey.id,
    _survey.partnership_id,
    _survey.slug,
    _survey.status,
    _survey.default_language,
    _survey.languages,
    _survey.languages_allowed,
    _survey.current_version_id,
    _version.number,
)
_SURVEY_WITH_VERSION = Survey.__table__.outerjoin(
    SurveyVersion.__table__, _version.id == _survey.current_version_id
)
_SURVEY_AND_DRAFT_VALUES = (
    select(
        *_SURVEY_VALUES,
        _draft.id,
        _draft.survey_version_id,
        _draft.language,
        _draft.answers,
        _draft.expires_at,
    )
    .select_from(_SURVEY_WITH_VERSION)
    .outerjoin(
        Draft.__table__, (_draft.survey_id == _survey.id) & (_draft.token == bindparam("token"))
    )
    .where(_survey.slug == bindparam("slug"))
)
_SURVEY_FOR_SUBMISSION = (
    select(*_SURVEY_VALUES, latest_codebook_version_of(_survey.partnership_id))
    .select_from(_SURVEY_WITH_VERSION)
    .where(_survey.slug == bindparam("slug"))
)


def _survey_record(db: SessionOrConnection, values) -> SurveyRecord:
    version_id = values[7]
    definition = None if version_id is None else definition_by_id(db, version_id)
    return SurveyRecord(*values, definition)


def survey_and_draft_records(
    connection: Connection, slug: str, token: str | None
) -> tuple[SurveyRecord | None, DraftRecord | None]:
    """:func:`survey_and_draft` as plain records, in one statement and without the
    ORM: what a survey page's GET needs (the busiest request in Consult)."""
    row = connection.execute(_SURVEY_AND_DRAFT_VALUES, {"slug": slug, "token": token}).first()
    if row is None:
        return None, None
    survey = _survey_record(connection, row[:9])
    draft_id, draft_version_id, *values = row[9:]
    if draft_id is None or _as_aware(values[-1]) < utcnow():
        return survey, None
    draft_definition = definition_by_id(connection, draft_version_id)
    return survey, DraftRecord(draft_id, draft_version_id, *values, draft_definition)


def set_draft_language(connection: Connection, draft: DraftRecord, language: str) -> DraftRecord:
    """The draft, answering in ``language`` from now on (the caller commits)."""
    connection.execute(
        update(Draft.__table__).where(_draft.id == draft.id).values(language=language)
    )
    return replace(draft, language=language)


def survey_for_submission(
    db: SessionOrConnection, slug: str
) -> tuple[SurveyRecord | None, int | None]:
    """The survey with this slug (a record) and its partnership's latest codebook
    version, in one statement."""
    row = connection_of(db).execute(_SURVEY_FOR_SUBMISSION, {"slug": slug}).first()
    return (None, None) if row is None else (_survey_record(db, row[:9]), row[9])


def survey_by_slug(db: Session, slug: str) -> Survey | None:
    """The survey with this slug, any status."""
    return db.scalar(_SURVEY_BY_SLUG, {"slug": slug})


def current_definition(survey: Survey | SurveyRecord) -> SurveyDefinition:
    """The parsed definition of the survey's current version."""
    if isinstance(survey, SurveyRecord):
        return survey.definition
    return definition_by_id(object_session(survey), survey.current_version_id)


def start_draft(db: Session, survey: Survey, language: str, days: int) -> Draft:
    """A new draft after consent, with the instance id its submission will carry."""
    draft = Draft(
        token=uuid.uuid4().hex,
        survey_id=survey.id,
        survey_version_id=survey.current_version_id,
        instance_id=str(uuid.uuid4()),
        language=language,
        answers={},
        page=0,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.add(draft)
    return draft


def survey_and_draft(
    db: Session, slug: str, token: str | None
) -> tuple[Survey | None, Draft | None]:
    """The survey with this slug and its unexpired draft with this token, in one query."""
    if not token:
        return survey_by_slug(db, slug), None
    row = db.execute(_SURVEY_AND_DRAFT, {"slug": slug, "token": token}).first()
    if row is None:
        return None, None
    survey, draft = row
    if draft is not None and _as_aware(draft.expires_at) < utcnow():
        draft = None
    return survey, draft


def find_draft(db: Session, token: str | None, survey: Survey) -> Draft | None:
    """The unexpired draft with this token for this survey."""
    if not token:
        return None
    draft = db.scalar(select(Draft).where(Draft.token == token, Draft.survey_id == survey.id))
    if draft is None or _as_aware(draft.expires_at) < utcnow():
        return None
    return draft


def _as_aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _code_digest(code: str, secret: str) -> str:
    return hmac.new(secret.encode(), normalise_code(code).encode(), hashlib.sha256).hexdigest()


def issue_resume_code(draft: Draft, secret: str) -> str:
    """The draft's resume code (only its keyed hash is stored).

    A draft has one code, derived from its token with the secret key, so showing
    it again (a reload of the "saved" page) shows the same code and the one
    written down first keeps working until the draft is submitted or expires.
    """
    code = derived_code(secret, f"resume:{draft.token}", RESUME_CODE_LENGTH)
    digest = _code_digest(code, secret)
    if draft.resume_code_hash != digest:
        draft.resume_code_hash = digest
    return code


def draft_by_resume_code(db: Session, code: str, secret: str) -> Draft | None:
    """The unexpired draft this resume code belongs to, if any."""
    if not code or len(code) > 40:
        return None
    draft = db.scalar(select(Draft).where(Draft.resume_code_hash == _code_digest(code, secret)))
    if draft is None or _as_aware(draft.expires_at) < utcnow():
        return None
    return draft


def purge_expired_drafts(db: Session) -> int:
    """Delete drafts past their expiry; return how many."""
    result = db.execute(delete(Draft).where(Draft.expires_at < utcnow()))
    return result.rowcount or 0


def save_draft_answers(draft: Draft, answers: dict[str, object], page: int) -> None:
    """Keep the answers so far (a new dict, so the JSON column sees the change)."""
    draft.answers = {**draft.answers, **answers}
    draft.page = page


def change_entries(draft: Draft, action: str, repeats: set[str]) -> None:
    """Add an entry to a repeat (``add:<name>``) or remove one (``remove:<name>:<i>``).

    Only repeats in ``repeats`` (those on the page) can change.
    """
    kind, _, rest = action.partition(":")
    name, _, index = rest.partition(":")
    if name not in repeats:
        return
    entries = list(draft.answers.get(name) or [{}])
    if kind == "add" and len(entries) < MAX_ENTRIES:
        entries.append({})
    elif kind == "remove" and index.isdigit() and int(index) < len(entries) and len(entries) > 1:
        del entries[int(index)]
    draft.answers = {**draft.answers, name: entries}


def find_stored(db: SessionOrConnection, instance_id: str) -> StoredResponse | None:
    """What a submission's caller needs of the response stored with this instance id."""
    row = connection_of(db).execute(_STORED_BY_INSTANCE, {"instance_id": instance_id}).first()
    return None if row is None else StoredResponse(*row)


@dataclass(frozen=True)
class StoredResponse:
    """A response just stored: what its callers and its text units need."""

    id: int
    reference: str
    partnership_id: int
    survey_id: int
    language: str
    attributes: dict


_INSERT_RESPONSE = insert(Response.__table__)
_INSERT_ANSWERS = insert(Answer.__table__)


@dataclass(frozen=True)
class PreparedResponse:
    """A validated response, coded and ready to store (no database write yet)."""

    survey: Survey
    version_id: int
    instance_id: str
    language: str
    answers: dict
    channel: str
    started_at: object
    definition: SurveyDefinition
    coded: list
    codebook_version: int


def prepare_response(
    db: SessionOrConnection,
    survey: Survey,
    version_id: int,
    instance_id: str,
    language: str,
    answers: dict[str, object],
    *,
    channel: str = "web",
    started_at=None,
    codebook_version: int | None = None,
) -> PreparedResponse:
    """Everything a submission needs before it is written: its definition, and its
    free-text answers coded (themes, evidence, sentiment) with the current codebook.
    Reads only, so it runs before the write lock is taken. ``codebook_version``: the
    partnership's latest, when the caller read it already (else it is read here)."""
    definition = definition_by_id(db, version_id)
    coder, codebook_version = warm_up(db, survey.partnership_id, codebook_version)
    return PreparedResponse(
        survey=survey,
        version_id=version_id,
        instance_id=instance_id,
        language=language,
        answers=answers,
        channel=channel,
        started_at=started_at,
        definition=definition,
        coded=code_answers(definition, language, answers, coder),
        codebook_version=codebook_version,
    )


def store_prepared(
    db: SessionOrConnection, prepared: PreparedResponse
) -> tuple[StoredResponse, bool]:
    """Store a prepared response once per instance id: ``(response, created)``.

    A second submission with the same instance id (double tap, retry,
    concurrent duplicate) returns the stored response and stores nothing: the
    unique instance id decides, so no read is spent on the usual first submission.
    ``db``: a session, or a connection (the caller commits either). Call it before
    anything else is pending (a duplicate rolls back). The response returned is a
    :class:`StoredResponse`, the new one or the one stored before.
    The response, its answers and its text units are inserted as rows, without
    ORM objects: this is the busiest write in Consult. On PostgreSQL they are
    written in one statement (:mod:`consult.survey.submission_sql`).
    """
    store = (
        _store_in_one_statement
        if connection_of(db).dialect.name == "postgresql"
        else _store_row_by_row
    )
    return store(db, prepared, *_rows_of(prepared))


def _rows_of(prepared: PreparedResponse) -> tuple[StoredResponse, dict, list[dict]]:
    """The response as stored (its id still 0), its row's values, and its answer rows."""
    survey = prepared.survey
    stored = StoredResponse(
        id=0,
        reference=new_code(),
        partnership_id=survey.partnership_id,
        survey_id=survey.id,
        language=prepared.language,
        attributes=breakdown_attributes(prepared.definition, prepared.answers),
    )
    values = {
        "partnership_id": stored.partnership_id,
        "survey_id": stored.survey_id,
        "survey_version_id": prepared.version_id,
        "instance_id": prepared.instance_id,
        "reference": stored.reference,
        "language": stored.language,
        "channel": prepared.channel,
        "started_at": prepared.started_at,
        "submitted_at": utcnow(),
        "attributes": stored.attributes,
    }
    return stored, values, _answer_rows(prepared.definition, prepared.answers)


def _store_in_one_statement(db: SessionOrConnection, prepared, stored, values, answers):
    new_id = insert_submission(
        connection_of(db),
        values,
        answers,
        submission_rows(replace(stored, id=0), prepared.coded, prepared.codebook_version),
    )
    if new_id is None:
        return find_stored(db, prepared.instance_id), False
    return replace(stored, id=new_id), True


def _store_row_by_row(db: SessionOrConnection, prepared, stored, values, answers):
    try:
        result = connection_of(db).execute(_INSERT_RESPONSE, values)
    except IntegrityError:
        db.rollback()
        existing = find_stored(db, prepared.instance_id)
        if existing is None:
            raise
        return existing, False
    stored = replace(stored, id=result.inserted_primary_key[0])
    if answers:
        rows = [{**row, "response_id": stored.id} for row in answers]
        connection_of(db).execute(_INSERT_ANSWERS, rows)
    insert_units(connection_of(db), stored, prepared.coded, prepared.codebook_version)
    return stored, True


def store_response(db: Session, *args, **kwargs) -> tuple[StoredResponse, bool]:
    """:func:`prepare_response` (same arguments) then :func:`store_prepared`, without the
    write lock: for callers with no concurrent writers (the caller commits)."""
    return store_prepared(db, prepare_response(db, *args, **kwargs))


def _answer_rows(definition, answers: dict) -> list[dict]:
    """One row per answer (no object per answer), in the form's order of questions."""
    order = {q.name: i for i, q in enumerate(definition.iter_questions())}
    return [
        {"question": q, "position": order.get(q, 0), "value": value} for q, value in answers.items()
    ]


def breakdown_attributes(definition: SurveyDefinition, answers: dict) -> dict[str, str]:
    """The answers to breakdown questions (single values only), for summaries."""
    return {
        q.name: answers[q.name]
        for q in definition.breakdown_questions()
        if isinstance(answers.get(q.name), str)
    }


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


def draft_definition(draft: Draft | DraftRecord) -> SurveyDefinition:
    """The definition of the version the draft was started on."""
    if isinstance(draft, DraftRecord):
        return draft.definition
    return definition_by_id(object_session(draft), draft.survey_version_id)
