"""An export in progress: the survey, its layout, the snapshot of responses, a row count."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.definitions import definition_of
from consult.exports.layout import Layout, ResponseMeta, build_layout
from consult.exports.source import Snapshot, response_batches, take_snapshot
from consult.models import Survey, SurveyVersion
from forms.model import Survey as Definition

CODES = "codes"
"""The ``labels`` option meaning choice names instead of labels."""


class ExportError(ValueError):
    """An export that cannot run as asked (unknown format or language)."""


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """What the researcher chose: choice labels in a language, or codes."""

    labels: str | None = None
    choice_columns: bool = True

    @property
    def labels_name(self) -> str:
        return self.labels or CODES


@dataclass
class ExportJob:
    """Everything an exporter needs; ``rows`` counts the responses read so far."""

    db: Session
    survey: Survey
    options: ExportOptions
    layout: Layout
    snapshot: Snapshot
    batch_size: int | None = None
    rows: int = 0

    def batches(self) -> Iterator[list[tuple[ResponseMeta, dict[str, object]]]]:
        """The responses in batches, counted as they are read."""
        for batch in response_batches(self.db, self.snapshot, self.batch_size):
            self.rows += len(batch)
            yield batch

    @property
    def base_name(self) -> str:
        """A file name without extension: ``needs-assessment-responses``."""
        return f"{self.survey.slug}-responses"


def versions_of(db: Session, survey: Survey) -> list[tuple[int, Definition]]:
    """``(number, definition)`` of every version: the current one first, then newest first."""
    versions = list(
        db.scalars(
            select(SurveyVersion)
            .where(SurveyVersion.survey_id == survey.id)
            .order_by(SurveyVersion.number.desc())
        )
    )
    versions.sort(key=lambda v: v.id != survey.current_version_id)
    return [(v.number, definition_of(v)) for v in versions]


def prepare(db: Session, survey: Survey, options: ExportOptions) -> ExportJob:
    """An export job for ``survey``; :class:`ExportError` for a language it does not have."""
    definitions = versions_of(db, survey)
    if not definitions:
        raise ExportError(f"Survey {survey.slug} has no imported version.")
    layout = build_layout(definitions, labels=options.labels, choice_columns=options.choice_columns)
    if options.labels is not None and options.labels not in layout.languages:
        raise ExportError(
            f"Survey {survey.slug} has no language {options.labels!r} "
            f"(it has: {', '.join(layout.languages)})."
        )
    return ExportJob(db, survey, options, layout, take_snapshot(db, survey.id))
