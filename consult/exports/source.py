"""Responses and their answers, read in batches so memory stays bounded.

An export starts by reading the ids of the responses it covers (not
withdrawn, in id order): that list is its snapshot, 8 bytes a response, so
the row count written to the audit log before a download streams is the
count the file holds, whatever arrives meanwhile. Then, ``BATCH_SIZE`` ids
at a time, one query reads those responses and one more reads all their
answers, grouped in Python: two queries per batch, never one per response,
both by primary key or the answer table's (response_id, question) index,
and no cursor held open while a slow client downloads.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from consult.exports.layout import ResponseMeta
from consult.models import Answer, Response, SurveyVersion

BATCH_SIZE = 2000
"""Responses per batch (each batch: one query for responses, one for their answers)."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The responses an export covers: their ids, in order."""

    survey_id: int
    ids: array

    @property
    def count(self) -> int:
        return len(self.ids)


def count_responses(db: Session, survey_id: int) -> int:
    """How many responses of this survey an export would hold now."""
    return db.scalar(
        select(func.count(Response.id)).where(
            Response.survey_id == survey_id, Response.withdrawn_at.is_(None)
        )
    )


def take_snapshot(db: Session, survey_id: int) -> Snapshot:
    """The ids of this survey's responses that are not withdrawn, oldest first."""
    ids = array("q")
    rows = db.connection().execute(
        select(Response.id)
        .where(Response.survey_id == survey_id, Response.withdrawn_at.is_(None))
        .order_by(Response.id)
    )
    ids.extend(row[0] for row in rows)
    return Snapshot(survey_id, ids)


def response_batches(
    db: Session, snapshot: Snapshot, batch_size: int | None = None
) -> Iterator[list[tuple[ResponseMeta, dict[str, object]]]]:
    """Batches of ``(response metadata, {question: value})``, oldest response first.

    Queries run on the session's connection as Core statements (no ORM
    row processing); see :func:`_answers_of` for how answers are read.
    A response withdrawn after the snapshot was taken is left out.
    """
    size = batch_size or BATCH_SIZE
    connection = db.connection()
    decode = JsonCache()
    ids = snapshot.ids
    for start in range(0, len(ids), size):
        wanted = ids[start : start + size].tolist()
        rows = connection.execute(
            select(
                Response.id,
                Response.reference,
                Response.submitted_at,
                Response.language,
                SurveyVersion.number,
                Response.channel,
                Response.started_at,
            )
            .join(SurveyVersion, SurveyVersion.id == Response.survey_version_id)
            .where(Response.id.in_(wanted), Response.withdrawn_at.is_(None))
            .order_by(Response.id)
        ).all()
        answers = _answers_of(connection, decode, wanted)
        yield [(ResponseMeta(*row), answers.get(row[0], {})) for row in rows]


class JsonCache:
    """``json.loads`` that remembers short texts: choice names, lists of them, numbers.

    Values it returns may be shared between rows: exporters read them, never
    change them. Long texts (free-text answers, repeats) are decoded anew.
    """

    LIMIT = 20_000
    SHORT = 100

    def __init__(self) -> None:
        self.known: dict[str, object] = {}

    def __call__(self, text: str | None) -> object:
        if text is None:
            return None
        known = self.known
        try:
            return known[text]
        except KeyError:
            pass
        value = json.loads(text)
        if len(text) <= self.SHORT:
            if len(known) >= self.LIMIT:
                known.clear()
            known[text] = value
        return value


def _answers_of(connection, decode: JsonCache, ids: list[int]) -> dict[int, dict[str, object]]:
    """Answers of these responses, ``{response id: {question: value}}``.

    The heaviest query of an export, so it is tuned: on SQLite and
    PostgreSQL the database groups each response's answers into one JSON
    object (``json_group_object`` / ``json_object_agg``), decoded in one
    ``json.loads`` a response, about three times cheaper than a row per
    answer; elsewhere a row per answer, grouped here. Rows come straight
    from the DB-API cursor (the statement compiled by SQLAlchemy, the ids,
    integers read from the database, rendered inline), skipping row objects.
    """
    dialect = connection.dialect.name
    if dialect in _GROUPED:
        statement = (
            select(Answer.response_id, _GROUPED[dialect]())
            .where(Answer.response_id.in_(ids))
            .group_by(Answer.response_id)
        )
        grouped: dict[int, dict[str, object]] = {}
        for response_id, answers in _fetch(connection, statement):
            grouped[response_id] = json.loads(answers) if isinstance(answers, str) else answers
        return grouped
    statement = (
        select(Answer.response_id, Answer.question, cast(Answer.value, Text))
        .where(Answer.response_id.in_(ids))
        .order_by(Answer.response_id)
    )
    grouped = {}
    current_id = None
    current: dict[str, object] = {}
    for response_id, question, value in _fetch(connection, statement):
        if response_id != current_id:
            current_id = response_id
            current = grouped.setdefault(response_id, {})
        current[question] = decode(value)
    return grouped


_GROUPED = {
    "sqlite": lambda: func.json_group_object(Answer.question, func.json(Answer.value)),
    "postgresql": lambda: cast(func.json_object_agg(Answer.question, Answer.value), Text),
}
"""Per dialect: one JSON object of a response's answers, keyed by question."""


def _fetch(connection, statement) -> list[tuple]:
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()
