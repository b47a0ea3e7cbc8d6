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
    _coder, version = coder_for(session, partnership.id)
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
