"""A submission written in one statement on PostgreSQL.

Storing a response writes four tables: the response, its answers, its free-text
answers as text units, and their automatic codes. Row by row that is seven round
trips to a database server (BEGIN, four INSERTs, their batches, COMMIT). On
PostgreSQL, data-modifying ``WITH`` clauses write all four in one statement,
which is atomic on its own: in autocommit the whole submission is one round trip.
The rows are the same as :func:`consult.survey.services.store_prepared` writes
row by row elsewhere (``tests/consult/test_submission_sql.py`` compares them).

Lists travel as arrays and are unnested on the server; JSON values travel as
text. A repeated instance id inserts nothing (``ON CONFLICT DO NOTHING``), and
the statement returns no row.
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
    SELECT new_response.id, a.question, a.position, CAST(a.value AS json)
    FROM new_response,
         unnest(CAST(:answer_questions AS varchar[]), CAST(:answer_positions AS integer[]),
                CAST(:answer_values AS text[])) AS a(question, position, value)
), new_units AS (
    INSERT INTO text_unit (partnership_id, source, survey_id, response_id, question,
                           respondent_key, language, text, attributes, sentiment,
                           sentiment_basis, coded_version, theme_keys, created_at)
    SELECT :partnership_id, :unit_source, :survey_id, new_response.id, u.question,
           'r' || new_response.id, :language, u.text, CAST(:attributes AS json), u.sentiment,
           u.sentiment_basis, :codebook_version, u.theme_keys, :submitted_at
    FROM new_response,
         unnest(CAST(:unit_questions AS varchar[]), CAST(:unit_texts AS text[]),
                CAST(:unit_sentiments AS double precision[]),
                CAST(:unit_sentiment_bases AS varchar[]), CAST(:unit_theme_keys AS text[]))
             AS u(question, text, sentiment, sentiment_basis, theme_keys)
    RETURNING id, question
), new_codes AS (
    INSERT INTO auto_code (unit_id, theme, codebook_version, evidence)
    SELECT new_units.id, c.theme, :codebook_version, CAST(c.evidence AS json)
    FROM new_units
    JOIN unnest(CAST(:code_questions AS varchar[]), CAST(:code_themes AS varchar[]),
                CAST(:code_evidence AS text[])) AS c(question, theme, evidence)
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
    codes = [
        (answer.question, theme, evidence) for answer in coded for theme, evidence in answer.codes
    ]
    parameters = {
        **response,
        "attributes": json.dumps(response["attributes"]),
        "answer_questions": [row["question"] for row in answers],
        "answer_positions": [row["position"] for row in answers],
        "answer_values": [json.dumps(row["value"]) for row in answers],
        "unit_source": unit_source,
        "unit_questions": [answer.question for answer in coded],
        "unit_texts": [answer.text for answer in coded],
        "unit_sentiments": [answer.sentiment for answer in coded],
        "unit_sentiment_bases": [answer.sentiment_basis for answer in coded],
        "unit_theme_keys": [answer.theme_keys for answer in coded],
        "codebook_version": codebook_version,
        "code_questions": [question for question, _theme, _evidence in codes],
        "code_themes": [theme for _question, theme, _evidence in codes],
        "code_evidence": [json.dumps(evidence) for _question, _theme, evidence in codes],
    }
    return connection.execute(_SUBMISSION, parameters).scalar()
