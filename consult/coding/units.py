"""The owner of ``text_unit`` and ``auto_code`` rows: every writer takes them from here.

A text unit is a piece of free text to code: a survey's free-text answer or a
focus-group note segment. :func:`code_text` codes one (themes with evidence,
sentiment where it is honest); from its result this module builds the rows:

- :func:`survey_unit_row`: the ``text_unit`` row of a response's free-text answer;
- :func:`code_rows`: a unit's ``auto_code`` rows (theme, codebook version, evidence).

The writers, all on these rows: :func:`insert_units` (a response stored row by
row, Core), :func:`consult.coding.services.code_unit` (a unit recoded in the ORM:
focus-group segments, translations, recodes) and, on PostgreSQL, the one-statement
submission, which sends the same rows as JSON (:func:`submission_rows`) into the
clauses :func:`insert_units_sql` writes. A new column is one edit here, plus its
migration.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, insert
from sqlalchemy.dialects import postgresql

from analysis.coding import Coder
from analysis.records import SOURCE_SURVEY, TextUnit
from analysis.sentiment import sentiment_of
from consult.coding.models import AutoCode, TextUnitRow
from forms.model import Survey as SurveyDefinition

RESPONDENT_PREFIX = "r"
"""A survey unit's respondent is ``r<response id>``."""


def theme_keys_text(themes: Iterable[str]) -> str:
    """Theme keys as stored in ``text_unit.theme_keys``: distinct, sorted, comma-separated."""
    return ",".join(sorted(set(themes)))


@dataclass(frozen=True)
class CodedText:
    """What coding one text gives: its codes and its sentiment."""

    codes: tuple[tuple[str, list], ...]  # (theme, evidence rows as auto_code stores them)
    sentiment: float | None
    sentiment_basis: str | None  # "original", "translation", or None
    similar: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (theme, nearest examples' ids)

    @property
    def theme_keys(self) -> str:
        return theme_keys_text(theme for theme, _evidence in self.codes)


def code_text(coder: Coder, unit: TextUnit) -> CodedText:
    """Code a unit: its themes with their evidence, and its sentiment where it is honest
    (English, French, or their human translation)."""
    coding = coder.code(unit)
    feeling = sentiment_of(unit.text, unit.language, unit.translation, unit.translation_language)
    return CodedText(
        codes=tuple((match.theme, evidence_rows(match)) for match in coding.matches),
        similar=tuple(
            (m.theme, tuple(e.example_id for e in m.similar)) for m in coding.matches if m.similar
        ),
        sentiment=None if feeling is None else feeling.polarity,
        sentiment_basis=None
        if feeling is None
        else ("translation" if feeling.from_translation else "original"),
    )


def evidence_rows(match) -> list:
    """A match's evidence as ``auto_code.evidence`` stores it:
    ``[start, end, matched text, found in the translation]`` per span."""
    return [[e.start, e.end, e.matched, match.in_translation] for e in match.evidence]


@dataclass(frozen=True)
class CodedAnswer:
    """A free-text answer coded before it is stored."""

    question: str
    text: str
    coded: CodedText


def code_answers(
    definition: SurveyDefinition, language: str, answers: dict, coder: Coder
) -> list[CodedAnswer]:
    """Code every non-empty free-text answer (no database: done before any write starts)."""
    free_text = definition.free_text_names()
    return [
        CodedAnswer(
            question,
            value,
            code_text(coder, TextUnit(unit_id="", text=value, language=language, respondent_id="")),
        )
        for question, value in answers.items()
        if question in free_text and isinstance(value, str) and value.strip()
    ]


def survey_unit_row(response, answer: CodedAnswer, version: int) -> dict:
    """The ``text_unit`` row of a response's free-text answer. ``response``: its
    ``id``, ``partnership_id``, ``survey_id``, ``language`` and ``attributes``."""
    return {
        "partnership_id": response.partnership_id,
        "source": SOURCE_SURVEY,
        "survey_id": response.survey_id,
        "response_id": response.id,
        "question": answer.question,
        "respondent_key": f"{RESPONDENT_PREFIX}{response.id}",
        "language": response.language,
        "text": answer.text,
        "attributes": dict(response.attributes or {}),
        "sentiment": answer.coded.sentiment,
        "sentiment_basis": answer.coded.sentiment_basis,
        "coded_version": version,
        "theme_keys": answer.coded.theme_keys,
    }


def code_rows(unit_id: int | None, coded: CodedText, version: int) -> list[dict]:
    """The ``auto_code`` rows of a coded unit."""
    similar = dict(coded.similar)
    return [
        {
            "unit_id": unit_id,
            "theme": theme,
            "codebook_version": version,
            "evidence": evidence,
            "similar": list(similar.get(theme, ())) or None,
        }
        for theme, evidence in coded.codes
    ]


_INSERT_UNIT = insert(TextUnitRow.__table__)
_INSERT_AUTO_CODES = insert(AutoCode.__table__)


def insert_units(connection: Connection, response, coded: list[CodedAnswer], version: int) -> None:
    """Store the coded answers of a new response as text units with their codes
    (rows, not ORM objects: every submission passes here)."""
    for answer in coded:
        result = connection.execute(_INSERT_UNIT, survey_unit_row(response, answer, version))
        rows = code_rows(result.inserted_primary_key[0], answer.coded, version)
        if rows:
            connection.execute(_INSERT_AUTO_CODES, rows)


# The one-statement submission (PostgreSQL): the same rows, sent as JSON arrays.
_FROM_RESPONSE = ("response_id", "respondent_key")  # known only once the response is inserted


def _typed(table, names) -> str:
    dialect = postgresql.dialect()
    return ", ".join(f"{name} {table.c[name].type.compile(dialect=dialect)}" for name in names)


class _AnyResponse:
    id = partnership_id = survey_id = 0
    language = ""
    attributes = None


def _unit_columns() -> tuple[str, ...]:
    """The columns :func:`survey_unit_row` fills, less those taken from the new response."""
    sample = survey_unit_row(_AnyResponse, CodedAnswer("", "", CodedText((), None, None)), 0)
    return tuple(name for name in sample if name not in _FROM_RESPONSE)


def submission_rows(response, coded: list[CodedAnswer], version: int) -> dict[str, str]:
    """The ``units`` and ``codes`` parameters of :func:`insert_units_sql`: the rows
    :func:`survey_unit_row` and :func:`code_rows` build, as JSON arrays (a code
    names its unit by question, since the unit's id is not known yet)."""
    units = [
        {name: row[name] for name in UNIT_COLUMNS}
        for row in (survey_unit_row(response, answer, version) for answer in coded)
    ]
    codes = [
        {"question": answer.question, **row}
        for answer in coded
        for row in code_rows(None, answer.coded, version)
    ]
    return {"units": json.dumps(units), "codes": json.dumps(codes)}


UNIT_COLUMNS = _unit_columns()
_CODE_COLUMNS = ("theme", "codebook_version", "evidence")


def insert_units_sql(new_response: str, created_at: str) -> str:
    """Two data-modifying ``WITH`` clauses (PostgreSQL) that insert the units and codes
    of :func:`submission_rows` for the response inserted by the clause ``new_response``
    (it returns ``id``); ``created_at``: the SQL of the units' creation time."""
    units, codes = TextUnitRow.__table__, AutoCode.__table__
    columns = ", ".join(UNIT_COLUMNS)
    # Every name comes from the tables above, none from input.
    return f"""new_units AS (
    INSERT INTO text_unit (response_id, respondent_key, created_at, {columns})
    SELECT {new_response}.id, '{RESPONDENT_PREFIX}' || {new_response}.id, {created_at},
           {", ".join(f"u.{name}" for name in UNIT_COLUMNS)}
    FROM {new_response},
         json_to_recordset(CAST(:units AS json)) AS u({_typed(units, UNIT_COLUMNS)})
    RETURNING id, question
), new_codes AS (
    INSERT INTO auto_code (unit_id, {", ".join(_CODE_COLUMNS)})
    SELECT new_units.id, {", ".join(f"c.{name}" for name in _CODE_COLUMNS)}
    FROM new_units
    JOIN json_to_recordset(CAST(:codes AS json))
             AS c(question varchar, {_typed(codes, _CODE_COLUMNS)})
      ON c.question = new_units.question
)"""  # noqa: S608
