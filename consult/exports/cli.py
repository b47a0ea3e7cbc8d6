"""``consult export SLUG --format csv|xlsx|sav --out FILE [--labels LANG]``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from consult import db


@click.command("export")
@click.argument("slug")
@click.option(
    "--format",
    "format_name",
    default="csv",
    show_default=True,
    help="csv, xlsx or sav (or another registered export).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The file to write.",
)
@click.option(
    "--labels",
    default="codes",
    show_default=True,
    help="'codes' for choice names, or a language code (e.g. ar) for choice labels.",
)
@click.option(
    "--choice-columns/--no-choice-columns",
    default=True,
    show_default=True,
    help="A 0/1 column per option of each multiple-choice question (CSV, XLSX, .sav).",
)
@with_appcontext
def export_command(
    slug: str, format_name: str, out: Path, labels: str, choice_columns: bool
) -> None:
    """Export the responses of survey SLUG (withdrawn ones left out) to a file."""
    from consult.exports import CODES, ExportError, ExportOptions
    from consult.exports.services import export_to_file
    from consult.survey.services import survey_by_slug

    session = db.session()
    survey = survey_by_slug(session, slug)
    if survey is None:
        raise click.ClickException(f"No survey with slug {slug!r}.")
    options = ExportOptions(
        labels=None if labels == CODES else labels, choice_columns=choice_columns
    )
    try:
        job, exporter = export_to_file(session, survey, format_name, options, out, via="cli")
    except ExportError as error:
        raise click.ClickException(str(error)) from error
    db.commit()
    click.echo(f"Exported {job.rows} responses of {slug} to {out} ({exporter.name}).")
