"""The partnership's coder learns from reviews and imported examples, outside any request."""

import pytest
from sqlalchemy import func, select

from analysis.encoders import E5Encoder
from consult import db
from consult.coding import learning
from consult.coding.models import CoderTraining, CodingExample, TextUnitRow
from consult.coding.services import current_codebook, decide
from tests.consult.coding.test_cli import EXAMPLES
from tests.consult.coding.test_cli import _write_examples as _write
from tests.consult.walker import complete

HOMELESS_FR = "Nous n'avons nulle part où dormir cette nuit."  # housing, and no keyword says so
# Housing written as people write it, without the codebook's words: with only the
# examples above (four of five housing answers hold a housing keyword) the coder
# rightly learns that an answer without one is seldom about housing.
NO_KEYWORD_HOUSING = [
    ("Our family stays in a motel room for now.", "housing"),
    ("We have been couch surfing for months.", "housing"),
    ("Six of us share one bedroom at my cousin's.", "housing"),
    ("We are staying in a church basement until we find something.", "housing"),
    ("Nobody will take a family with five children and no references.", "housing"),
]


def _import(runner, path):
    args = ["coding", "examples", "import", str(path), "--partnership", "demo-lip"]
    args += ["--text-column", "answer", "--themes-column", "codes", "--lang", "en"]
    return runner.invoke(args=args)


def _count(app, model):
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def test_examples_import_stores_them_and_a_second_import_updates_not_duplicates(
    app, runner, tmp_path
):
    path = tmp_path / "past-coding.csv"
    _write(path, EXAMPLES)
    result = _import(runner, path)
    assert result.exit_code == 0, result.output
    assert f"Imported {len(EXAMPLES)} new examples (0 updated)" in result.output
    changed = [(EXAMPLES[0][0], "housing;income"), *EXAMPLES[1:]]
    _write(path, changed)
    again = _import(runner, path)
    assert "Imported 0 new examples (1 updated)" in again.output
    with app.app_context():
        codebook = current_codebook(db.session(), 1)
        stored = learning.imported_examples(db.session(), 1, codebook.keys)
    assert len(stored) == len(EXAMPLES)
    assert stored[0].themes == {"housing", "income"} and stored[0].language == "en"
    assert stored[-3].themes == frozenset()  # an empty cell: none of the themes applies


def test_examples_import_stores_nothing_when_one_row_is_bad(app, runner, tmp_path):
    path = tmp_path / "bad.csv"
    _write(path, [("Rent is high", "housing"), ("No bus", "transport")])
    result = _import(runner, path)
    assert result.exit_code != 0
    assert "Row 3, column 'codes': 'transport' is not a theme key" in result.output
    assert _count(app, CodingExample) == 0


def test_reviewed_units_are_examples_of_their_effective_themes(app, client):
    complete(client, "needs-assessment", "en", text="Rent is too high.")
    with app.app_context():
        session = db.session()
        units = session.scalars(select(TextUnitRow).order_by(TextUnitRow.id)).all()
        assert "housing" in units[0].theme_keys
        decide(session, units[0], "housing", False, None)
        decide(session, units[0], "health", True, None)
        db.commit()
        keys = current_codebook(session, 1).keys
        (example,) = learning.reviewed_examples(session, 1, keys)
    assert example.example_id == f"unit-{units[0].id}" and example.text == "Rent is too high."
    assert "health" in example.themes and "housing" not in example.themes


def test_retrain_learns_from_examples_and_recodes_units_it_could_not_code(
    app, client, runner, tmp_path
):
    complete(client, "needs-assessment", "fr", text=HOMELESS_FR)
    with app.app_context():
        units = db.session().scalars(select(TextUnitRow)).all()
        assert units and all("housing" not in u.theme_keys for u in units)
    path = tmp_path / "past-coding.csv"
    rows = EXAMPLES + NO_KEYWORD_HOUSING
    _write(path, rows)
    assert _import(runner, path).exit_code == 0

    result = runner.invoke(args=["coder", "retrain", "--partnership", "demo-lip"])

    assert result.exit_code == 0, result.output
    assert f"Learned from 0 reviewed units and {len(rows)} imported examples" in result.output
    assert f"Recoded {len(units)} text units." in result.output
    assert "housing | model |" in result.output
    with app.app_context():
        session = db.session()
        units = session.scalars(select(TextUnitRow)).all()
        for unit in units:
            codes = {c.theme: c.evidence for c in unit.auto_codes}
            assert codes.get("housing") == [], codes  # found by the model: no word evidence
            assert "housing" in unit.theme_keys
        training = learning.latest_training(session, 1)
        assert training.imported == len(rows) and training.recoded == len(units)
        assert training.quality["housing"]["rule"] == "model"
        housing = dict((k, e) for k, e, _code in learning.described(training))["housing"]
        assert (
            housing.reviewed == sum(theme == "housing" for _text, theme in rows)
            and 0 < housing.recall.low <= housing.recall.share <= 1
        )


def test_retrain_with_nothing_reviewed_says_the_keywords_decide(app, runner):
    result = runner.invoke(args=["coder", "retrain", "--partnership", "demo-lip"])
    assert result.exit_code == 0, result.output
    assert "the keywords decide every theme" in result.output
    assert _count(app, CoderTraining) == 1


def test_retrain_names_an_unknown_partnership(runner):
    result = runner.invoke(args=["coder", "retrain", "--partnership", "nowhere"])
    assert result.exit_code != 0 and "No partnership with slug 'nowhere'" in result.output


def test_a_submission_never_waits_for_the_sentence_encoder(app, client, monkeypatch):
    def refuse(self, texts):
        raise AssertionError("a respondent's request embedded text")

    monkeypatch.setattr(E5Encoder, "encode", refuse)
    monkeypatch.setattr(E5Encoder, "__init__", refuse)
    done = complete(client, "needs-assessment", "en", text="Rent is too high.")
    assert done.status_code == 200
    with app.app_context():
        units = db.session().scalars(select(TextUnitRow)).all()
        assert units and all("housing" in u.theme_keys for u in units)


@pytest.fixture(autouse=True)
def _no_stray_training(app):
    """Each test starts with no recorded training (a fresh database)."""
    assert _count(app, CoderTraining) == 0


def test_the_web_app_loads_without_scikit_learn(tmp_path):
    """Only fitting or using a learned model imports scikit-learn: every web process is
    spared its import time and memory."""
    import os
    import subprocess
    import sys

    probe = (
        "import sys\n"
        "from consult import create_app\n"
        "create_app()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn')[:3])\n"
    )
    env = {
        **os.environ,
        "CONSULT_INSTANCE_PATH": str(tmp_path / "instance"),
        "CONSULT_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
