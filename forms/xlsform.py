"""Read an XLSForm (xlsx, xls, csv or markdown) into a :class:`Survey`.

pyxform does the reading and the checking every ODK tool does; this module
turns its JSON into frozen dataclasses with wording keyed by locale code,
refuses question types a web survey cannot use (or drops them on request),
and reports every problem with sheet, row and column.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from os import PathLike
from pathlib import Path
from typing import Any

from pyxform import xls2json
from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import get_xlsform

from forms.languages import UnknownLanguage, is_pyxform_default, language_code
from forms.model import SELECT_TYPES, Choice, Element, Group, Question, Repeat, Survey, Text
from forms.problems import FormError, Problem
from forms.xlsform_checks import expression_problems
from forms.xlsform_limits import check_limits
from forms.xlsform_locate import header_problem, locate
from forms.xlsform_types import UNSUPPORTED_TYPES, canonical_type, row_type

Source = str | PathLike[str] | bytes

_RELATIVE_REF = re.compile(r"\.\./([A-Za-z_][\w.-]*)")


@dataclass(frozen=True)
class Reading:
    """An upload read once: the form as it would import without its unsupported rows
    (``None`` when it has other problems), those rows, and the other problems."""

    definition: Survey | None
    unsupported: list[Problem]
    problems: list[Problem]


def read_upload(source: Source) -> Reading:
    """Read a form once, telling unsupported rows apart from other problems.

    The web import shows both and offers to import without the unsupported
    rows when they are the only problem, without reading the file again.
    """
    found: list[Problem] = []
    try:
        definition = read_xlsform(source, drop_unsupported=True, unsupported=found)
    except FormError as error:
        return Reading(None, found, list(error.problems))
    return Reading(definition, found, [])


def read_xlsform(
    source: Source,
    *,
    drop_unsupported: bool = False,
    unsupported: list[Problem] | None = None,
    check_bank: bool = True,
) -> Survey:
    """Read and check a form; raise :class:`FormError` listing every problem.

    Questions marked core must match the shared question bank
    (:func:`forms.bank.bank_problems`); ``check_bank=False`` reads the bank itself.

    With ``drop_unsupported`` the rows of unsupported types are left out and
    listed in ``Survey.dropped`` instead of being problems (and added to
    ``unsupported`` when given).
    """
    workbook = _read_workbook(source)
    unsupported_rows = _unsupported_rows(workbook.survey or [])
    if unsupported is not None:
        unsupported.extend(problem for _, problem in unsupported_rows if problem)
    return _read_rows(workbook, unsupported_rows, drop_unsupported, check_bank)


def _read_rows(workbook, unsupported, drop_unsupported: bool, check_bank: bool = True) -> Survey:
    if unsupported and not drop_unsupported:
        raise FormError([problem for _, problem in unsupported if problem])
    dropped = tuple(f"{p.detail} ({_row_name(workbook, i)})" for i, p in unsupported if p)
    empty_reads: tuple[str, ...] = ()
    if unsupported:
        names = {str(workbook.survey[i].get("name") or "") for i, _ in unsupported} - {""}
        skip = {i for i, _ in unsupported}
        kept = [(i, row) for i, row in enumerate(workbook.survey) if i not in skip]
        empty_reads = tuple(_read_as_empty(kept, names))
        workbook.survey = [row for _, row in kept]
    rows = _rows_by_name(workbook.survey or [])
    form_json = _to_json(workbook)
    survey = replace(_build_survey(form_json, dropped), empty_reads=empty_reads)
    problems = expression_problems(survey, rows)
    if check_bank:
        from forms.bank import bank_problems  # the bank is itself read by read_xlsform

        problems += bank_problems(survey, rows)
    if problems:
        raise FormError(problems)
    return survey


_TEXT_COLUMNS = ("label", "hint", "message", "media", "image", "audio", "video", "guidance")


def _read_as_empty(rows: list[tuple[int, dict[str, Any]]], names: set[str]) -> list[str]:
    """Make every reference to a dropped question read an empty value, in place.

    A dropped question behaves as one never answered: ``${name}`` becomes
    ``''`` in expressions and nothing in labels and hints. Returns one line
    per cell changed (sheet, row, column and the expression as written).
    """
    if not names:
        return []
    pattern = re.compile(r"\$\{\s*(" + "|".join(map(re.escape, names)) + r")\s*\}")
    changed = []
    for index, row in rows:
        for column, cell in row.items():
            if not isinstance(cell, str) or not pattern.search(cell):
                continue
            is_text = any(word in column.lower() for word in _TEXT_COLUMNS)
            row[column] = pattern.sub("" if is_text else "''", cell)
            changed.append(f"survey row {index + 2}, {column}: {cell}")
    return changed


def _rows_by_name(rows: list[Mapping[str, Any]]) -> dict[str, int]:
    """Spreadsheet row numbers (header is row 1) of each named row."""
    return {str(row["name"]): index + 2 for index, row in enumerate(rows) if row.get("name")}


def _read_workbook(source: Source):
    if not isinstance(source, bytes):
        try:
            source = Path(source).read_bytes()
        except OSError as error:
            raise FormError([Problem("unreadable", detail=_plain(error))]) from error
    check_limits(source)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles, printing dates and extensions a form never
            # reads (Google Sheets and LibreOffice write them); they change nothing here
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\b")
            return get_xlsform(source)
    except PyXFormError as error:
        raise FormError([header_problem(source, _plain(error))]) from error
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        raise FormError([Problem("unreadable", detail=_plain(error))]) from error


def _row_name(workbook, index: int) -> str:
    return str(workbook.survey[index].get("name") or f"row {index + 2}")


def _unsupported_rows(rows: list[Mapping[str, Any]]) -> list[tuple[int, Problem | None]]:
    """Rows a web survey cannot use: ``(index, problem)``, and ``(index, None)`` for the
    rest of a block dropped with its first row (a repeat inside a repeat)."""
    found: list[tuple[int, Problem | None]] = []
    repeats, dropping = 0, 0
    for index, row in enumerate(rows):
        kind = row_type(str(row.get("type") or ""))
        if dropping:
            dropping += {"begin_repeat": 1, "begin_group": 1}.get(kind, 0)
            dropping -= 1 if kind in ("end_repeat", "end_group") else 0
            found.append((index, None))
            continue
        if kind == "begin_repeat" and repeats:
            found.append((index, _problem("nested_repeat", index)))
            dropping = 1
        elif kind in UNSUPPORTED_TYPES:
            found.append((index, _problem(kind, index)))
        repeats += {"begin_repeat": 1, "end_repeat": -1}.get(kind, 0)
    return found


def _problem(kind: str, index: int) -> Problem:
    return Problem("unsupported_type", detail=kind, sheet="survey", row=index + 2, column="type")


def _to_json(workbook) -> dict[str, Any]:
    warnings: list[str] = []
    try:
        form_json = xls2json.workbook_to_json(workbook, warnings=warnings)
        create_survey_element_from_dict(form_json).to_xml(validate=False, warnings=warnings)
    except PyXFormError as error:
        raise FormError([locate(pyxform_problem(_plain(error)), workbook)]) from error
    return form_json


_PYXFORM_ROW = re.compile(r"\[row ?: ?(\d+)\]")
_PYXFORM_ON_SHEET = re.compile(r"(?:On|on|in|In) the '(\w+)' sheet")
_PYXFORM_SHEET = re.compile(r"(\w+) sheet")
_PYXFORM_COLUMN = re.compile(r"the '([\w:]+)' (?:value|column)")


def pyxform_problem(detail: str) -> Problem:
    """pyxform's message as a problem with the sheet, row and column it names."""
    row = _PYXFORM_ROW.search(detail)
    sheet = _PYXFORM_ON_SHEET.search(detail) or (None if row else _PYXFORM_SHEET.search(detail))
    column = _PYXFORM_COLUMN.search(detail)
    sheet_name = sheet.group(1) if sheet else ("survey" if row else "")
    return Problem(
        "pyxform",
        detail=detail,
        sheet=sheet_name.lower() if sheet_name.lower() in _SHEETS else "",
        row=int(row.group(1)) if row else None,
        column=column.group(1) if column else "",
    )


_SHEETS = frozenset({"survey", "choices", "settings", "external_choices", "entities", "osm"})


def _plain(error: Exception) -> str:
    return " ".join(str(error).split())


class _Builder:
    """Turns pyxform's JSON into dataclasses, collecting language problems."""

    def __init__(self, default_language: str) -> None:
        self.default_language = default_language
        self.languages: list[str] = [default_language]
        self.problems: list[Problem] = []
        self._codes: dict[str, str] = {}
        self.generated: dict[str, str] = {}
        """``${<repeat>_count}`` -> the ``repeat_count`` pyxform moved into that calculate."""

    def find_generated_counts(self, children: list[dict[str, Any]]) -> None:
        """pyxform turns a ``repeat_count`` that is not a plain reference into a calculate
        named ``<repeat>_count``; the repeat reads the expression itself instead."""
        repeats = {c["name"] for c in children if c.get("type") == "repeat"}
        for child in children:
            name = str(child.get("name") or "")
            if child.get("type") == "calculate" and name[: -len("_count")] in repeats:
                formula = _expression((child.get("bind") or {}).get("calculate"))
                if name.endswith("_count") and formula:
                    self.generated["${" + name + "}"] = formula
            if child.get("children"):
                self.find_generated_counts(child["children"])

    def code(self, name: str, column: str) -> str | None:
        if is_pyxform_default(name):
            return self.default_language
        if name not in self._codes:
            try:
                self._codes[name] = language_code(name)
            except UnknownLanguage:
                self.problems.append(Problem("unknown_language", detail=name, column=column))
                self._codes[name] = ""
        code = self._codes[name]
        if code and code not in self.languages:
            self.languages.append(code)
        return code or None

    def text(self, value: Any, column: str) -> Text:
        if not value:
            return {}
        if isinstance(value, str):
            return {self.default_language: value}
        wording = {}
        for name, words in value.items():
            code = self.code(name, f"{column}::{name}")
            if code and words:
                wording[code] = str(words)
        return wording

    def elements(self, children: list[dict[str, Any]]) -> tuple[Element, ...]:
        built = []
        for child in children:
            if child.get("type") == "group" and child.get("control", {}).get("bodyless"):
                continue
            built.append(self.element(child))
        return tuple(_mark_or_other(built))

    def element(self, item: dict[str, Any]) -> Element:
        kind = item.get("type")
        control = item.get("control") or {}
        common = {
            "name": item["name"],
            "label": self.text(item.get("label"), "label"),
            "hint": self.text(item.get("hint"), "hint"),
            "relevant": _expression(item.get("bind", {}).get("relevant")),
            "appearance": str(control.get("appearance") or ""),
        }
        if kind == "group":
            return Group(children=self.elements(item.get("children", [])), **common)
        if kind == "repeat":
            count = self.generated.get(_expression(control.get("jr:count")))
            count = count or _expression(control.get("jr:count"))
            children = self.elements(item.get("children", []))
            return Repeat(children=children, repeat_count=count, **common)
        return self.question(item, common)

    def question(self, item: dict[str, Any], common: dict[str, Any]) -> Question:
        bind = item.get("bind") or {}
        kind = canonical_type(str(item.get("type")))
        # pyxform writes a choice_filter only into a select's list of choices: on any
        # other question the cell does nothing (ODK ignores it), so it is not kept
        choice_filter = _expression(item.get("choice_filter")) if kind in SELECT_TYPES else ""
        return Question(
            type=kind,
            required=_required(bind.get("required")),
            required_message=self.text(bind.get("jr:requiredMsg"), "required_message"),
            constraint=_expression(bind.get("constraint")),
            constraint_message=self.text(bind.get("jr:constraintMsg"), "constraint_message"),
            calculation=_expression(bind.get("calculate")),
            default=str(item.get("default") or ""),
            choice_filter=choice_filter,
            choices=tuple(self.choice(c) for c in item.get("choices") or ()),
            list_name=str(item.get("list_name") or ""),
            breakdown=_yes(item.get("breakdown")),
            core=_yes(item.get("core")),
            parameters=dict(item.get("parameters") or {}),
            **common,
        )

    def choice(self, item: dict[str, Any]) -> Choice:
        extra = {k: str(v) for k, v in item.items() if k not in {"name", "label", "media"}}
        return Choice(
            name=str(item["name"]), label=self.text(item.get("label"), "label"), extra=extra
        )


def _yes(value: Any) -> bool:
    """A yes/no column of Consult's own (``breakdown``, ``core``): yes, true or 1."""
    return str(value or "").strip().lower() in {"yes", "true", "1"}


def _mark_or_other(elements: list[Element]) -> list[Element]:
    """Flag selects whose ``or_other`` made pyxform add a ``<name>_other`` question."""
    names = {e.name for e in elements}
    marked = []
    for element in elements:
        if isinstance(element, Question) and element.is_select and f"{element.name}_other" in names:
            element = replace(element, or_other=True)
        marked.append(element)
    return marked


def _expression(value: Any) -> str:
    if not value:
        return ""
    return _RELATIVE_REF.sub(lambda m: "${" + m.group(1) + "}", str(value)).strip()


def _required(value: Any) -> str:
    text = str(value or "").strip()
    if text.lower() in {"", "no", "false", "false()"}:
        return ""
    if text.lower() in {"yes", "true", "true()"}:
        return "true()"
    return _expression(text)


def _default_language(form_json: dict[str, Any]) -> str:
    name = str(form_json.get("default_language") or "default")
    if is_pyxform_default(name):
        return "en"
    try:
        return language_code(name)
    except UnknownLanguage as error:
        problem = Problem("unknown_language", detail=name, column="default_language")
        raise FormError([problem]) from error


def _build_survey(form_json: dict[str, Any], dropped: tuple[str, ...]) -> Survey:
    builder = _Builder(_default_language(form_json))
    builder.find_generated_counts(form_json.get("children", []))
    children = builder.elements(form_json.get("children", []))
    draft = _draft_languages(builder, str(form_json.get("draft_languages") or ""))
    title = _title(builder, form_json)
    if builder.problems:
        raise FormError(_unique(builder.problems))
    if not children:
        raise FormError([Problem("no_questions")])
    return Survey(
        form_id=str(form_json.get("id_string") or form_json.get("name") or "survey"),
        version=str(form_json.get("version") or "1"),
        title=title,
        default_language=builder.default_language,
        languages=tuple(builder.languages),
        children=children,
        draft_languages=frozenset(draft),
        dropped=dropped,
    )


def _draft_languages(builder: _Builder, value: str) -> list[str]:
    names = [n.strip() for n in re.split(r"[;,]", value) if n.strip()]
    codes = (builder.code(name, "draft_languages") for name in names)
    return [code for code in codes if code]


def _title(builder: _Builder, form_json: dict[str, Any]) -> Text:
    title = {builder.default_language: str(form_json.get("title") or "")}
    for pair in str(form_json.get("title_translations") or "").split("|"):
        code, _, words = pair.partition("=")
        if code.strip() and words.strip():
            resolved = builder.code(code.strip(), "title_translations")
            if resolved:
                title[resolved] = words.strip()
    return title


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
