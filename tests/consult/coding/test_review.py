import re

from sqlalchemy import select

from consult import db
from consult.coding.models import AutoCode, CodeDecision, TextUnitRow
from consult.coding.services import effective_themes
from consult.models import Response
from tests.conftest import csrf_from, sign_in
from tests.consult.walker import complete

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")


def units(app):
    with app.app_context():
        rows = db.session().scalars(select(TextUnitRow).order_by(TextUnitRow.id)).all()
        return [
            (u.id, u.question, u.text, sorted(c.theme for c in u.auto_codes), u.sentiment)
            for u in rows
        ]


def post_translation(client, unit_id: int, text: str, language: str = "en"):
    """Add a translation to a unit through the review form."""
    form = client.get(f"/research/coding/units/{unit_id}/translation")
    return client.post(
        f"/research/coding/units/{unit_id}/translation",
        data={"csrf_token": csrf_from(form.text), "language": language, "text": text},
    )


def test_free_text_answers_become_coded_units_when_stored(app, client):
    complete(
        client,
        "needs-assessment",
        "en",
        text="The rent is too high and my landlord will not fix anything.",
    )
    found = units(app)
    assert {q for _, q, _, _, _ in found} == {"hardest_part", "more_welcoming", "anything_else"}
    assert all("housing" in themes for _, _, _, themes, _ in found)
    assert all(sentiment is not None for *_, sentiment in found)
    with app.app_context():
        code = db.session().scalars(select(AutoCode)).first()
        start, end, matched, in_translation = code.evidence[0]
        unit = db.session().get(TextUnitRow, code.unit_id)
        assert unit.text[start:end] == matched
        response = db.session().scalar(select(Response))
        assert unit.attributes == response.attributes and "years_in_canada" in unit.attributes


def test_sentiment_is_not_guessed_for_other_languages(app, client):
    complete(client, "needs-assessment", "so", text="Guriga aad buu qaali u yahay")
    assert all(sentiment is None for *_, sentiment in units(app))


def test_review_queue_highlights_evidence_and_human_codes_win(app, client):
    complete(client, "needs-assessment", "en", text="Finding a job is very hard.")
    sign_in(client, *RESEARCHER)
    page = client.get("/research/coding/?status=all&lang=en")
    assert page.status_code == 200
    assert re.search(r'<mark data-theme="employment">job</mark>', page.text)
    unit_id, *_ = units(app)[0]
    token = csrf_from(page.text)
    reject = {
        "csrf_token": token,
        "theme": "employment",
        "decision": "no",
        "next": "/research/coding/?status=all",
    }
    assert client.post(f"/research/coding/units/{unit_id}/decide", data=reject).status_code == 302
    add = {
        "csrf_token": token,
        "theme": "credentials",
        "decision": "yes",
        "next": "/research/coding/",
    }
    client.post(f"/research/coding/units/{unit_id}/decide", data=add)
    with app.app_context():
        unit = db.session().get(TextUnitRow, unit_id)
        assert effective_themes(unit) == ["credentials"]
        assert {(d.theme, d.present) for d in db.session().scalars(select(CodeDecision))} == {
            ("employment", False),
            ("credentials", True),
        }
    unreviewed = client.get("/research/coding/?status=unreviewed")
    assert f'id="unit-{unit_id}"' not in unreviewed.text


def test_unknown_theme_and_foreign_unit_are_refused(app, client):
    complete(client, "needs-assessment", "en", text="Housing costs")
    sign_in(client, *RESEARCHER)
    token = csrf_from(client.get("/research/coding/").text)
    unit_id = units(app)[0][0]
    bad = {"csrf_token": token, "theme": "<script>", "decision": "yes"}
    assert client.post(f"/research/coding/units/{unit_id}/decide", data=bad).status_code == 400
    assert client.post("/research/coding/units/99999/decide", data=bad).status_code == 404


def test_translation_is_coded_and_scored(app, client):
    complete(client, "needs-assessment", "so", text="Waan ku faraxsanahay halkan")
    sign_in(client, *RESEARCHER)
    unit_id = units(app)[0][0]
    response = post_translation(client, unit_id, "I could not find work, it is terrible.")
    assert response.status_code == 302
    with app.app_context():
        unit = db.session().get(TextUnitRow, unit_id)
        assert unit.translation_language == "en"
        assert unit.sentiment is not None and unit.sentiment_basis == "translation"
        assert any(c.theme == "employment" and c.evidence[0][3] for c in unit.auto_codes)
    page = client.get("/research/coding/?status=all")
    assert "I could not find <mark" in page.text


def test_review_queue_refuses_anonymous_and_committee(client):
    assert client.get("/research/coding/").status_code == 302
    sign_in(client, "committee@demo.consult.local", "demo-committee-password")
    assert client.get("/research/coding/").status_code == 403


def test_summary_counts_respondents_with_intervals_and_breakdowns(app, client):
    complete(client, "needs-assessment", "en", text="The rent is too high.")
    complete(client, "needs-assessment", "fr", text="Je cherche un emploi.")
    complete(client, "needs-assessment", "en", text="Nothing to add")
    sign_in(client, *RESEARCHER)
    page = client.get("/research/coding/summary/needs-assessment?lang=en")
    assert page.status_code == 200
    assert "3 respondents" in page.text
    housing = page.text.split(">Housing<", 1)[1].split("</tr>", 1)[0]
    # one respondent of three, with its three texts (every open answer got the same text)
    assert "<td>3</td>" in housing and "33.3%" in housing
    assert "by language" in page.text and "Français" in page.text
    from analysis.stats import wilson_interval

    low, high = wilson_interval(1, 3)
    assert f"{100 * low:.1f}–{100 * high:.1f}%" in housing
