"""The coder's background work: reviews retrain it in the worker, new answers wait for the
worker's learned model, and no respondent's request ever runs the sentence encoder.

The queue is immediate in tests (consult/queue.py): a task scheduled for later waits
in memory until ``queue.run_due()`` runs it, as the worker would.
"""

import re

import flask
import pytest
from markupsafe import escape
from sqlalchemy import func, select

from analysis.encoders import E5Encoder
from consult import db, queue
from consult.coding import background, learning
from consult.coding.models import CoderTraining, TextUnitRow
from tests.conftest import sign_in
from tests.consult.coding.test_cli import EXAMPLES
from tests.consult.coding.test_cli import _write_examples as _write
from tests.consult.coding.test_learning import HOMELESS_FR, NO_KEYWORD_HOUSING
from tests.consult.coding.test_queue import RESEARCHER, _decide
from tests.consult.walker import complete

EVERY_EXAMPLE = EXAMPLES + NO_KEYWORD_HOUSING


def _import(runner, path):
    _write(path, EVERY_EXAMPLE)
    args = ["coding", "examples", "import", str(path), "--partnership", "demo-lip"]
    result = runner.invoke(
        args=[*args, "--text-column", "answer", "--themes-column", "codes", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    return result


def _trainings(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(CoderTraining))


def _units(app) -> list[TextUnitRow]:
    with app.app_context():
        return db.session().scalars(select(TextUnitRow).order_by(TextUnitRow.id)).all()


def _waiting(app) -> int:
    with app.app_context():
        return learning.waiting_count(db.session(), 1)


@pytest.fixture
def no_encoder_in_requests(monkeypatch):
    """The sentence encoder raises when called while a request is being handled."""
    real = E5Encoder.encode

    def encode(self, texts):
        if flask.has_request_context():
            raise AssertionError("a request ran the sentence encoder")
        return real(self, texts)

    monkeypatch.setattr(E5Encoder, "encode", encode)


def test_an_import_and_reviews_schedule_one_retraining_that_recodes_the_answers(
    app, client, runner, tmp_path, no_encoder_in_requests
):
    complete(client, "needs-assessment", "fr", text=HOMELESS_FR)
    assert all("housing" not in u.theme_keys for u in _units(app))
    _import(runner, tmp_path / "past.csv")
    sign_in(client, *RESEARCHER)
    unit = _units(app)[0]
    assert _decide(client, unit.id, "housing", "no").status_code == 302
    assert _decide(client, unit.id, "housing", "clear").status_code == 302
    assert (
        "learn from your latest reviews in the background"
        in client.get("/research/coding/?lang=en").text
    )
    assert _trainings(app) == 0  # nothing learned inside the requests

    assert queue.run_due() == 3  # the import's request and two reviews' ...
    assert _trainings(app) == 1  # ... debounced into one retraining

    assert not background.retrain_pending(1)
    units = _units(app)
    assert units and all("housing" in u.theme_keys for u in units)
    with app.app_context():
        training = learning.latest_training(db.session(), 1)
        assert training.imported == len(EVERY_EXAMPLE) and training.recoded == len(units)
        assert {u.learned_training for u in _units(app)} == {training.id}
        stored = db.session().scalars(select(TextUnitRow.vector)).all()
        assert all(v is not None and len(v) == 384 * 4 for v in stored)  # embedded once


def test_a_new_answer_is_coded_by_keywords_at_once_and_by_the_model_in_the_worker(
    app, client, runner, tmp_path, no_encoder_in_requests
):
    _import(runner, tmp_path / "past.csv")
    queue.run_due()
    assert _trainings(app) == 1 and _waiting(app) == 0

    done = complete(client, "needs-assessment", "fr", text=HOMELESS_FR)

    assert done.status_code == 200  # the encoder would have raised inside the request
    new = _units(app)
    assert new and all("housing" not in u.theme_keys for u in new)  # keywords only
    assert _waiting(app) == len(new)
    sign_in(client, *RESEARCHER)
    page = client.get("/research/coding/?lang=en").text
    assert f"{len(new)} answers are waiting for the learned model" in page

    background.code_waiting_answers()  # the worker's every-minute task

    assert _waiting(app) == 0
    coded = _units(app)
    assert all("housing" in u.theme_keys for u in coded)
    with app.app_context():
        for unit in db.session().scalars(select(TextUnitRow)):
            assert {c.theme: c.evidence for c in unit.auto_codes}["housing"] == []
    page = client.get("/research/coding/?lang=en").text
    assert "waiting for the learned model" not in page
    # honest evidence: not words, but the nearest reviewed answers with the theme
    assert "Found by the learned coder: similar to reviewed answers" in page
    shown = re.findall(r'<q dir="auto">([^<]*)</q>', page)
    housing = {str(escape(text)) for text, theme in EVERY_EXAMPLE if theme == "housing"}
    assert shown and set(shown) <= housing


def test_the_worker_fits_the_model_again_after_a_restart(app, runner, tmp_path, client):
    _import(runner, tmp_path / "past.csv")
    queue.run_due()
    background._state.clear()  # a new worker process: no model, no encoder yet
    complete(client, "needs-assessment", "fr", text=HOMELESS_FR)
    background.code_waiting_answers()
    assert _waiting(app) == 0 and all("housing" in u.theme_keys for u in _units(app))
    assert _trainings(app) == 1  # fitted again, not a new training


def test_without_a_learned_model_nothing_waits(app, client):
    complete(client, "needs-assessment", "en", text="Rent is too high.")
    assert _waiting(app) == 0
    background.code_waiting_answers()
    assert _trainings(app) == 0


def training(quality, reviewed=30, imported=12) -> CoderTraining:
    """A recorded training with these cross-validated counts per theme."""
    return CoderTraining(
        partnership_id=1,
        codebook_version=1,
        reviewed=reviewed,
        imported=imported,
        kind="embedding",
        quality=quality,
        recoded=0,
    )


def _record_training(app, quality):
    with app.app_context():
        db.session().add(training(quality))
        db.session().commit()


MIXED = [
    "We sleep in a shelter and cannot find an apartment.",
    "The bus does not come to our street.",
    "My daughter needs a doctor and we have no money.",
    "Thank you, everything is fine.",
]


def test_once_a_model_exists_the_queue_offers_the_least_certain_texts_first(
    app, client, runner, tmp_path
):
    for text in MIXED:
        complete(client, "needs-assessment", "en", text=text)
    sign_in(client, *RESEARCHER)
    oldest = _listed_in_order(client.get("/research/coding/?lang=en").text)
    assert oldest == sorted(oldest)  # no model yet: oldest first
    _import(runner, tmp_path / "past.csv")
    queue.run_due()

    page = client.get("/research/coding/?lang=en").text

    assert '<option value="uncertain" selected>' in page
    with app.app_context():
        rows = db.session().execute(select(TextUnitRow.id, TextUnitRow.review_priority))
        priority = {unit_id: value for unit_id, value in rows}
    listed = _listed_in_order(page)
    assert len(set(priority.values())) > 1  # the order means something
    assert [priority[i] for i in listed] == sorted((priority[i] for i in listed), reverse=True)
    assert listed != sorted(listed)
    again = _listed_in_order(client.get("/research/coding/?lang=en&order=oldest").text)
    assert again == sorted(again)


def _listed_in_order(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="card unit" id="unit-(\d+)"', page)]


def test_an_api_submission_never_runs_the_encoder_and_waits_for_the_worker(
    app, client, runner, tmp_path, no_encoder_in_requests
):
    from tests.consult.api.test_api import SUBMIT, submission

    _import(runner, tmp_path / "past.csv")
    queue.run_due()
    answers = {
        "years_in_canada": "y1_3",
        "age_band": "a25_34",
        "area": "north",
        "hardest_part": HOMELESS_FR,
    }
    response = client.post(SUBMIT, json=submission(answers, language="fr"))
    assert response.status_code == 201  # the encoder would have raised inside the request
    assert _waiting(app) == 1
    background.code_waiting_answers()
    assert _waiting(app) == 0 and all("housing" in u.theme_keys for u in _units(app))
