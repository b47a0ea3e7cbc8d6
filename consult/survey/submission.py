"""Storing a response: prepared (validated answers coded, reads only), then written
once per instance id as rows, on the request's connection (the caller commits);
and withdrawing it with its reference code.

The response, its answers and its text units are inserted as rows, without ORM
objects: this is the busiest write in Consult. On PostgreSQL they are written in
one statement (:mod:`consult.survey.submission_sql`); elsewhere row by row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from consult.coding.models import TextUnitRow
from consult.coding.services import warm_up
from consult.coding.units import code_answers, insert_units, submission_rows
from consult.definitions import definition_by_id
from consult.models import Answer, Response, utcnow
from consult.survey.codes import new_code, normalise_code
from consult.survey.records import SurveyRecord
from consult.survey.submission_sql import insert_submission
from forms.model import Survey as SurveyDefinition

_response = Response.__table__.c
_STORED_BY_INSTANCE = select(
    _response.id,
    _response.reference,
    _response.partnership_id,
    _response.survey_id,
    _response.language,
    _response.attributes,
).where(_response.instance_id == bindparam("instance_id"))
_INSERT_RESPONSE = insert(Response.__table__)
_INSERT_ANSWERS = insert(Answer.__table__)


@dataclass(frozen=True)
class StoredResponse:
    """A response just stored: what its callers and its text units need."""

    id: int
    reference: str
    partnership_id: int
    survey_id: int
    language: str
    attributes: dict


@dataclass(frozen=True)
class PreparedResponse:
    """A validated response, coded and ready to store (no database write yet)."""

    survey: SurveyRecord
    version_id: int
    instance_id: str
    language: str
    answers: dict
    channel: str
    started_at: object
    definition: SurveyDefinition
    coded: list
    codebook_version: int


def find_stored(connection: Connection, instance_id: str) -> StoredResponse | None:
    """What a submission's caller needs of the response stored with this instance id."""
    row = connection.execute(_STORED_BY_INSTANCE, {"instance_id": instance_id}).first()
    return None if row is None else StoredResponse(**row._mapping)


def prepare_response(
    connection: Connection,
    survey: SurveyRecord,
    version_id: int,
    instance_id: str,
    language: str,
    answers: dict[str, object],
    *,
    channel: str = "web",
    started_at=None,
    codebook_version: int | None = None,
) -> PreparedResponse:
    """Everything a submission needs before it is written: its free-text answers
    coded (themes, evidence, sentiment) with the current codebook. Reads only, so it
    runs before the write lock is taken. ``codebook_version``: the partnership's
    latest, when the caller read it already (else it is read here)."""
    definition = definition_by_id(connection, version_id)
    coder, codebook_version = warm_up(connection, survey.partnership_id, codebook_version)
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
    connection: Connection, prepared: PreparedResponse
) -> tuple[StoredResponse, bool]:
    """Store a prepared response once per instance id: ``(response, created)``.

    A second submission with the same instance id (double tap, retry,
    concurrent duplicate) returns the stored response and stores nothing: the
    unique instance id decides, so no read is spent on the usual first submission.
    Call it before anything else is pending (a duplicate rolls back); the caller
    commits. The response returned is the new one or the one stored before.
    """
    store = (
        _store_in_one_statement if connection.dialect.name == "postgresql" else _store_row_by_row
    )
    return store(connection, prepared, *_rows_of(prepared))


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


def _store_in_one_statement(connection: Connection, prepared, stored, values, answers):
    new_id = insert_submission(
        connection,
        values,
        answers,
        submission_rows(stored, prepared.coded, prepared.codebook_version),
    )
    if new_id is None:
        return find_stored(connection, prepared.instance_id), False
    return replace(stored, id=new_id), True


def _store_row_by_row(connection: Connection, prepared, stored, values, answers):
    try:
        result = connection.execute(_INSERT_RESPONSE, values)
    except IntegrityError:
        connection.rollback()
        existing = find_stored(connection, prepared.instance_id)
        if existing is None:
            raise
        return existing, False
    stored = replace(stored, id=result.inserted_primary_key[0])
    if answers:
        connection.execute(_INSERT_ANSWERS, [{**row, "response_id": stored.id} for row in answers])
    insert_units(connection, stored, prepared.coded, prepared.codebook_version)
    return stored, True


def _answer_rows(definition, answers: dict) -> list[dict]:
    """One row per answer (no object per answer), in the form's order of questions."""
    order = definition.question_positions()
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


MAX_CODE_INPUT = 40
"""Longest text accepted as a reference code (spaces and dashes included)."""

_BY_REFERENCE = select(_response.id).where(_response.reference == bindparam("reference"))
_WITHDRAW = (
    update(Response.__table__)
    .where(_response.id == bindparam("response_id"))
    .values(withdrawn_at=func.coalesce(_response.withdrawn_at, bindparam("now")), attributes={})
)
_DELETE_UNITS = delete(TextUnitRow.__table__).where(
    TextUnitRow.__table__.c.response_id == bindparam("response_id")
)
_DELETE_ANSWERS = delete(Answer.__table__).where(
    Answer.__table__.c.response_id == bindparam("response_id")
)


def withdraw_response(connection: Connection, code: str) -> str | None:
    """Withdraw the response with this reference code: its reference, or ``None``
    when there is none (the caller commits).

    The response row stays (so its instance id keeps retries idempotent), marked
    ``withdrawn_at``; its answers, its breakdown attributes and the text units made
    from it (with their codes, decisions and approved quotes, by cascade) are
    deleted. Withdrawing twice is harmless: the second time finds it withdrawn.
    """
    if not code or len(code) > MAX_CODE_INPUT:
        return None
    reference = normalise_code(code)
    if not reference:
        return None
    response_id = connection.execute(_BY_REFERENCE, {"reference": reference}).scalar()
    if response_id is None:
        return None
    ids = {"response_id": response_id}
    connection.execute(_WITHDRAW, {**ids, "now": utcnow()})
    connection.execute(_DELETE_UNITS, ids)
    connection.execute(_DELETE_ANSWERS, ids)
    return reference
