"""Responses and their answers, read in batches so memory stays bounded.

Responses are read in id order, ``BATCH_SIZE`` at a time (keyset
pagination: ``id > last id of the previous batch``), and each batch's
answers come in one more query over the same id range, grouped in Python.
Two queries per batch, never one per response, and no cursor held open
while a slow client downloads. An export covers the responses that existed
when it started (ids up to a snapshot), so the row count written to the
audit log before a download streams is the count that the file holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.exports.layout import ResponseMeta
from consult.models import Answer, Response, SurveyVersion

BATCH_SIZE = 2000
"""Responses per batch (each batch: one query for responses, one for their answers)."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The responses an export covers: not withdrawn, id at most ``max_id``."""

    survey_id: int
    count: int
    max_id: int


def take_snapshot(db: Session, survey_id: int) -> Snapshot:
    """How many responses an export of this survey holds, and up to which id."""
    count, max_id = db.execute(
        select(func.count(Response.id), func.max(Response.id)).where(
            Response.survey_id == survey_id, Response.withdrawn_at.is_(None)
        )
    ).one()
    return Snapshot(survey_id, count or 0, max_id or 0)


def response_batches(
    db: Session, snapshot: Snapshot, batch_size: int | None = None
) -> Iterator[list[tuple[ResponseMeta, dict[str, object]]]]:
    """Batches of ``(response metadata, {question: value})``, oldest response first."""
    size = batch_size or BATCH_SIZE
    last_id = 0
    while last_id < snapshot.max_id:
        rows = db.execute(
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
            .where(
                Response.survey_id == snapshot.survey_id,
                Response.withdrawn_at.is_(None),
                Response.id > last_id,
                Response.id <= snapshot.max_id,
            )
            .order_by(Response.id)
            .limit(size)
        ).all()
        if not rows:
            return
        first_id, last_id = rows[0][0], rows[-1][0]
        answers = _answers_between(db, snapshot.survey_id, first_id, last_id)
        yield [(ResponseMeta(*row), answers.get(row[0], {})) for row in rows]
        if len(rows) < size:
            return


def _answers_between(
    db: Session, survey_id: int, first_id: int, last_id: int
) -> dict[int, dict[str, object]]:
    """Answers of this survey's responses with ids in ``[first_id, last_id]``."""
    grouped: dict[int, dict[str, object]] = {}
    rows = db.execute(
        select(Answer.response_id, Answer.question, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.response_id >= first_id,
            Answer.response_id <= last_id,
            Response.survey_id == survey_id,
            Response.withdrawn_at.is_(None),
        )
        .order_by(Answer.response_id)
    )
    current_id = None
    current: dict[str, object] = {}
    for response_id, question, value in rows:
        if response_id != current_id:
            current_id = response_id
            current = grouped.setdefault(response_id, {})
        current[question] = value
    return grouped
