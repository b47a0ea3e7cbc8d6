"""Coding a selected passage: the researcher's span is the evidence, a decision like any
other "add", highlighted in the queue and on the quotes page; typed passages are checked."""

from __future__ import annotations

from sqlalchemy import select

from consult import db
from consult.coding.learning import reviewed_examples
from consult.coding.models import CodeDecision, TextUnitRow
from consult.coding.services import locate_passage
from tests.conftest import csrf_from, sign_in
from tests.consult.walker import complete

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
TEXT = "My diploma from Kyiv is not recognised here, so I drive a taxi at night."
PASSAGE = "My diploma from Kyiv is not recognised here"


def test_a_passage_is_found_by_its_offsets_or_in_the_text():
    text = "Rent is high.\nThe bus  stops at six."
    assert locate_passage(text, "is high", 5, 12) == (5, 12)
    # offsets that do not hold the passage (UTF-16 counts from a browser): searched instead
    assert locate_passage(text, "is high", 0, 7) == (5, 12)
    assert locate_passage(text, " The bus stops ") == (14, 28)  # spaces and breaks loosely
    assert text[14:28] == "The bus  stops"
    assert locate_passage(text, "the train") is None
    assert locate_passage(text, "   ") is None


def _unit(app) -> TextUnitRow:
    with app.app_context():
        unit = db.session().scalars(select(TextUnitRow).order_by(TextUnitRow.id)).first()
        db.session().expunge(unit)
        return unit


def test_a_selected_passage_is_stored_as_a_decision_with_its_span(app, client):
    complete(client, "needs-assessment", "en", text=TEXT)
    sign_in(client, *RESEARCHER)
    queue = client.get("/research/coding/?status=all&lang=en")
    assert 'class="span-form"' in queue.text and "data-unit-text" in queue.text
    unit = _unit(app)
    start = unit.text.index(PASSAGE)
    posted = client.post(
        f"/research/coding/units/{unit.id}/passage",
        data={
            "csrf_token": csrf_from(queue.text),
            "theme": "credentials",
            "passage": PASSAGE,
            "start": start,
            "end": start + len(PASSAGE),
            "next": "/research/coding/?status=all",
        },
    )
    assert posted.status_code == 302
    assert posted.headers["Location"].endswith(f"#unit-{unit.id}")
    with app.app_context():
        decision = db.session().scalar(
            select(CodeDecision).where(CodeDecision.theme == "credentials")
        )
        assert decision.present is True and decision.user_id is not None
        assert decision.evidence == [[start, start + len(PASSAGE), PASSAGE, False]]
        stored = db.session().get(TextUnitRow, unit.id)
        assert "credentials" in stored.theme_keys.split(",")
        # the coder learns from it like any other reviewed unit
        examples = reviewed_examples(db.session(), unit.partnership_id, ["credentials"])
        assert [e.themes for e in examples if e.text == unit.text] == [{"credentials"}]
    page = client.get("/research/coding/?status=all&lang=en")
    assert f'<mark class="chosen" data-theme="credentials">{PASSAGE}</mark>' in page.text
    quotes = client.get("/research/quotes?lang=en")
    assert f'<mark class="chosen" data-theme="credentials">{PASSAGE}</mark>' in quotes.text

    # rejecting the theme later drops the passage with it
    client.post(
        f"/research/coding/units/{unit.id}/decide",
        data={"csrf_token": csrf_from(page.text), "theme": "credentials", "decision": "no"},
    )
    with app.app_context():
        decision = db.session().scalar(
            select(CodeDecision).where(CodeDecision.theme == "credentials")
        )
        assert decision.present is False and not decision.evidence


def test_a_typed_passage_must_be_in_the_text(app, client):
    complete(client, "needs-assessment", "en", text=TEXT)
    sign_in(client, *RESEARCHER)
    unit = _unit(app)
    form = client.get(f"/research/coding/units/{unit.id}/passage?lang=fr")
    assert form.status_code == 200 and 'name="passage"' in form.text
    token = csrf_from(form.text)
    url = f"/research/coding/units/{unit.id}/passage?lang=fr"
    wrong = client.post(
        url, data={"csrf_token": token, "theme": "employment", "passage": "taxi ride"}
    )
    assert wrong.status_code == 422
    assert "Ce passage ne figure pas dans le texte" in wrong.text
    assert ">taxi ride</textarea>" in wrong.text  # what was typed is kept
    empty = client.post(url, data={"csrf_token": token, "theme": "employment", "passage": " "})
    assert empty.status_code == 422
    with app.app_context():
        assert db.session().scalar(select(CodeDecision)) is None
    # pasted with its line break changed: still found, stored as written in the text
    pasted = client.post(
        url, data={"csrf_token": token, "theme": "employment", "passage": "drive a\ntaxi"}
    )
    assert pasted.status_code == 302
    with app.app_context():
        decision = db.session().scalar(select(CodeDecision))
        assert decision.theme == "employment" and decision.evidence[0][2] == "drive a taxi"
    tampered = {"csrf_token": token, "theme": "<script>", "passage": "taxi"}
    assert client.post(url, data=tampered).status_code == 400
    forged = {"csrf_token": "forged", "theme": "employment", "passage": "taxi"}
    assert client.post(url, data=forged).status_code == 400


def test_a_passage_too_long_or_odd_offsets_get_the_message_not_an_error(app, client):
    complete(client, "needs-assessment", "en", text=TEXT)
    sign_in(client, *RESEARCHER)
    unit = _unit(app)
    url = f"/research/coding/units/{unit.id}/passage?lang=fr"
    token = csrf_from(client.get(url).text)
    long = "taxi " * 1001
    reply = client.post(url, data={"csrf_token": token, "theme": "employment", "passage": long})
    assert reply.status_code == 422
    assert "Ce passage ne figure pas dans le texte" in reply.text
    assert long.strip() in reply.text  # what was pasted is kept
    with app.app_context():
        assert db.session().scalar(select(CodeDecision)) is None
    # offsets that are not numbers: the typed passage is looked for in the text instead
    odd = {"csrf_token": token, "theme": "employment", "passage": "taxi", "start": "-3"}
    assert client.post(url, data={**odd, "end": "x"}).status_code == 302
    with app.app_context():
        assert db.session().scalar(select(CodeDecision)).evidence[0][2] == "taxi"
