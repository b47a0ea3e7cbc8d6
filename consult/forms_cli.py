"""``consult forms``: check XLSForms (one, or a whole folder of them) and import one.

``forms check`` over several forms prints one line per form and the counts
of forms that would import, that are refused clearly (every problem names
its sheet, and its row and column where a cell is at fault) and that
crashed the reader (a bug in Consult: never expected).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from consult import db

FORM_SUFFIXES = (".xlsx", ".xls", ".csv", ".md")
"""Files ``forms check`` reads in a folder."""
MISSING_SHOWN = 10
"""Missing strings listed per language by ``forms check`` before "and N more"."""
WHOLE_FILE_PROBLEMS = frozenset(
    {
        "unreadable",
        "no_questions",
        "unknown_language",
        "too_many_parts",
        "unpacks_too_large",
        "too_many_rows",
        "too_many_columns",
    }
)
"""Problems about the whole file or a header, which have no row to name."""


@click.group("forms")
def forms_group() -> None:
    """Import and check XLSForm survey definitions."""


def _print_problems(problems) -> None:
    for problem in problems:
        click.echo(f"  - {problem}", err=True)


def _form_files(paths: tuple[Path, ...]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in FORM_SUFFIXES))
        else:
            found.append(path)
    return found


def is_clear(problem) -> bool:
    """True when a problem says where it is: a sheet, and a row for a cell's problem."""
    if problem.code in WHOLE_FILE_PROBLEMS:
        return True
    return bool(problem.sheet) and (problem.row is not None or problem.code == "pyxform")


def check_one(path: Path, drop_unsupported: bool):
    """``("imported", definition)``, ``("refused", problems)`` or ``("crashed", error)``."""
    from forms.problems import FormError
    from forms.xlsform import read_xlsform

    try:
        return "imported", read_xlsform(path.read_bytes(), drop_unsupported=drop_unsupported)
    except FormError as error:
        return "refused", error.problems
    except Exception as error:  # noqa: BLE001 - counted and shown: a crash is Consult's bug
        return "crashed", error


@forms_group.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--drop-unsupported", is_flag=True, help="Check as if unsupported rows were left out."
)
def forms_check(paths: tuple[Path, ...], drop_unsupported: bool) -> None:
    """Say whether each form would import (exit 1 listing every problem if one would not).

    PATHS are XLSForm files or folders of them; for several forms, the counts
    of forms imported, refused clearly and crashed are printed at the end.
    """
    files = _form_files(paths)
    if len(files) == 1 and not paths[0].is_dir():
        _check_single(files[0], drop_unsupported)
        return
    counts = {"imported": 0, "refused clearly": 0, "refused unclearly": 0, "crashed": 0}
    for path in files:
        outcome, found = check_one(path, drop_unsupported)
        if outcome == "refused":
            outcome = "refused clearly" if all(is_clear(p) for p in found) else "refused unclearly"
        counts[outcome] += 1
        click.echo(f"{path}: {outcome}")
        if outcome.startswith("refused"):
            _print_problems(found)
        elif outcome == "crashed":
            click.echo(f"  - {type(found).__name__}: {found}", err=True)
    summary = ", ".join(f"{name}: {number}" for name, number in counts.items())
    click.echo(f"{len(files)} forms; {summary}")
    if counts["imported"] != len(files):
        raise SystemExit(1)


def _check_single(path: Path, drop_unsupported: bool) -> None:
    outcome, found = check_one(path, drop_unsupported)
    if outcome == "crashed":
        raise found
    if outcome == "refused":
        click.echo(f"{path.name} would not import:", err=True)
        _print_problems(found)
        raise SystemExit(1)
    click.echo(f"{path.name} would import.")
    _print_dropped(found)
    _print_bank(found)
    _print_coverage(found)


def _print_bank(definition) -> None:
    """Which questions are core indicators of the shared question bank (forms/bank.py)."""
    from forms.bank import CORE, match_bank

    for found in match_bank(definition):
        if found.status != CORE:
            click.echo(f"Has a bank question's name, not marked core (not counted): {found.name}")
            continue
        words = f" (worded differently in: {', '.join(found.reworded)})" if found.reworded else ""
        click.echo(f"Core indicator: {found.name}{words}")


def _print_dropped(definition) -> None:
    for dropped in definition.dropped:
        click.echo(f"Dropped (unsupported): {dropped}")
    for cell in definition.empty_reads:
        click.echo(f"Now reads an empty value (a dropped question): {cell}")


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
@click.option("--slug", default=None, help="Survey slug (default: the form_id, numbered if taken).")
@click.option(
    "--new-version-of",
    "new_version_of",
    default=None,
    metavar="SLUG",
    help="Import as a new version of this survey (never done unless asked).",
)
@click.option("--drop-unsupported", is_flag=True, help="Leave out unsupported question types.")
@click.option("--open", "open_now", is_flag=True, help="Open the survey to respondents.")
@with_appcontext
def forms_import(
    path: Path, partnership_slug: str, slug, new_version_of, drop_unsupported: bool, open_now
):
    """Import the XLSForm at PATH as a new survey, or as a new version with --new-version-of."""
    from consult.auth.services import find_partnership
    from consult.models import SurveyStatus
    from consult.survey.services import SurveyConflict, UnknownSurvey, import_survey
    from forms.problems import FormError

    if slug and new_version_of:
        raise click.UsageError("Give --slug or --new-version-of, not both.")
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
            new_version_of=new_version_of,
        )
    except FormError as error:
        click.echo(f"{path.name} was not imported:", err=True)
        _print_problems(error.problems)
        raise SystemExit(1) from error
    except SurveyConflict as error:
        raise click.ClickException(
            f"A survey called {error} already exists. Choose another --slug, or "
            f"--new-version-of {error} to make this form its new version."
        ) from error
    except UnknownSurvey as error:
        raise click.ClickException(
            f"This partnership has no survey called {error} (--new-version-of)."
        ) from error
    if open_now:
        imported.survey.status = SurveyStatus.OPEN
    db.commit()
    _print_dropped(imported.definition)
    click.echo(
        f"Imported {imported.survey.slug} version {imported.version.number} "
        f"({len(list(imported.definition.iter_questions()))} fields, "
        f"languages: {', '.join(imported.definition.languages)})."
    )
