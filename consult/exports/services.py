"""Run an export and write it to the audit log (services take the session, never commit)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.orm import Session

from consult.auth.services import record
from consult.exports.job import ExportJob, ExportOptions, prepare
from consult.exports.registry import Exporter, exporter_named
from consult.models import Survey

AUDIT_ACTION = "export_responses"


def audit(db: Session, job: ExportJob, exporter: Exporter, rows: int, user_id, via: str) -> None:
    """One audit log entry for one export: who, which survey, format, rows, labels."""
    record(
        db,
        AUDIT_ACTION,
        user_id=user_id,
        partnership_id=job.survey.partnership_id,
        target=job.survey.slug,
        detail=(
            f"format={exporter.name} rows={rows} labels={job.options.labels_name} "
            f"choice_columns={'yes' if job.options.choice_columns else 'no'} via={via}"
        ),
    )


def export_to_file(
    db: Session,
    survey: Survey,
    format_name: str,
    options: ExportOptions,
    path: Path,
    *,
    user_id: int | None = None,
    via: str = "cli",
) -> tuple[ExportJob, Exporter]:
    """Write the export to ``path`` and audit it with the rows written."""
    exporter = exporter_named(format_name)
    job = prepare(db, survey, options)
    exporter.write(job, path)
    audit(db, job, exporter, job.rows, user_id, via)
    return job, exporter


def start_stream(
    db: Session,
    survey: Survey,
    format_name: str,
    options: ExportOptions,
    *,
    user_id: int | None,
    via: str = "web",
) -> tuple[ExportJob, Exporter, Iterator[bytes]]:
    """A streaming export, audited up front with the snapshot's row count.

    The caller commits before streaming, so the audit entry exists even if
    the download is cut short.
    """
    exporter = exporter_named(format_name)
    if exporter.stream is None:
        raise ValueError(f"{exporter.name} cannot stream")
    job = prepare(db, survey, options)
    audit(db, job, exporter, job.snapshot.count, user_id, via)
    return job, exporter, exporter.stream(job)
