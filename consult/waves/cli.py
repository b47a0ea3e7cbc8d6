"""``consult waves``: studies and their waves from the command line (researchers' figures)."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from analysis.spreadsheet import csv_writer
from consult import db


@click.group("waves")
def waves_group() -> None:
    """Studies: the same survey run again, compared wave by wave (see docs/waves.md)."""


def _partnership(slug: str):
    from consult.auth.services import find_partnership

    partnership = find_partnership(db.session(), slug)
    if partnership is None:
        raise click.ClickException(f"No partnership with slug {slug!r}.")
    return partnership


def _study(partnership, study_id: int):
    from consult.waves.services import study_for

    study = study_for(db.session(), study_id, {partnership.id})
    if study is None:
        raise click.ClickException(f"No study {study_id} in {partnership.slug}.")
    return study


def _problem(problem) -> click.ClickException:
    from consult.waves.presenter import problem_message

    with current_app.test_request_context("/?lang=en"):
        return click.ClickException(problem_message(problem.code))


@waves_group.command("create")
@click.argument("title")
@click.option("--partnership", "partnership_slug", required=True, help="Partnership slug.")
@with_appcontext
def create_command(title: str, partnership_slug: str) -> None:
    """Create a study called TITLE; prints its id."""
    from consult.waves.services import WaveProblem, create_study

    partnership = _partnership(partnership_slug)
    try:
        study = create_study(db.session(), partnership.id, title, None)
    except WaveProblem as problem:
        raise _problem(problem) from None
    db.commit()
    click.echo(f"Study {study.id}: {study.title}")


@waves_group.command("add")
@click.argument("study_id", type=int)
@click.argument("survey_slug")
@click.option("--partnership", "partnership_slug", required=True, help="Partnership slug.")
@click.option("--version", "version", type=int, default=None, help="Only this version's responses.")
@click.option("--label", default="", help="The wave's name (e.g. 2024).")
@with_appcontext
def add_command(study_id, survey_slug, partnership_slug, version, label) -> None:
    """Add SURVEY_SLUG (or one --version of it) as the study's next wave."""
    from consult.surveys import survey_for
    from consult.waves.services import WaveProblem, add_wave

    partnership = _partnership(partnership_slug)
    study = _study(partnership, study_id)
    survey = survey_for(db.session(), survey_slug, {partnership.id})
    try:
        wave = add_wave(db.session(), study, survey, version, label)
    except WaveProblem as problem:
        raise _problem(problem) from None
    db.commit()
    click.echo(f"Wave {wave.position} ({wave.label}) added to study {study.id}.")


@waves_group.command("map")
@click.argument("study_id", type=int)
@click.argument("wave_position", type=int)
@click.argument("first_name")
@click.argument("wave_name", default="")
@click.option("--partnership", "partnership_slug", required=True, help="Partnership slug.")
@click.option(
    "--choice",
    "choices",
    multiple=True,
    help="VALUE=CHOICE: the wave's answer VALUE counts as the first wave's CHOICE "
    "(renamed or split; in wave 1, merged). VALUE= removes it. Repeatable.",
)
@with_appcontext
def map_command(study_id, wave_position, first_name, wave_name, partnership_slug, choices) -> None:
    """In wave WAVE_POSITION, FIRST_NAME (the first wave's question) is called WAVE_NAME.

    Without WAVE_NAME, the mapping is removed (unless --choice is given: then
    only the answers are mapped).
    """
    from consult.waves.services import WaveProblem, map_choice, map_question

    study = _study(_partnership(partnership_slug), study_id)
    wave = next((w for w in study.waves if w.position == wave_position), None)
    wave_id = wave.id if wave else -1
    try:
        if wave_name or not choices:
            map_question(db.session(), study, wave_id, first_name, wave_name)
            click.echo(f"{first_name} -> {wave_name or first_name} in wave {wave_position}.")
        for pair in choices:
            value, _, choice = pair.partition("=")
            map_choice(db.session(), study, wave_id, first_name, value.strip(), choice.strip())
            click.echo(f"{first_name}: {value} -> {choice or '-'} in wave {wave_position}.")
    except WaveProblem as problem:
        raise _problem(problem) from None
    db.commit()


@waves_group.command("show")
@click.argument("study_id", type=int)
@click.option("--partnership", "partnership_slug", required=True, help="Partnership slug.")
@click.option("--lang", default="en", show_default=True, help="Language of the labels.")
@with_appcontext
def show_command(study_id: int, partnership_slug: str, lang: str) -> None:
    """Print the study's trend as CSV: every theme and indicator choice, wave by wave.

    Every figure comes from the waves' protected counts (rounded, audited).
    """
    from consult.waves.presenter import trend_view
    from consult.waves.services import trend_of

    study = _study(_partnership(partnership_slug), study_id)
    if not study.waves:
        raise click.ClickException(f"Study {study.id} has no waves yet.")
    found = trend_of(db.session(), study)
    with current_app.test_request_context(f"/?lang={lang}"):
        view = trend_view(found)
    writer = csv_writer(sys.stdout)  # cells neutralised like every export
    header = ["table", "row"]
    for wave in view.waves:
        header += [f"{wave}: count", f"{wave}: share (95% CI)", f"{wave}: change"]
    writer.writerow([*header, "all waves"])
    writer.writerow(["", "respondents", *[v for r in view.respondents for v in (r, "", "")], ""])
    for section in view.sections:
        for row in section.rows:
            values = [v for c in row.cells for v in (c.count, c.share, c.change)]
            writer.writerow([section.title, row.label, *values, row.overall])
        if section.test:
            writer.writerow([section.title, "", *[""] * (3 * len(view.waves)), section.test])
