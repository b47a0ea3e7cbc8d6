"""Code a CSV file of free-text answers, streaming one row at a time.

:func:`code_csv` reads with :class:`csv.DictReader` and writes each coded row
straight away, so memory stays bounded whatever the file size. Every input
column is kept; three are added (or overwritten if already present):

- ``themes``   -- theme keys joined by ``;`` in codebook order,
- ``evidence`` -- matched words per theme: ``housing:rent|landlord;employment:job``,
- ``sentiment`` -- ``sentiment_fn(text, language)`` when given, else empty.

With a :class:`~analysis.learning.LearnedCoder` (``consult code-file
--examples``), rows are coded :data:`CHUNK` at a time so that sentence
vectors are computed in batches; a theme found by the learned model alone
has ``~similar to reviewed answers`` as its evidence.
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
from analysis.learning import LearnedCoder
from analysis.records import TextUnit, ThemeMatch
from analysis.spreadsheet import CsvDictWriter

CHUNK = 64
MODEL_EVIDENCE = "~similar to reviewed answers"
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
        if not match.evidence:
            parts.append(f"{match.theme}:{MODEL_EVIDENCE}")
            continue
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
    coder: Coder | LearnedCoder | None = None,
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
        chunk: list[dict[str, Any]] = []
        size = CHUNK if isinstance(coder, LearnedCoder) else 1  # keywords: row by row
        for row in reader:
            chunk.append(row)
            if len(chunk) == size:
                rows += _write_chunk(
                    writer, chunk, coder, text_column, language, language_column, sentiment_fn
                )
                chunk = []
        rows += _write_chunk(
            writer, chunk, coder, text_column, language, language_column, sentiment_fn
        )
    return rows


def _write_chunk(writer, chunk, coder, text_column, language, language_column, sentiment_fn):
    """Code and write some rows; returns how many."""
    langs = [_row_language(row, language, language_column) for row in chunk]
    texts = [row.get(text_column) or "" for row in chunk]
    for row, text, lang, matches in zip(
        chunk, texts, langs, _matches(coder, texts, langs), strict=True
    ):
        score = sentiment_fn(text, lang) if sentiment_fn is not None and text.strip() else None
        row.pop(None, None)  # extra cells beyond the header have no column to go to
        row["themes"] = format_themes(matches)
        row["evidence"] = format_evidence(matches)
        row["sentiment"] = "" if score is None else Decimal(f"{score:.3f}")  # a number, kept as one
        writer.writerow(row)
    return len(chunk)


def _row_language(row: dict[str, Any], language: str | None, column: str | None) -> str | None:
    """A row's language: its language cell, else the file's language."""
    value = (row.get(column) or "").strip() if column else ""
    return value or language


def _matches(coder, texts: list[str], langs: list[str | None]) -> list[Sequence[ThemeMatch]]:
    """Theme matches per text (empty for blank text), in batches for a learned coder."""
    wanted = [i for i, t in enumerate(texts) if t.strip()]
    found: list[Sequence[ThemeMatch]] = [() for _ in texts]
    if isinstance(coder, LearnedCoder):
        units = [TextUnit(str(i), texts[i], langs[i] or "und", str(i)) for i in wanted]
        for i, coding in zip(wanted, coder.code_many(units), strict=True):
            found[i] = coding.matches
    else:
        for i in wanted:
            found[i] = coder.match_text(texts[i], langs[i])
    return found
