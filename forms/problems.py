"""Problems found reading a form, as codes the web layer turns into words.

Like pyxform's own error catalogue, every problem has a stable ``code`` and
the facts needed to explain it (sheet, row, column, detail); ``consult``
translates them. ``str(problem)`` is a plain English fallback for the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass

MESSAGES = {
    "unreadable": "The file could not be read as an XLSForm: {detail}",
    "pyxform": "The form was rejected: {detail}",
    "unknown_language": "Column '{column}' names a language that is not recognised: '{detail}'",
    "unsupported_type": (
        "Sheet '{sheet}', row {row}, column '{column}': type '{detail}' is not supported "
        "in a web survey (import with --drop-unsupported to leave it out)"
    ),
    "expression": "Sheet '{sheet}', row {row}, column '{column}': {detail}",
    "no_questions": "The form has no questions.",
    "core_unknown": (
        "Sheet '{sheet}', row {row}, column '{column}': '{detail}' is marked core, "
        "but the question bank has no question of that name"
    ),
    "core_type": (
        "Sheet '{sheet}', row {row}, column '{column}': the core question '{detail}' "
        "must keep the bank's type"
    ),
    "core_choices": (
        "Sheet '{sheet}', row {row}, column '{column}': the core question '{detail}' "
        "must keep the bank's choices (names), neither more nor fewer"
    ),
    "too_many_parts": "The file is too large to read as a form: it holds over {detail} files.",
    "unpacks_too_large": "The file is too large to read as a form: it unpacks to over {detail} MiB",
    "too_many_rows": "The file is too large to read as a form: a sheet has over {detail} rows.",
    "too_many_columns": (
        "The file is too large to read as a form: a sheet has over {detail} columns."
    ),
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a form cannot be imported as it is."""

    code: str
    detail: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        template = MESSAGES[self.code]
        words = template.format(
            detail=self.detail, sheet=self.sheet, row=self.row, column=self.column
        )
        if self.sheet and self.row is not None and "{sheet}" not in template:
            return f"Sheet '{self.sheet}', row {self.row}, column '{self.column}': {words}"
        return words


class FormError(ValueError):
    """A form that cannot be imported, with every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems
