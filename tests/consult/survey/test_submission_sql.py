"""On PostgreSQL a submission is written in one statement; the rows are those the
row-by-row path writes, a repeated instance id writes nothing, and the API's
submission runs without a transaction around it (the statement is atomic alone)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, select

from consult import db
from consult.coding.models import AutoCode, TextUnitRow
from consult.models import Answer, Response
from consult.survey import records, submission

pytestmark = pytest.mark.postgres

SLUG = "needs-assessment"
ANSWERS = {
    "years_in_canada": "y1_3",
    "age_band": "a25_34",
    "area": "north",
    "housing_problems": ["cost", "crowded"],
    "hardest_part": "Finding housing near work, and an English class for my wife.",
    "more_welcoming": "مساعدة في العثور على عمل",
}


def _prepared(connection, instance_id: str):
    survey, codebook_version = records.survey_for_submission(connection, SLUG)
    return submission.prepare_response(
        connection,
        survey,
        survey.current_version_id,
        instance_id,
        "en",
        ANSWERS,
        channel="api",
        codebook_version=codebook_version,
    )


def _stored_rows(session, response_id: int) -> dict:
    response = session.get(Response, response_id)
    answers = session.scalars(select(Answer).where(Answer.response_id == response_id)).all()
    units = session.scalars(select(TextUnitRow).where(TextUnitRow.response_id == response_id)).all()
    codes = session.scalars(
        select(AutoCode).where(AutoCode.unit_id.in_([u.id for u in units]))
    ).all()
    return {
        "response": {
            name: getattr(response, name)
            for name in (
                "partnership_id",
                "survey_id",
                "survey_version_id",
                "language",
                "channel",
                "started_at",
                "withdrawn_at",
                "attributes",
            )
        },
        "answers": sorted((a.question, a.position, a.value) for a in answers),
        "units": sorted(
            (
                u.source,
                u.survey_id,
                u.question,
                u.respondent_key == f"r{response_id}",
                u.language,
                u.text,
                u.attributes,
                u.sentiment,
                u.sentiment_basis,
                u.coded_version,
                u.theme_keys,
                u.segment_key,
                u.translation,
            )
            for u in units
        ),
        "codes": sorted((c.theme, c.codebook_version, c.evidence) for c in codes),
    }


def test_one_statement_writes_the_rows_the_row_by_row_path_writes(app):
    with app.app_context():
        session = db.session()
        connection = session.connection()
        one = _prepared(connection, str(uuid.uuid4()))
        assert one.coded and one.coded[0].coded.codes, (
            "the comparison needs a coded free-text answer"
        )
        stored_one, created_one = submission._store_in_one_statement(
            connection, one, *submission._rows_of(one)
        )
        rows = _prepared(connection, str(uuid.uuid4()))
        stored_rows, created_rows = submission._store_row_by_row(
            connection, rows, *submission._rows_of(rows)
        )
        db.commit()
        assert created_one and created_rows
        first, second = _stored_rows(session, stored_one.id), _stored_rows(session, stored_rows.id)
        assert first == second
        assert len(first["answers"]) == len(one.answers) and first["codes"]
        stored = session.get(Response, stored_one.id)
        assert stored.reference == stored_one.reference
        assert stored.submitted_at is not None


def test_a_repeated_instance_id_writes_nothing_and_returns_the_first(app):
    instance = str(uuid.uuid4())
    with app.app_context():
        session = db.session()
        connection = session.connection()
        first, created = submission.store_prepared(connection, _prepared(connection, instance))
        again, created_again = submission.store_prepared(
            connection, _prepared(connection, instance)
        )
        db.commit()
        assert created and not created_again
        assert again.id == first.id and again.reference == first.reference
        count = session.scalars(select(Response.id).where(Response.instance_id == instance)).all()
        assert count == [first.id]


def test_an_api_submission_is_one_write_outside_any_transaction(app, client):
    engine = app.extensions["consult.autocommit_engine"]
    seen: list[tuple[str, str]] = []

    def after(conn, _cursor, statement, *_args):
        status = conn.connection.driver_connection.info.transaction_status.name
        seen.append((statement.split()[0].upper(), status))

    body = {"instance_id": str(uuid.uuid4()), "language": "en", "answers": ANSWERS}
    event.listen(engine, "after_cursor_execute", after)
    try:
        response = client.post(f"/api/v1/surveys/{SLUG}/responses", json=body)
    finally:
        event.remove(engine, "after_cursor_execute", after)
    assert response.status_code == 201, response.get_json()
    writes = [status for kind, status in seen if kind == "WITH"]
    assert writes == ["IDLE"]  # one statement, committed on its own
    assert all(status == "IDLE" for _kind, status in seen)
