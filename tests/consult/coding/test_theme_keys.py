"""``text_unit.theme_keys`` (what summaries read) never goes stale.

Every test compares the stored keys with the themes the unit's codes and
decisions give, and the summary with one computed from ORM objects that
never read ``theme_keys``: a stale column fails both.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from analysis.aggregate import Respondent, aggregate
from analysis.codebook import set_patterns
from analysis.records import SOURCE_SURVEY
from consult import db
from consult.coding.models import TextUnitRow
from consult.coding.services import (
    as_record,
    current_codebook,
    effective_themes,
    save_codebook,
    theme_keys_text,
)
from consult.coding.summary import Scope, summarise
from consult.models import Response
from consult.survey.services import survey_by_slug
from tests.conftest import csrf_from, sign_in
from tests.consult.coding.test_review import post_translation
from tests.consult.survey.test_withdraw import post_withdraw
from tests.consult.walker import complete

SLUG = "needs-assessment"
BREAKDOWNS = ("years_in_canada", "age_band", "area")
RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")


def stored_and_true(app) -> tuple[list[str], list[str]]:
    """Each unit's stored theme keys, and the keys its codes and decisions give."""
    with app.app_context():
        units = db.session().scalars(select(TextUnitRow).order_by(TextUnitRow.id)).all()
        return [u.theme_keys for u in units], [theme_keys_text(effective_themes(u)) for u in units]


def scope_of(session) -> Scope:
    survey = survey_by_slug(session, SLUG)
    return Scope(survey.partnership_id, (survey.id,))


def reference_summary(session, scope: Scope):
    """The summary from ORM objects and :func:`effective_themes` (never ``theme_keys``)."""
    responses = session.scalars(
        select(Response).where(
            Response.survey_id.in_(scope.survey_ids), Response.withdrawn_at.is_(None)
        )
    )
    respondents = {
        f"r{r.id}": Respondent(f"r{r.id}", SOURCE_SURVEY, r.language, r.attributes or {})
        for r in responses
    }
    units = session.scalars(
        select(TextUnitRow)
        .where(TextUnitRow.survey_id.in_(scope.survey_ids))
        .order_by(TextUnitRow.id)
    ).all()
    coded = [(as_record(u), effective_themes(u)) for u in units if u.respondent_key in respondents]
    sentiments = {str(u.id): u.sentiment for u in units}
    return aggregate(coded, respondents, BREAKDOWNS, sentiments)


def checked_summary(app):
    """The summary, after checking the stored keys and the summary against the truth."""
    stored, true = stored_and_true(app)
    assert stored == true
    with app.app_context():
        session = db.session()
        scope = scope_of(session)
        result = summarise(session, scope, BREAKDOWNS)
        assert result == reference_summary(session, scope)
        return result


def respondents_raising(result) -> dict[str, int]:
    return {p.theme: p.respondents for p in result.prevalence}


def unit_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session().scalars(select(TextUnitRow.id).order_by(TextUnitRow.id)))


def post_decision(client, unit_id: int, theme: str, decision: str) -> None:
    token = csrf_from(client.get("/research/coding/?status=all").text)
    form = {"csrf_token": token, "theme": theme, "decision": decision, "next": "/research/"}
    reply = client.post(f"/research/coding/units/{unit_id}/decide", data=form)
    assert reply.status_code == 302


def test_new_units_store_their_automatic_themes(app, client):
    complete(client, SLUG, "en", text="The rent is too high.")
    complete(client, SLUG, "fr", text="Je cherche un emploi.")
    stored, _ = stored_and_true(app)
    assert set(stored) == {"housing", "employment"}
    assert respondents_raising(checked_summary(app)) == {"housing": 1, "employment": 1}


def test_human_review_changes_what_the_summary_counts(app, client):
    complete(client, SLUG, "en", text="The rent is too high.")
    sign_in(client, *RESEARCHER)
    first, second, third = unit_ids(app)  # the three open answers of one respondent
    for unit_id in (first, second, third):
        post_decision(client, unit_id, "housing", "no")
    post_decision(client, second, "credentials", "yes")
    assert respondents_raising(checked_summary(app)) == {"credentials": 1}
    post_decision(client, first, "housing", "clear")
    post_decision(client, second, "credentials", "no")
    result = checked_summary(app)
    assert respondents_raising(result) == {"housing": 1}
    assert result.prevalence[0].units == 1


def test_recode_after_a_codebook_change_updates_the_summary(app, client, runner):
    complete(client, SLUG, "en", text="We walk by the river every evening.")
    before = respondents_raising(checked_summary(app))
    assert "social_inclusion" not in before
    with app.app_context():
        codebook = current_codebook(db.session(), 1)
        edited = set_patterns(codebook, "social_inclusion", "en", ["river"])
        save_codebook(db.session(), 1, edited, None, "the river walk is belonging")
        db.commit()
    assert respondents_raising(checked_summary(app)) == before  # not recoded yet
    result = runner.invoke(args=["recode", "--partnership", "demo-lip", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert respondents_raising(checked_summary(app))["social_inclusion"] == 1


def test_recode_keeps_researchers_decisions(app, client, runner):
    complete(client, SLUG, "en", text="The rent is too high.")
    sign_in(client, *RESEARCHER)
    for unit_id in unit_ids(app):
        post_decision(client, unit_id, "housing", "no")
    with app.app_context():
        codebook = current_codebook(db.session(), 1)
        edited = set_patterns(codebook, "income", "en", ["rent"])
        save_codebook(db.session(), 1, edited, None, "rent is income too")
        db.commit()
    assert runner.invoke(args=["recode", "--partnership", "demo-lip"]).exit_code == 0
    assert respondents_raising(checked_summary(app)) == {"income": 1}


def test_a_translation_recodes_the_unit_and_its_keys(app, client):
    complete(client, SLUG, "so", text="Waan ku faraxsanahay halkan")
    assert "employment" not in respondents_raising(checked_summary(app))
    sign_in(client, *RESEARCHER)
    unit_id = unit_ids(app)[0]
    reply = post_translation(client, unit_id, "I could not find work, it is terrible.")
    assert reply.status_code == 302
    result = checked_summary(app)
    assert respondents_raising(result)["employment"] == 1
    assert result.sentiment[0].n == 1  # the translation is scored


def test_a_withdrawn_response_counts_nowhere_in_the_summary(app, client):
    body = {"language": "en", "answers": {"hardest_part": "The rent is too high"}}
    body["answers"] |= {"years_in_canada": "y1_3", "age_band": "a25_34", "area": "north"}
    kept = client.post(
        f"/api/v1/surveys/{SLUG}/responses", json={**body, "instance_id": str(uuid.uuid4())}
    )
    other = {**body, "instance_id": str(uuid.uuid4())}
    other["answers"] = {**body["answers"], "hardest_part": "I need a job"}
    gone = client.post(f"/api/v1/surveys/{SLUG}/responses", json=other)
    assert kept.status_code == gone.status_code == 201
    assert respondents_raising(checked_summary(app)) == {"housing": 1, "employment": 1}
    post_withdraw(client, gone.json["reference"])
    result = checked_summary(app)
    assert result.respondents == 1 and respondents_raising(result) == {"housing": 1}
