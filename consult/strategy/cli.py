"""``consult services import`` and ``consult services export``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from consult import db


@click.group("services")
def services_group() -> None:
    """The partnership's service inventory (see docs/strategy.md for the columns)."""


def _partnership(slug: str):
    from consult.auth.services import find_partnership

    partnership = find_partnership(db.session(), slug)
    if partnership is None:
        raise click.ClickException(f"No partnership with slug {slug!r}.")
    return partnership


@services_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partnership", "partnership_slug", required=True, help="Partnership slug.")
@with_appcontext
def import_command(path: Path, partnership_slug: str) -> None:
    """Import a CSV or XLSX inventory: every row, or nothing if any row has a problem.

    Exit status 1 lists each problem with its row and column.
    """
    from consult.auth.services import record
    from consult.strategy.inventory import import_file
    from consult.strategy.messages import file_problem, inventory_problem

    partnership = _partnership(partnership_slug)
    outcome = import_file(db.session(), partnership.id, path.read_bytes(), path.name)
    with current_app.test_request_context("/?lang=en"):  # messages are worded per request
        if outcome.file_error:
            raise click.ClickException(file_problem(outcome.file_error))
        if outcome.problems:
            click.echo(
                f"Nothing imported: {len(outcome.problems)} problem(s) in {path.name}", err=True
            )
            for p in outcome.problems:
                where = f"row {p.row}, column {p.letter + ' ' if p.letter else ''}{p.column}"
                click.echo(f"  - {where.rstrip()}: {inventory_problem(p)}", err=True)
            raise SystemExit(1)
    detail = f"added {outcome.added}, updated {outcome.updated}"
    record(
        db.session(),
        "import_services",
        partnership_id=partnership.id,
        target=path.name,
        detail=detail,
    )
    db.commit()
    click.echo(f"Imported {path.name}: {outcome.added} added, {outcome.updated} updated.")


@services_group.command("export")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--partnership", "partnership_slug", required=True, help="Partnership slug.")
@with_appcontext
def export_command(path: Path, partnership_slug: str) -> None:
    """Write the inventory to PATH: XLSX when it ends in .xlsx, else CSV (same columns)."""
    from consult.strategy.inventory import export_csv, export_xlsx, services_of

    services = services_of(db.session(), _partnership(partnership_slug).id)
    writer = export_xlsx if path.suffix.lower() == ".xlsx" else export_csv
    path.write_bytes(writer(services))
    click.echo(f"Wrote {len(services)} services to {path}.")
