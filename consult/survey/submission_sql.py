"""A submission written in one statement on PostgreSQL.

Storing a response writes four tables: the response, its answers, its free-text
answers as text units, and their automatic codes. Row by row that is seven round
trips to a database server (BEGIN, four INSERTs, their batches, COMMIT). On
PostgreSQL, data-modifying ``WITH`` clauses write all four in one statement,
which is atomic on its own: in autocommit the whole submission is one round trip.
The rows are the same as :func:`consult.survey.submission.store_prepared` writes
row by row elsewhere, built by the same functions (:mod:`consult.coding.units`,
which also writes the clauses for units and codes);
``tests/consult/survey/test_submission_sql.py`` compares them.

The answers, units and codes travel as three JSON arrays of objects, read on the
server by ``json_to_recordset`` (one ``json.dumps`` each costs the client less
than adapting a dozen lists). A repeated instance id inserts nothing (``ON
CONFLICT DO NOTHING``), and the statement returns no row.
"""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.engine import Connection

from consult.coding.units import insert_units_sql

_RESPONSE_AND_ANSWERS = """
WITH new_response AS (
    INSERT INTO response (partnership_id, survey_id, survey_version_id, instance_id,
                          reference, language, channel, started_at, submitted_at, attributes)
    VALUES (:partnership_id, :survey_id, :survey_version_id, :instance_id,
            :reference, :language, :channel, :started_at, :submitted_at,
            CAST(:attributes AS json))
    ON CONFLICT (instance_id) DO NOTHING
    RETURNING id
), new_answers AS (
    INSERT INTO answer (response_id, question, position, value)
    SELECT new_response.id, a.question, a.position, a.value
    FROM new_response,
         json_to_recordset(CAST(:answers AS json))
             AS a(question varchar, position integer, value json)
), """
# Every value is a parameter; the statement's text holds no input.
_SUBMISSION = text(
    "".join(
        [
            _RESPONSE_AND_ANSWERS,
            insert_units_sql("new_response", ":submitted_at"),
            "\nSELECT id FROM new_response\n",
        ]
    )
)


def insert_submission(
    connection: Connection, response: dict, answers: list[dict], units: dict[str, str]
) -> int | None:
    """Insert a response with its answers, text units and codes in one statement.

    ``response``: the response row's values (``attributes`` a dict); ``answers``:
    rows of ``question``, ``position`` and ``value``; ``units``: the units and codes
    as :func:`consult.coding.units.submission_rows` gives them. Returns the new
    response's id, or ``None`` when its instance id is stored already.
    """
    parameters = {
        **response,
        "attributes": json.dumps(response["attributes"]),
        "answers": json.dumps(answers),
        **units,
    }
    return connection.execute(_SUBMISSION, parameters).scalar()
