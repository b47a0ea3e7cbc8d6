"""The ``consult`` command line: a Flask CLI group (``consult run`` works like ``flask run``)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from consult import db, migrate


def _create_app() -> Flask:
    from consult import create_app
    from consult.config import UnsafeConfiguration

    try:
        return create_app()
    except UnsafeConfiguration as refusal:
        raise click.ClickException(str(refusal)) from None


@click.group(cls=FlaskGroup, create_app=_create_app)
def cli() -> None:
    """Consult: community consultation and surveys for Local Immigration Partnerships."""


def register_commands(app: Flask) -> None:
    """Attach Consult's commands to the app's CLI."""
    app.cli.add_command(init_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(forms_group)
    app.cli.add_command(users_group)
    app.cli.add_command(drafts_group)
    from consult.exports.cli import export_command

    app.cli.add_command(export_command)
    from consult.coding.cli import code_file_command, recode_command

    app.cli.add_command(recode_command)
    app.cli.add_command(code_file_command)
    from consult.reports.routes import register_cli as register_report_cli

    register_report_cli(app)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(retention_group)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    migrate.upgrade(db.engine())
    click.echo(f"Database ready: {db.engine().url.render_as_string(hide_password=True)}")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create the schema and load the demo partnership, survey and accounts (idempotent)."""
    from consult.demo import DEMO_ACCOUNTS, create_demo_database

    created = create_demo_database()
    click.echo("Demo data " + ("loaded." if created else "already present; kept as it is."))
    click.echo("Demo accounts (email / password / role):")
    for email, password, role in DEMO_ACCOUNTS:
        click.echo(f"  {email:32} {password:24} {role.value}")


@click.group("forms")
def forms_group() -> None:
    """Import and check XLSForm survey definitions."""


def _print_problems(problems) -> None:
    for problem in problems:
        click.echo(f"  - {problem}", err=True)


@forms_group.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--drop-unsupported", is_flag=True, help="Check as if unsupported rows were left out."
)
def forms_check(path: Path, drop_unsupported: bool) -> None:
    """Say whether the form at PATH would import (exit 1 listing every problem if not)."""
    from consult.survey.services import check_form
    from forms.xlsform import read_xlsform

    source = path.read_bytes()
    problems = check_form(source, drop_unsupported=drop_unsupported)
    if problems:
        click.echo(f"{path.name} would not import:", err=True)
        _print_problems(problems)
        raise SystemExit(1)
    click.echo(f"{path.name} would import.")
    _print_coverage(read_xlsform(source, drop_unsupported=drop_unsupported))


MISSING_SHOWN = 10
"""Missing strings listed per language by ``forms check`` before "and N more"."""


def _print_coverage(definition) -> None:
    """A table of translation coverage per language, then the missing strings."""
    from forms.coverage import translation_coverage

    coverage = translation_coverage(definition)
    click.echo("")
    click.echo("Translation coverage:")
    click.echo(f"  {'language':10} {'translated':>10} {'missing':>8}  status")
    for code, found in coverage.items():
        if found.is_default:
            status = "original"
        elif found.is_draft:
            status = "draft — needs review"
        else:
            status = "reviewed"
        click.echo(
            f"  {code:10} {found.percent:>9.1f}% {found.total - found.translated:>8}  {status}"
        )
    for code, found in coverage.items():
        if not found.missing:
            continue
        click.echo("")
        click.echo(f"Missing in {code}:")
        for missing in found.missing[:MISSING_SHOWN]:
            text = found.source_text[missing]
            click.echo(f"  - {missing.element} ({missing.kind}): {text}")
        if len(found.missing) > MISSING_SHOWN:
            click.echo(f"  … and {len(found.missing) - MISSING_SHOWN} more")


@forms_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partnership", "partnership_slug", required=True, help="Partnership slug.")
@click.option("--slug", default=None, help="Survey slug (default: the form_id).")
@click.option("--drop-unsupported", is_flag=True, help="Leave out unsupported question types.")
@click.option("--open", "open_now", is_flag=True, help="Open the survey to respondents.")
@with_appcontext
def forms_import(path: Path, partnership_slug: str, slug, drop_unsupported: bool, open_now):
    """Import the XLSForm at PATH as a survey (a new version if the slug exists)."""
    from consult.auth.services import find_partnership
    from consult.models import SurveyStatus
    from consult.survey.services import SurveyConflict, import_survey
    from forms.problems import FormError

    session = db.session()
    partnership = find_partnership(session, partnership_slug)
    if partnership is None:
        raise click.ClickException(f"No partnership with slug {partnership_slug!r}.")
    try:
        imported = import_survey(
            session,
            partnership,
            path.read_bytes(),
            path.name,
            slug=slug,
            drop_unsupported=drop_unsupported,
        )
    except FormError as error:
        click.echo(f"{path.name} was not imported:", err=True)
        _print_problems(error.problems)
        raise SystemExit(1) from error
    except SurveyConflict as error:
        raise click.ClickException(
            f"Survey slug {error} belongs to another partnership."
        ) from error
    if open_now:
        imported.survey.status = SurveyStatus.OPEN
    db.commit()
    for dropped in imported.definition.dropped:
        click.echo(f"Dropped (unsupported): {dropped}")
    click.echo(
        f"Imported {imported.survey.slug} version {imported.version.number} "
        f"({len(list(imported.definition.iter_questions()))} fields, "
        f"languages: {', '.join(imported.definition.languages)})."
    )


@click.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "researcher", "committee"]), required=True)
@click.option("--partnership", "partnership_slug", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="")
@with_appcontext
def users_add(email: str, role: str, partnership_slug: str, password: str, name: str) -> None:
    """Create an account (or reset its password) with ROLE in a partnership."""
    from consult.auth.services import AccountError, add_user, find_partnership, record
    from consult.models import Role

    session = db.session()
    partnership = find_partnership(session, partnership_slug)
    if partnership is None:
        raise click.ClickException(f"No partnership with slug {partnership_slug!r}.")
    try:
        user = add_user(session, email, password, Role(role), partnership, name)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    session.flush()
    record(session, "role_change", partnership_id=partnership.id, target=user.email, detail=role)
    db.commit()
    click.echo(f"{user.email} is {role} of {partnership.slug}.")


@click.group("drafts")
def drafts_group() -> None:
    """Answers saved for later."""


@drafts_group.command("purge")
@with_appcontext
def drafts_purge() -> None:
    """Delete drafts past their expiry (CONSULT_DRAFT_DAYS after they were started)."""
    from consult.survey.services import purge_expired_drafts

    removed = purge_expired_drafts(db.session())
    db.commit()
    click.echo(f"Deleted {removed} expired drafts.")


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent backup of the whole database to FILE (safe while serving)."""
    from flask import current_app

    from consult.backup import BackupError, backup

    try:
        kind = backup(current_app.config["DATABASE_URL"], file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up the {kind} database to {file} ({file.stat().st_size} bytes).")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Copy the backup in FILE into the configured database."""
    from flask import current_app

    from consult.backup import BackupError, restore

    db.dispose()
    try:
        kind = restore(current_app.config["DATABASE_URL"], file, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored the {kind} database from {file}.")


@click.group("retention")
def retention_group() -> None:
    """Delete data past each partnership's retention period."""


@retention_group.command("apply")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@with_appcontext
def retention_apply(dry_run: bool) -> None:
    """Delete responses older than their partnership's retention, and expired drafts."""
    from consult.retention import apply_retention

    session = db.session()
    report = apply_retention(session)
    if dry_run:
        session.rollback()
    else:
        db.commit()
    verb = "Would delete" if dry_run else "Deleted"
    for slug, count in report.responses_by_partnership.items():
        click.echo(f"{verb} {count} responses of {slug} past its retention period.")
    for slug, count in report.contacts_by_partnership.items():
        click.echo(f"{verb} {count} focus-group contacts of {slug} past its retention period.")
    click.echo(
        f"{verb} {report.responses} responses, {report.contacts} contacts "
        f"and {report.drafts} expired drafts."
    )


@users_group.command("role")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "researcher", "committee"]), required=True)
@click.option("--partnership", "partnership_slug", required=True)
@with_appcontext
def users_role(email: str, role: str, partnership_slug: str) -> None:
    """Change an account's role in a partnership (takes effect on its next request)."""
    from consult.auth.services import find_partnership, find_user, record, set_role
    from consult.models import Role

    session = db.session()
    partnership = find_partnership(session, partnership_slug)
    user = find_user(session, email)
    if partnership is None or user is None:
        raise click.ClickException("No such account or partnership.")
    set_role(session, user, partnership, Role(role))
    record(session, "role_change", partnership_id=partnership.id, target=user.email, detail=role)
    db.commit()
    click.echo(f"{user.email} is {role} of {partnership.slug}.")
