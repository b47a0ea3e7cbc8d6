"""The ``consult`` command line: a Flask CLI group (``consult run`` works like ``flask run``)."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from consult import db, migrate

ROLE_NAMES = ["admin", "researcher", "committee", "umbrella"]
"""Roles ``consult users`` gives (:class:`consult.models.Role`)."""


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
    from consult.forms_cli import forms_group

    app.cli.add_command(forms_group)
    app.cli.add_command(users_group)
    app.cli.add_command(drafts_group)
    from consult.exports.cli import export_command

    app.cli.add_command(export_command)
    from consult.coding.cli import (
        code_file_command,
        coder_group,
        coding_group,
        recode_command,
    )

    app.cli.add_command(recode_command)
    app.cli.add_command(code_file_command)
    app.cli.add_command(coder_group)
    app.cli.add_command(coding_group)
    from consult.reports.routes import register_cli as register_report_cli

    register_report_cli(app)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(retention_group)
    from consult.strategy.cli import services_group

    app.cli.add_command(services_group)
    from consult.waves.cli import waves_group

    app.cli.add_command(waves_group)
    app.cli.add_command(worker_command)


@click.command("worker")
@click.option(
    "--periodic/--no-periodic",
    default=True,
    show_default=True,
    help="Also run the every-minute coding of new answers (one worker per deployment).",
)
@with_appcontext
def worker_command(periodic: bool) -> None:
    """Run the background queue: retraining after reviews, coding new answers with the
    learned model (see docs/operations.md). Stops on Ctrl-C or SIGTERM."""
    from consult.coding import background  # noqa: F401 - registers the coder's tasks
    from consult.queue import huey, where

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(f"Consult worker: queue {where()}")
    huey.create_consumer(workers=1, periodic=periodic, worker_type="thread").run()


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
    from consult.demo import DEMO_ACCOUNTS, UMBRELLA_ACCOUNTS, create_demo_database

    created = create_demo_database()
    click.echo("Demo data " + ("loaded." if created else "already present; kept as it is."))
    click.echo("Demo accounts (email / password / role):")
    for email, password, role in (*DEMO_ACCOUNTS, *UMBRELLA_ACCOUNTS):
        click.echo(f"  {email:32} {password:24} {role.value}")


@click.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True)
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
    from consult.survey.drafts import purge_expired_drafts

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
    from datetime import timedelta

    from consult.retention import apply_retention

    if dry_run:
        session = db.session()
        report = apply_retention(session)
        session.rollback()
        _say_retention(report, "Would delete")
        return
    if not _run_retention(every=timedelta(0)):
        raise click.ClickException("Retention is running on another server right now.")


@retention_group.command("scheduled")
@with_appcontext
def retention_scheduled() -> None:
    """Run retention if it is due (every CONSULT_RETENTION_EVERY_HOURS): run this from
    every server's timer; one server runs it each time."""
    from datetime import timedelta

    from flask import current_app

    every = timedelta(hours=current_app.config["RETENTION_EVERY_HOURS"])
    if not _run_retention(every=every):
        click.echo("Retention is not due yet, or another server is running it.")


def _run_retention(every) -> bool:
    """Claim the retention job, run it and record what it did; False when not claimed."""
    from consult import jobs
    from consult.models import utcnow
    from consult.retention import apply_retention

    session, holder = db.session(), jobs.holder_name()
    claimed = jobs.claim(session, jobs.RETENTION, holder, utcnow(), every)
    db.commit()
    if not claimed:
        return False
    try:
        report = apply_retention(session)
        db.commit()
    except Exception as error:
        session.rollback()
        jobs.finish(session, jobs.RETENTION, holder, utcnow(), None, f"{type(error).__name__}")
        db.commit()
        raise
    slugs = set(report.responses_by_partnership) | set(report.contacts_by_partnership)
    done = {
        "responses": report.responses,
        "contacts": report.contacts,
        "drafts": report.drafts,
        "partnerships": {
            slug: {
                "responses": report.responses_by_partnership.get(slug, 0),
                "contacts": report.contacts_by_partnership.get(slug, 0),
            }
            for slug in sorted(slugs)
        },
    }
    jobs.finish(session, jobs.RETENTION, holder, utcnow(), done, None)
    db.commit()
    _say_retention(report, "Deleted")
    return True


def _say_retention(report, verb: str) -> None:
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
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True)
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
