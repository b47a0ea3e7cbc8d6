"""Survey page fields: the values they show.

Validation is the survey engine's (``forms.flow``), shared with the JSON API;
Flask-WTF's app-wide CSRFProtect checks the token of every page posted before
the view runs, and this module turns saved answers or posted form data into
what each field shows.
"""

from __future__ import annotations

from forms.model import Question

_MULTIPLE = frozenset({"select_multiple", "rank"})
_FALSE_VALUES = frozenset({"", "false", "0"})


def as_form_value(question: Question, value: object) -> object:
    """A saved answer as its field shows it."""
    if value is None:
        return [] if question.type in _MULTIPLE else ""
    if question.type in _MULTIPLE:
        return list(value) if isinstance(value, list) else [value]
    if question.type == "acknowledge":
        return value == "OK"
    return str(value)


def posted_value(question: Question, formdata) -> object:
    """What was posted for ``question`` as its field shows it (form data is a MultiDict)."""
    values = formdata.getlist(question.name)
    if question.type in _MULTIPLE:
        return values
    if question.type == "acknowledge":
        return bool(values) and values[0] not in _FALSE_VALUES
    return values[0] if values else ""
