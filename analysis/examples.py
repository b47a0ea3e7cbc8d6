"""Labelled examples from a spreadsheet: a LIP's past hand-coding, read for the coder to learn.

A file has a text column and a themes column (codebook keys separated by
``;``; an empty cell means that none of the themes applies), and either one
language for every row or a language column. CSV (UTF-8, with or without a
byte-order mark) and XLSX (first sheet, first row is the header) are read.
Problems are :class:`ExamplesError` with a code and the row (counting the
header as row 1) and column, so a researcher can fix the file; nothing is
returned unless every row is good.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis.learning import Example

THEME_SEPARATOR = ";"


class ExamplesError(ValueError):
    """A file of examples cannot be read; ``code`` names the problem, ``params`` the details.

    Codes: ``empty_file``, ``missing_column`` (``column``), ``language_required``,
    ``unknown_theme`` (``row``, ``column``, ``theme``), ``missing_language``
    (``row``, ``column``), ``unreadable`` (``detail``).
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"{code}: {params}" if params else code)
        self.code = code
        self.params = params


def parse_theme_cell(value: object) -> list[str]:
    """``"housing; income"`` -> ``["housing", "income"]``; empty -> ``[]``."""
    text = "" if value is None else str(value)
    return [t.strip() for t in text.split(THEME_SEPARATOR) if t.strip()]


def examples_from_rows(
    rows: Iterable[Mapping[str, object]],
    header: Sequence[str],
    keys: Iterable[str],
    text_column: str,
    themes_column: str,
    language: str | None = None,
    language_column: str | None = None,
) -> list[Example]:
    """Examples from dict rows (row 2 is the first after the header); blank texts are skipped."""
    if language is None and language_column is None:
        raise ExamplesError("language_required")
    for column in (text_column, themes_column, language_column):
        if column is not None and column not in header:
            raise ExamplesError("missing_column", column=column)
    known = set(keys)
    examples = []
    for number, row in enumerate(rows, start=2):
        text = str(row.get(text_column) or "").strip()
        if not text:
            continue
        themes = parse_theme_cell(row.get(themes_column))
        for theme in themes:
            if theme not in known:
                raise ExamplesError("unknown_theme", row=number, column=themes_column, theme=theme)
        row_language = str(row.get(language_column) or "").strip() if language_column else ""
        if not (row_language or language):
            raise ExamplesError("missing_language", row=number, column=language_column)
        examples.append(Example(text, row_language or language, frozenset(themes), f"row-{number}"))
    return examples


def read_header(path: Path) -> list[str]:
    """The column names of a CSV or XLSX file."""
    return (_xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path))[0]


def read_examples(path: Path, keys: Iterable[str], **columns: Any) -> list[Example]:
    """Read a CSV or XLSX file of examples (by extension); see :func:`examples_from_rows`."""
    header, rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    return examples_from_rows(rows, header, keys, **columns)


def _csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            header = list(reader.fieldnames or [])
    except (UnicodeDecodeError, csv.Error) as error:
        raise ExamplesError("unreadable", detail=str(error)) from error
    if not header:
        raise ExamplesError("empty_file")
    return header, rows


def _xlsx_rows(path: Path) -> tuple[list[str], Iterator[dict[str, object]]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ExamplesError("unreadable", detail=str(error)) from error
    if not values:
        raise ExamplesError("empty_file")
    header = ["" if v is None else str(v).strip() for v in values[0]]
    rows = [dict(zip(header, row, strict=False)) for row in values[1:]]
    return header, iter(rows)
