"""Code a CSV file of free-text answers, streaming one row at a time.

:func:`code_csv` reads with :class:`csv.DictReader` and writes each coded row
straight away, so memory stays bounded whatever the file size. Every input
column is kept; three are added (or overwritten if already present):

- ``themes``   -- theme keys joined by ``;`` in codebook order,
- ``evidence`` -- matched words per theme: ``housing:rent|landlord;employment:job``,
- ``sentiment`` -- ``sentiment_fn(text, language)`` when given, else empty.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from decimal import Decimal
from os import PathLike
from typing import IO, Any

from analysis.codebook import Codebook
from analysis.coding import Coder
from analysis.records import ThemeMatch
from analysis.spreadsheet import CsvDictWriter

OUTPUT_COLUMNS = ("themes", "evidence", "sentiment")
SentimentFn = Callable[[str, str | None], "float | None"]
CsvSource = str | PathLike[str] | IO[str]


class CodeFileError(ValueError):
    """The CSV cannot be coded; ``code`` names the problem, ``params`` the details.

    Codes: ``missing_column`` (``column``), ``language_required``, ``empty_file``.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"{code}: {params}" if params else code)
        self.code = code
        self.params = params


def format_themes(matches: Sequence[ThemeMatch]) -> str:
    """``housing;employment`` for the given matches."""
    return ";".join(m.theme for m in matches)


def format_evidence(matches: Sequence[ThemeMatch]) -> str:
    """``housing:rent|landlord;employment:job``: distinct matched words per theme."""
    parts = []
    for match in matches:
        words: dict[str, str] = {}
        for evidence in match.evidence:
            word = " ".join(evidence.matched.translate(_SEPARATORS).split())
            words.setdefault(word.casefold(), word)
        parts.append(f"{match.theme}:{'|'.join(words.values())}")
    return ";".join(parts)


_SEPARATORS = str.maketrans({";": " ", "|": " ", ":": " ", "\n": " ", "\r": " "})


def _open(source: CsvSource, mode: str, stack: ExitStack) -> IO[str]:
    """A text file for ``source``: opened here for a path, used as is otherwise."""
    if isinstance(source, str | PathLike):
        encoding = "utf-8-sig" if mode == "r" else "utf-8"
        return stack.enter_context(open(source, mode, encoding=encoding, newline=""))  # noqa: SIM115
    return source


def _check_columns(
    fieldnames: Sequence[str] | None,
    text_column: str,
    language: str | None,
    language_column: str | None,
) -> list[str]:
    """The output header, or a :class:`CodeFileError` for a missing column."""
    if fieldnames is None:
        raise CodeFileError("empty_file")
    if text_column not in fieldnames:
        raise CodeFileError("missing_column", column=text_column)
    if language_column is not None and language_column not in fieldnames:
        raise CodeFileError("missing_column", column=language_column)
    return [*fieldnames, *(c for c in OUTPUT_COLUMNS if c not in fieldnames)]


def code_csv(
    in_file: CsvSource,
    out_file: CsvSource,
    codebook: Codebook,
    text_column: str,
    language: str | None = None,
    language_column: str | None = None,
    *,
    sentiment_fn: SentimentFn | None = None,
    coder: Coder | None = None,
) -> int:
    """Code every row of ``in_file`` into ``out_file``; returns the number of rows.

    Each row's language is its ``language_column`` value, or ``language``
    when that column is absent or blank for the row. At least one of the two
    must be given. Raises :class:`CodeFileError` before writing anything when
    a named column is missing.
    """
    if language is None and language_column is None:
        raise CodeFileError("language_required")
    coder = coder if coder is not None else Coder(codebook)
    with ExitStack() as stack:
        reader = csv.DictReader(_open(in_file, "r", stack))
        header = _check_columns(reader.fieldnames, text_column, language, language_column)
        writer = CsvDictWriter(_open(out_file, "w", stack), fieldnames=header)
        writer.writeheader()
        rows = 0
        for row in reader:
            writer.writerow(
                _code_row(row, coder, text_column, language, language_column, sentiment_fn)
            )
            rows += 1
    return rows


def _code_row(
    row: dict[str, Any],
    coder: Coder,
    text_column: str,
    language: str | None,
    language_column: str | None,
    sentiment_fn: SentimentFn | None,
) -> dict[str, Any]:
    """One output row: the input values plus themes, evidence and sentiment."""
    text = row.get(text_column) or ""
    row_language = (row.get(language_column) or "").strip() if language_column else ""
    lang = row_language or language
    matches = coder.match_text(text, lang) if text.strip() else ()
    score = sentiment_fn(text, lang) if sentiment_fn is not None and text.strip() else None
    row.pop(None, None)  # extra cells beyond the header have no column to go to
    row["themes"] = format_themes(matches)
    row["evidence"] = format_evidence(matches)
    row["sentiment"] = "" if score is None else Decimal(f"{score:.3f}")  # a number, kept as one
    return row
