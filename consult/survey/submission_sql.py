"""A submission written in one statement on PostgreSQL.

Storing a response writes four tables: the response, its answers, its free-text
answers as text units, and their automatic codes. Row by row that is seven round
trips to a database server (BEGIN, four INSERTs, their batches, COMMIT). On
PostgreSQL, data-modifying ``WITH`` clauses write all four in one statement,
which is atomic on its own: in autocommit the whole submission is one round trip.
The rows are the same as :func:`consult.survey.services.store_prepared` writes
row by row elsewhere (``tests/consult/survey/test_submission_sql.py`` compares them).

The answers, units and codes travel as three JSON arrays of objects, read on the
server by ``json_to_recordset`` (one ``json.dumps`` each costs the client less
than adapting a dozen lists). A repeated instance id inserts nothing (``ON
CONFLICT DO NOTHING``), and the statement returns no row.
"""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.engine import Connection

_SUBMISSION = text(
    """
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
), new_units AS (
    INSERT INTO text_unit (partnership_id, source, survey_id, response_id, question,
                           respondent_key, language, text, attributes, sentiment,
                           sentiment_basis, coded_version, theme_keys, created_at)
    SELECT :partnership_id, :unit_source, :survey_id, new_response.id, u.question,
           'r' || new_response.id, :language, u.text, CAST(:attributes AS json), u.sentiment,
           u.sentiment_basis, :codebook_version, u.theme_keys, :submitted_at
    FROM new_response,
         json_to_recordset(CAST(:units AS json))
             AS u(question varchar, text text, sentiment double precision,
                  sentiment_basis varchar, theme_keys text)
    RETURNING id, question
), new_codes AS (
    INSERT INTO auto_code (unit_id, theme, codebook_version, evidence)
    SELECT new_units.id, c.theme, :codebook_version, c.evidence
    FROM new_units
    JOIN json_to_recordset(CAST(:codes AS json))
             AS c(question varchar, theme varchar, evidence json)
      ON c.question = new_units.question
)
SELECT id FROM new_response
"""
)


def insert_submission(
    connection: Connection,
    response: dict,
    answers: list[dict],
    coded: list,
    codebook_version: int,
    unit_source: str,
) -> int | None:
    """Insert a response with its answers, text units and codes in one statement.

    ``response``: the response row's values (``attributes`` a dict); ``answers``:
    rows of ``question``, ``position`` and ``value``; ``coded``: the coded free-text
    answers (:class:`consult.coding.services.CodedAnswer`). Returns the new
    response's id, or ``None`` when its instance id is stored already.
    """
    units = [
        {
            "question": answer.question,
            "text": answer.text,
            "sentiment": answer.sentiment,
            "sentiment_basis": answer.sentiment_basis,
            "theme_keys": answer.theme_keys,
        }
        for answer in coded
    ]
    codes = [
        {"question": answer.question, "theme": theme, "evidence": evidence}
        for answer in coded
        for theme, evidence in answer.codes
    ]
    parameters = {
        **response,
        "attributes": json.dumps(response["attributes"]),
        "answers": json.dumps(answers),
        "unit_source": unit_source,
        "units": json.dumps(units),
        "codebook_version": codebook_version,
        "codes": json.dumps(codes),
    }
    return connection.execute(_SUBMISSION, parameters).scalar()
