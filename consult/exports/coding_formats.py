"""Exports of the analysis: the codebook and the coded text units of a survey (CSV)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from analysis.spreadsheet import csv_writer
from consult.coding.models import TextUnitRow
from consult.coding.services import current_codebook, effective_themes
from consult.exports.job import ExportJob

BOM = "\ufeff"


def _rows_to_bytes(rows) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    buffer.write(BOM)
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


def _codebook_rows(job: ExportJob):
    codebook = current_codebook(job.db, job.survey.partnership_id)
    yield ["version", "key", "language", "label", "definition", "patterns"]
    for theme in codebook.themes:
        languages = sorted(set(theme.labels) | set(theme.patterns) | set(theme.definitions))
        for lang in languages:
            job.rows += 1
            yield [
                codebook.version,
                theme.key,
                lang,
                theme.labels.get(lang, ""),
                theme.definitions.get(lang, ""),
                " | ".join(theme.patterns.get(lang, ())),
            ]


def _unit_rows(job: ExportJob):
    yield [
        "unit_id",
        "source",
        "response_reference",
        "question",
        "language",
        "text",
        "translation",
        "translation_language",
        "themes",
        "auto_themes",
        "evidence",
        "sentiment",
        "codebook_version",
        "chosen_evidence",
    ]
    from consult.models import Response

    query = (
        select(TextUnitRow, Response.reference)
        .join(Response, Response.id == TextUnitRow.response_id)
        .where(TextUnitRow.survey_id == job.survey.id, Response.withdrawn_at.is_(None))
        .order_by(TextUnitRow.id)
        .execution_options(yield_per=1000)
    )
    for unit, reference in job.db.execute(query):
        job.rows += 1
        yield [
            unit.id,
            unit.source,
            reference,
            unit.question,
            unit.language,
            unit.text,
            unit.translation or "",
            unit.translation_language or "",
            ";".join(effective_themes(unit)),
            ";".join(c.theme for c in unit.auto_codes),
            ";".join(f"{c.theme}:{e[2]}" for c in unit.auto_codes for e in c.evidence),
            "" if unit.sentiment is None else round(unit.sentiment, 3),
            unit.coded_version or "",
            ";".join(
                f"{d.theme}:{e[2]}" for d in unit.decisions if d.present for e in d.evidence or []
            ),
        ]


def stream_codebook(job: ExportJob) -> Iterator[bytes]:
    """The partnership's current codebook, one row per theme and language."""
    yield from _rows_to_bytes(_codebook_rows(job))


def write_codebook(job: ExportJob, path: Path) -> None:
    """Write :func:`stream_codebook` to ``path``."""
    with path.open("wb") as handle:
        for chunk in stream_codebook(job):
            handle.write(chunk)


def stream_units(job: ExportJob) -> Iterator[bytes]:
    """Every coded text unit of the survey with its themes, evidence and sentiment."""
    yield from _rows_to_bytes(_unit_rows(job))


def write_units(job: ExportJob, path: Path) -> None:
    """Write :func:`stream_units` to ``path``."""
    with path.open("wb") as handle:
        for chunk in stream_units(job):
            handle.write(chunk)
