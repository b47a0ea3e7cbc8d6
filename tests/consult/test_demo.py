"""``consult demo``: the other audiences' instruments and the themes that fit them."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from analysis.codebook import audience_themes, default_codebook
from consult import create_app, db
from consult.auth.services import find_partnership
from consult.coding.models import TextUnitRow
from consult.coding.services import current_codebook, effective_themes
from consult.definitions import definition_of
from consult.demo import load_audiences
from consult.models import Partnership, Survey, SurveyStatus
from consult.survey.services import store_response, survey_by_slug
from consult.umbrella.services import umbrella_view


@pytest.fixture
def app(app):
    """The test database (the demo without its other audiences) with them added, as
    ``consult demo`` adds them."""
    with app.app_context():
        session = db.session()
        load_audiences(session, find_partnership(session, "demo-lip"))
        db.commit()
    return app


def test_consult_demo_loads_three_surveys_once(tmp_path):
    fresh = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"})
    runner = fresh.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0
        assert "umbrella@demo.consult.local" in result.output  # printed with the others
    with fresh.app_context():
        session = db.session()
        demo = find_partnership(session, "demo-lip")
        slugs = sorted(
            s.slug for s in session.scalars(select(Survey)) if s.partnership_id == demo.id
        )
        assert slugs == ["employer-survey", "needs-assessment", "provider-scan"]
        # a second partnership asking the bank questions, both sharing with the analyst
        view, _ = umbrella_view(session, {p.id for p in session.scalars(select(Partnership))})
        assert [c.partnership.slug for c in view.shown] == ["lakeside-lip", "demo-lip"]
        assert len(view.tables) == 6 and view.tables[0].pooled_total >= 100
    db.dispose(fresh)


def _coded(app, slug: str, language: str, answers: dict) -> dict[str, set[str]]:
    """Open ``slug``, store one response, and return each text answer's effective themes."""
    with app.app_context():
        session = db.session()
        survey = survey_by_slug(session, slug)
        survey.status = SurveyStatus.OPEN
        stored, _new = store_response(
            session, survey, survey.current_version_id, str(uuid.uuid4()), language, answers
        )
        db.commit()
        units = session.scalars(select(TextUnitRow).where(TextUnitRow.response_id == stored.id))
        return {u.question: set(effective_themes(u)) for u in units}


def test_the_demo_loads_the_employer_and_provider_instruments_as_drafts(app):
    with app.app_context():
        session = db.session()
        for slug in ("employer-survey", "provider-scan"):
            survey = survey_by_slug(session, slug)
            assert survey.status == SurveyStatus.DRAFT  # a researcher opens it when ready
            definition = definition_of(survey.current_version)
            assert definition.languages == ("en", "fr")
        codebook = current_codebook(session, find_partnership(session, "demo-lip").id)
        added = [t.key for t in audience_themes()]
        assert list(codebook.keys) == [*default_codebook().keys, *added]
        assert codebook.version == 2
        for theme in audience_themes():
            assert theme.labels["en"] and theme.labels["fr"] and len(theme.labels) == 12
            assert theme.patterns["en"] and theme.patterns["fr"]


def test_an_employers_answers_are_coded_with_themes_that_fit_them(app):
    answers = {
        "sector": "manufacturing",
        "org_size": "medium",
        "hired_newcomers": "yes",
        "hiring_challenge": "Assessing foreign credentials takes months, and staff turnover "
        "is high when newcomers leave for bigger cities.",
        "employer_help": "Workplace language training and a mentoring program.",
    }
    coded = _coded(app, "employer-survey", "en", answers)
    assert {"credentials", "workplace_inclusion"} <= coded["hiring_challenge"]
    assert {"language_training", "workplace_inclusion"} <= coded["employer_help"]


def test_a_providers_answers_in_french_are_coded_with_themes_that_fit_them(app):
    answers = {
        "provider_type": "settlement",
        "area": "north",
        "served_everyone": "some",
        "waitlist": "gt3m",
        "service_gaps": "Notre liste d'attente dépasse trois mois et nous n'avons pas "
        "d'interprètes pour le tigrigna.",
        "coordination": "Un meilleur aiguillage et plus de partage d'information entre "
        "les organismes.",
    }
    coded = _coded(app, "provider-scan", "fr", answers)
    assert {"service_capacity", "interpretation"} <= coded["service_gaps"]
    assert "referrals" in coded["coordination"]
