"""What the survey import page says about a form: its problems, in the interface language.

The message catalogue of ``forms.problems`` codes, the names of what a translation
can miss, and reading an upload so that any crash is an unreadable file.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forms.coverage import TITLE
from forms.problems import Problem
from forms.xlsform import Reading, read_upload

PROBLEM_MESSAGES = {
    "unreadable": _l("The file could not be read as an XLSForm: %(detail)s"),
    "pyxform": _l("The form was rejected: %(detail)s"),
    "unknown_language": _l("This column names a language that is not recognised: %(detail)s"),
    "unsupported_type": _l("Questions of type “%(detail)s” cannot be used in a web survey."),
    "expression": _l("%(detail)s"),
    "no_questions": _l("The form has no questions."),
    "core_unknown": _l("“%(detail)s” is marked core, but the question bank has no such question."),
    "core_type": _l("The core question “%(detail)s” must keep the question bank's type."),
    "core_choices": _l("The core question “%(detail)s” must keep the question bank's choices."),
    "too_many_parts": _l(
        "The file is too large to read as a form: it holds over %(detail)s files."
    ),
    "unpacks_too_large": _l(
        "The file is too large to read as a form: it unpacks to over %(detail)s MiB."
    ),
    "too_many_rows": _l(
        "The file is too large to read as a form: a sheet has over %(detail)s rows."
    ),
    "too_many_columns": _l(
        "The file is too large to read as a form: a sheet has over %(detail)s columns."
    ),
    "bad_slug": _l(
        "The form_id “%(detail)s” cannot be a web address: use up to 80 letters, digits, "
        "dots, dashes or underscores (settings sheet, form_id column)."
    ),
}

KIND_NAMES = {
    "labels": _l("Labels"),
    "hints": _l("Hints"),
    "choices": _l("Choices"),
    "messages": _l("Messages"),
}


@dataclass(frozen=True)
class ShownProblem:
    """A problem as the import page lists it."""

    sheet: str
    row: int | None
    column: str
    message: str


def problem_message(problem: Problem) -> str:
    """A problem in the interface language (pyxform's own detail stays as it is)."""
    template = PROBLEM_MESSAGES.get(problem.code)
    if template is None:
        return str(problem)
    return str(template) % {"detail": problem.detail}


def shown_problems(problems: list[Problem]) -> list[ShownProblem]:
    return [ShownProblem(p.sheet, p.row, p.column, problem_message(p)) for p in problems]


def missing_kind(kind: str) -> str:
    """The kind of a missing string (``label``, ``choice:x``...) in words."""
    if kind.startswith("choice:"):
        return _("choice “%(name)s”", name=kind.partition(":")[2])
    names = {
        "label": _("label"),
        "hint": _("hint"),
        TITLE: _("survey title"),
        "required_message": _("required message"),
        "constraint_message": _("constraint message"),
    }
    return names.get(kind, kind)


def read_form(source: bytes) -> Reading:
    """The upload read once (``forms.xlsform.read_upload``); any crash is an unreadable file."""
    try:
        return read_upload(source)
    except Exception as error:  # noqa: BLE001 - any unreadable upload is the user's problem
        detail = " ".join(str(error).split()) or type(error).__name__
        return Reading(None, [], [Problem("unreadable", detail=detail)])
