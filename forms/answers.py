"""Answer values: parse what a web form sent, check what the API sent.

Both paths end in the same value conventions (the API contract):
a choice's name for select_one, a list of names for select_multiple and
rank, numbers for integer and decimal, ISO 8601 strings for dates and
times, ``"OK"`` for acknowledge and plain strings for text. Problems are
codes (see :data:`CODES`); the web layer words them in the user's language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from forms.digits import ascii_digits, ascii_number
from forms.model import Question

MAX_TEXT_LENGTH = 5000
"""Longest free-text answer accepted, in characters."""

CODES = (
    "required",
    "not_integer",
    "not_number",
    "not_date",
    "not_time",
    "not_datetime",
    "invalid_choice",
    "too_long",
    "not_text",
    "not_list",
    "rank_incomplete",
    "constraint",
    "unknown_question",
    "not_relevant",
)

EMPTY = None
"""The stored value of an unanswered question."""

_INT_LIMIT = 10**15


class AnswerProblem(ValueError):
    """A value that is not valid for its question; ``code`` is from :data:`CODES`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse_form_value(question: Question, raw: Sequence[str]) -> object:
    """Turn the strings a web form sent for ``question`` into an answer value.

    Empty input gives ``None``. Raises :class:`AnswerProblem` for a value of
    the wrong type or a choice the question does not offer.
    """
    values = [v for v in raw if v is not None]
    if question.type in {"select_multiple", "rank"}:
        chosen = [v for v in values if v != ""]
        return check_value(question, chosen) if chosen else EMPTY
    text = values[0].strip() if values else ""
    if text == "":
        return EMPTY
    if question.type == "integer":
        return check_value(question, _parse_integer(text))
    if question.type == "decimal":
        return check_value(question, _parse_decimal(text))
    if _is_code(question):
        text = ascii_digits(text)
    return check_value(question, text)


def _is_code(question: Question) -> bool:
    """A text question whose answer is a code rather than prose: a ``numbers``
    appearance (a phone, a postal code) or a ``regex()`` constraint. Its digits
    are stored as ASCII whichever script they were typed in."""
    if question.type != "text":
        return False
    return "numbers" in question.appearance.split() or "regex(" in (question.constraint or "")


def check_value(question: Question, value: object) -> object:
    """Check a JSON value for ``question``; return it in canonical form.

    ``None`` and ``""`` mean unanswered and are returned as ``None``.
    """
    if value is None or value == "" or value == []:
        return EMPTY
    checker = _CHECKERS.get(question.type, _check_text)
    return checker(question, value)


def _parse_integer(text: str) -> int:
    cleaned = ascii_number(text)
    if not cleaned.lstrip("+-").isdigit() or not cleaned.isascii():
        raise AnswerProblem("not_integer")
    return int(cleaned)


def _parse_decimal(text: str) -> float:
    cleaned = ascii_number(text)
    if not cleaned.isascii():
        raise AnswerProblem("not_number")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise AnswerProblem("not_number") from error
    if not number.is_finite():
        raise AnswerProblem("not_number")
    return float(number)


def _check_integer(question: Question, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AnswerProblem("not_integer")
    if isinstance(value, float) and (not value.is_integer() or not math.isfinite(value)):
        raise AnswerProblem("not_integer")
    if abs(value) >= _INT_LIMIT:
        raise AnswerProblem("not_integer")
    return int(value)


def _check_decimal(question: Question, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AnswerProblem("not_number")
    if not math.isfinite(value) or abs(value) >= _INT_LIMIT:
        raise AnswerProblem("not_number")
    return float(value)


def _check_text(question: Question, value: object) -> str:
    if not isinstance(value, str):
        raise AnswerProblem("not_text")
    if len(value) > MAX_TEXT_LENGTH:
        raise AnswerProblem("too_long")
    return value


def _iso(parse, code: str):
    def check(question: Question, value: object) -> str:
        if not isinstance(value, str) or len(value) > 40:
            raise AnswerProblem(code)
        try:
            return parse(ascii_digits(value.strip())).isoformat()
        except ValueError as error:
            raise AnswerProblem(code) from error

    return check


def _check_select_one(question: Question, value: object) -> str:
    if not isinstance(value, str) or value not in question.choice_names():
        raise AnswerProblem("invalid_choice")
    return value


def _check_select_multiple(question: Question, value: object) -> list[str]:
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerProblem("not_list")
    if not set(value) <= question.choice_names():
        raise AnswerProblem("invalid_choice")
    return list(dict.fromkeys(value))


def _check_rank(question: Question, value: object) -> list[str]:
    ranked = _check_select_multiple(question, value)
    if len(ranked) != len(question.choices):
        raise AnswerProblem("rank_incomplete")
    return ranked


def _check_acknowledge(question: Question, value: object) -> str:
    if value is True or (isinstance(value, str) and value.upper() in {"OK", "YES", "TRUE"}):
        return "OK"
    raise AnswerProblem("invalid_choice")


_CHECKERS = {
    "integer": _check_integer,
    "decimal": _check_decimal,
    "text": _check_text,
    "date": _iso(date.fromisoformat, "not_date"),
    "time": _iso(time.fromisoformat, "not_time"),
    "datetime": _iso(datetime.fromisoformat, "not_datetime"),
    "select_one": _check_select_one,
    "select_multiple": _check_select_multiple,
    "rank": _check_rank,
    "acknowledge": _check_acknowledge,
}
