"""Checks of a read form that pyxform does not make: the expression subset."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from forms.expressions import ERROR_CODES, check
from forms.model import Element, Group, Question, Repeat, Survey
from forms.problems import Problem

_COLUMNS = (
    ("relevant", "relevant"),
    ("constraint", "constraint"),
    ("calculation", "calculation"),
    ("required", "required"),
    ("choice_filter", "choice_filter"),
    ("repeat_count", "repeat_count"),
)


def expression_problems(survey: Survey, rows: Mapping[str, int]) -> list[Problem]:
    """Every expression the engine cannot run, with the sheet, row and column."""
    known = _all_names(survey.children)
    problems = []
    for element in _walk(survey.children):
        for attribute, column in _COLUMNS:
            text = getattr(element, attribute, "")
            if not text or text == "true()":
                continue
            row, where = _where(element.name, column, rows)
            for error in check(text, known):
                detail = ERROR_CODES[error.code].format(token=error.token, detail=error.detail)
                problems.append(
                    Problem(
                        "expression",
                        detail=f"{detail} in '{text}'",
                        sheet="survey",
                        row=row,
                        column=where,
                    )
                )
    return list(dict.fromkeys(problems))  # a repeat_count is checked twice (see _where)


def _where(name: str, column: str, rows: Mapping[str, int]) -> tuple[int | None, str]:
    """The row and column of an element's expression. pyxform turns a ``repeat_count``
    expression into a calculate of its own (``<repeat>_count``): its cell is the repeat's."""
    if name not in rows and name.endswith("_count") and name[: -len("_count")] in rows:
        return rows[name[: -len("_count")]], "repeat_count"
    return rows.get(name), column


def _walk(elements: tuple[Element, ...]) -> Iterator[Element]:
    for element in elements:
        yield element
        if isinstance(element, Group | Repeat):
            yield from _walk(element.children)


def _all_names(elements: tuple[Element, ...]) -> set[str]:
    return {e.name for e in _walk(elements) if isinstance(e, Question | Group | Repeat)}
