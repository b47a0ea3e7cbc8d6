"""``consult recode`` and ``consult code-file``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from consult import db


@click.command("recode")
@click.option("--partnership", "partnership_slug", required=True, help="Partnership slug.")
@click.option("--batch", default=500, show_default=True, help="Units per committed batch.")
@with_appcontext
def recode_command(partnership_slug: str, batch: int) -> None:
    """Recode every text unit with the partnership's current codebook.

    Each batch is committed, so an interrupted run resumes where it stopped.
    """
    from consult.auth.services import find_partnership
    from consult.coding.services import coder_for, recode_batches, units_to_recode

    session = db.session()
    partnership = find_partnership(session, partnership_slug)
    if partnership is None:
        raise click.ClickException(f"No partnership with slug {partnership_slug!r}.")
    _coder, version = coder_for(session.connection(), partnership.id)
    db.commit()
    total = units_to_recode(session, partnership.id, version)
    with click.progressbar(length=total, label=f"Recoding with codebook v{version}") as bar:
        for done in recode_batches(session, partnership.id, batch):
            db.commit()
            bar.update(done)
    click.echo(f"Recoded {total} text units.")


@click.command("code-file")
@click.argument("in_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--text-column", required=True, help="Column holding the text.")
@click.option("--lang", "language", default=None, help="Language of every row (e.g. en, ar).")
@click.option(
    "--lang-column", "language_column", default=None, help="Column with each row's language."
)
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--partnership", "partnership_slug", default=None, help="Use this partnership's codebook."
)
@click.option(
    "--examples",
    "examples_path",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled examples (CSV or XLSX) to learn from before coding.",
)
@click.option("--examples-text-column", default=None, help="Text column of the examples.")
@click.option(
    "--examples-themes-column",
    default=None,
    help="Themes column of the examples: keys separated by ';', empty when none applies.",
)
@with_appcontext
def code_file_command(
    in_path,
    text_column,
    language,
    language_column,
    out_path,
    partnership_slug,
    examples_path,
    examples_text_column,
    examples_themes_column,
):
    """Code a CSV of text with the codebook; add `themes`, `evidence` and `sentiment` columns.

    With --examples, the coder first learns from labelled examples (keywords plus a
    multilingual sentence model), so examples in one language help every language.
    """
    from analysis.codebook import default_codebook
    from analysis.codefile import CodeFileError, code_csv
    from analysis.coding import Coder
    from analysis.sentiment import sentiment_of

    codebook = _codebook(partnership_slug) if partnership_slug else default_codebook()
    coder = Coder(codebook)
    if examples_path is not None:
        coder = _learned_coder(
            coder,
            examples_path,
            examples_text_column,
            examples_themes_column,
            language,
            language_column,
        )

    def sentiment(text, lang):
        result = sentiment_of(text, lang)
        return None if result is None else round(result.polarity, 3)

    try:
        rows = code_csv(
            in_path,
            out_path,
            codebook,
            text_column,
            language,
            language_column,
            sentiment_fn=sentiment,
            coder=coder,
        )
    except CodeFileError as error:
        raise click.ClickException(_code_file_message(error)) from error
    click.echo(f"Coded {rows} rows into {out_path}.", file=sys.stderr)


def _learned_coder(coder, path, text_column, themes_column, language, language_column):
    """The coder trained on the examples file, or a ClickException naming the problem."""
    from analysis.encoders import default_encoder
    from analysis.examples import ExamplesError, read_examples
    from analysis.learning import learn

    if not text_column or not themes_column:
        raise click.ClickException(
            "--examples needs --examples-text-column and --examples-themes-column."
        )
    try:
        examples = read_examples(
            path,
            coder.codebook.keys,
            text_column=text_column,
            themes_column=themes_column,
            language=language or "und",
            language_column=_column_if_present(path, language_column),
        )
    except ExamplesError as error:
        raise click.ClickException(examples_message(error)) from error
    encoder = default_encoder()
    how = "keywords and sentence vectors" if encoder else "keywords and characters"
    click.echo(f"Learning from {len(examples)} examples ({how})...", file=sys.stderr)
    return learn(coder, examples, encoder)


def _column_if_present(path: Path, column: str | None) -> str | None:
    """``column`` when the examples file has it (the language column is optional there)."""
    if column is None:
        return None
    from analysis.examples import ExamplesError, read_header

    try:
        return column if column in read_header(path) else None
    except ExamplesError:
        return None


def examples_message(error) -> str:
    """A researcher's sentence for an :class:`analysis.examples.ExamplesError`."""
    params = getattr(error, "params", {}) or {}
    messages = {
        "language_required": "Give --lang or --lang-column.",
        "missing_column": "The examples file has no column named {column!r}.",
        "empty_file": "The examples file is empty: it needs a header row.",
        "unknown_theme": "Row {row}, column {column!r}: {theme!r} is not a theme key of "
        "the codebook.",
        "missing_language": "Row {row}: no language in column {column!r} and no --lang.",
        "unreadable": "The examples file cannot be read: {detail}",
    }
    template = messages.get(getattr(error, "code", ""), str(error))
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return str(error)


def _codebook(slug: str):
    from consult.auth.services import find_partnership
    from consult.coding.services import current_codebook

    partnership = find_partnership(db.session(), slug)
    if partnership is None:
        raise click.ClickException(f"No partnership with slug {slug!r}.")
    return current_codebook(db.session(), partnership.id)


def _code_file_message(error) -> str:
    params = getattr(error, "params", {}) or {}
    messages = {
        "language_required": "Give --lang or --lang-column.",
        "missing_column": "The file has no column named {column!r}.",
        "empty_file": "The file is empty: it needs a header row.",
    }
    template = messages.get(getattr(error, "code", ""), str(error))
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return str(error)


QUALITY_WORDS = {
    "too_few": "too few reviewed to tell",
    "finds_most_rarely_wrong": "finds most of them, rarely wrong",
    "finds_most_sometimes_wrong": "finds most of them, sometimes wrong",
    "finds_most_often_wrong": "finds most of them, often wrong",
    "finds_many_rarely_wrong": "finds many of them, rarely wrong",
    "finds_many_sometimes_wrong": "finds many of them, sometimes wrong",
    "finds_many_often_wrong": "finds many of them, often wrong",
    "finds_few_rarely_wrong": "finds few of them, rarely wrong",
    "finds_few_sometimes_wrong": "finds few of them, sometimes wrong",
    "finds_few_often_wrong": "finds few of them, often wrong",
}


@click.group("coder")
def coder_group() -> None:
    """The partnership's learning coder."""


@coder_group.command("retrain")
@click.option("--partnership", "partnership_slug", required=True, help="Partnership slug.")
@click.option(
    "--recode/--no-recode",
    default=True,
    show_default=True,
    help="Recode every text unit with the retrained coder.",
)
@click.option("--batch", default=200, show_default=True, help="Units per committed batch.")
@with_appcontext
def coder_retrain_command(partnership_slug: str, recode: bool, batch: int) -> None:
    """Learn from the partnership's reviews and imported examples, then recode its units.

    Prints each theme's precision and recall on the reviewed examples
    (cross-validated, with 95% intervals). Runs outside any request: a
    respondent's submission is coded by keywords at once and never waits.
    """
    from analysis.encoders import default_encoder
    from consult.coding import learning

    partnership = _partnership(partnership_slug)
    session = db.session()
    encoder = default_encoder()
    how = "keywords and sentence vectors" if encoder else "keywords and characters"
    learned, training = learning.retrain(session, partnership.id, encoder)
    click.echo(
        f"Learned from {training.reviewed} reviewed units and {training.imported} imported "
        f"examples ({how})."
    )
    if recode:
        with click.progressbar(length=_unit_count(partnership.id), label="Recoding") as bar:
            for done in learning.recode_batches(
                session, partnership.id, learned, training.id, batch
            ):
                training.recoded += done
                db.commit()
                bar.update(done)
    db.commit()
    click.echo(f"Recoded {training.recoded} text units.")
    _echo_quality(training)


def _unit_count(partnership_id: int) -> int:
    from sqlalchemy import func, select

    from consult.coding.models import TextUnitRow

    return db.session().scalar(
        select(func.count())
        .select_from(TextUnitRow)
        .where(TextUnitRow.partnership_id == partnership_id)
    )


def _echo_quality(training) -> None:
    from consult.coding import learning

    rows = learning.described(training)
    if not rows:
        click.echo("No reviewed or imported examples yet: the keywords decide every theme.")
        return
    click.echo("theme | decided by | precision (95% interval) | recall (95% interval) | reviewed")
    for key, estimate, code in rows:
        p, r = estimate.precision, estimate.recall
        click.echo(
            f"{key} | {estimate.rule} | {_share(p)} | {_share(r)} | {estimate.reviewed} "
            f"| {QUALITY_WORDS[code]}"
        )


def _share(proportion) -> str:
    if not proportion.n:
        return "–"
    return f"{proportion.share:.2f} ({proportion.low:.2f}–{proportion.high:.2f})"


def _partnership(slug: str):
    from consult.auth.services import find_partnership

    partnership = find_partnership(db.session(), slug)
    if partnership is None:
        raise click.ClickException(f"No partnership with slug {slug!r}.")
    return partnership


@click.group("coding")
def coding_group() -> None:
    """Coding data: labelled examples."""


@coding_group.group("examples")
def examples_group() -> None:
    """Labelled examples (a partnership's past hand-coding) for its coder to learn from."""


@examples_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--partnership", "partnership_slug", required=True, help="Partnership slug.")
@click.option("--text-column", required=True, help="Column holding the text.")
@click.option(
    "--themes-column",
    required=True,
    help="Column of theme keys separated by ';' (empty: none of the themes applies).",
)
@click.option("--lang", "language", default=None, help="Language of every row (e.g. en, ar).")
@click.option(
    "--lang-column", "language_column", default=None, help="Column with each row's language."
)
@with_appcontext
def examples_import_command(
    path, partnership_slug, text_column, themes_column, language, language_column
):
    """Import a CSV or XLSX of hand-coded answers; the worker retrains the coder on them
    (`consult worker`). Nothing is stored unless every row is good."""
    from analysis.examples import ExamplesError, read_examples
    from consult.coding import background, learning
    from consult.coding.services import current_codebook

    partnership = _partnership(partnership_slug)
    session = db.session()
    codebook = current_codebook(session, partnership.id)
    try:
        examples = read_examples(
            path,
            codebook.keys,
            text_column=text_column,
            themes_column=themes_column,
            language=language,
            language_column=language_column,
        )
    except ExamplesError as error:
        raise click.ClickException(examples_message(error)) from error
    added, updated = learning.import_examples(session, partnership.id, examples, path.name)
    db.commit()
    if added or updated:
        background.retrain_soon(partnership.id)
    total = learning.example_count(session, partnership.id)
    click.echo(
        f"Imported {added} new examples ({updated} updated) from {path.name}; "
        f"{partnership_slug} has {total}. The worker (`consult worker`) learns from them "
        f"shortly; `consult coder retrain --partnership {partnership_slug}` does it now."
    )
