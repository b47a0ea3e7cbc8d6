import re

from sqlalchemy import select

from consult import db
from consult.coding.models import ApprovedQuote, TextUnitRow
from consult.coding.services import current_codebook
from tests.conftest import csrf_from, sign_in
from tests.consult.walker import complete

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")

GARDEN = [
    "We want community garden plots to grow tomatoes and peppers",
    "A garden plot for growing vegetables would be wonderful",
    "Please give us garden plots where we can grow our own vegetables",
    "Growing tomatoes in a community garden reminds me of home",
    "More community garden plots for growing food please",
    "I miss growing vegetables, a garden plot would help",
]
MUSIC = [
    "A choir for singing songs from our countries",
    "Music nights with singing and dancing would be fun",
    "We could organise singing in a choir with music",
    "Music and singing concerts for the whole family",
    "Start a choir where newcomers sing music together",
    "Singing songs and playing music together on weekends",
]


def add_uncoded(app):
    with app.app_context():
        for i, text in enumerate(GARDEN + MUSIC):
            db.session().add(
                TextUnitRow(
                    partnership_id=1,
                    source="survey",
                    respondent_key=f"x{i}",
                    language="en",
                    text=text,
                    coded_version=1,
                )
            )
        db.commit()


def test_emerging_clusters_become_a_theme_in_one_step(app, client):
    add_uncoded(app)
    sign_in(client, *RESEARCHER)
    page = client.get("/research/emerging")
    assert page.status_code == 200
    assert "garden" in page.text and "singing" in page.text
    assert page.text.count('class="card"') >= 2
    form = re.search(r'name="terms" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/research/emerging/theme",
        data={
            "csrf_token": csrf_from(page.text),
            "key": "gardens",
            "label": "Community gardens",
            "language": "en",
            "terms": form,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        codebook = current_codebook(db.session(), 1)
    assert "gardens" in codebook.keys and codebook.version == 2
    assert codebook.theme("gardens").patterns["en"] == tuple(t.strip() for t in form.split(","))


def test_quotes_are_scrubbed_and_reach_nobody_until_approved(app, client):
    complete(
        client,
        "needs-assessment",
        "en",
        text="The rent is too high, call me at 613-555-0199 or write to amal@example.org please",
    )
    sign_in(client, *RESEARCHER)
    page = client.get("/research/quotes")
    assert page.status_code == 200
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", page.text, re.S).group(1)
    assert textarea == "The rent is too high, call me at [phone] or write to [email] please"
    # the original and what was removed are shown to the researcher, marked as such
    assert "Original answer (only researchers see it)" in page.text
    assert "phone number (has the form of one)" in page.text
    with app.app_context():
        assert db.session().scalars(select(ApprovedQuote)).all() == []
        unit_id = db.session().scalars(select(TextUnitRow.id)).first()
    response = client.post(
        "/research/quotes/approve",
        data={
            "csrf_token": csrf_from(page.text),
            "unit_id": unit_id,
            "theme": "housing",
            "text": "The rent is too high, email me amal@example.org",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        quote = db.session().scalars(select(ApprovedQuote)).one()
        assert (
            quote.theme == "housing"
            and "amal@example.org" not in quote.text
            and "[email]" in quote.text
        )
    bad = client.post(
        "/research/quotes/approve",
        data={
            "csrf_token": csrf_from(page.text),
            "unit_id": unit_id,
            "theme": "business",
            "text": "x",
        },
    )
    assert bad.status_code == 400


def test_approving_the_same_quote_twice_keeps_one_quote(app, client):
    complete(client, "needs-assessment", "en", text="The rent is too high for a family like ours")
    sign_in(client, *RESEARCHER)
    page = client.get("/research/quotes")
    with app.app_context():
        unit_id = db.session().scalars(select(TextUnitRow.id)).first()
    for text in ("The rent is too high", "The rent is far too high"):
        data = {
            "csrf_token": csrf_from(page.text),
            "unit_id": unit_id,
            "theme": "housing",
            "text": text,
        }
        assert client.post("/research/quotes/approve", data=data).status_code == 302
    with app.app_context():
        quotes = db.session().scalars(select(ApprovedQuote)).all()
        assert [q.text for q in quotes] == ["The rent is far too high"]


FLAGGED = "The rent is too high since I work at Maple Leaf Foods and my son is at Dovercourt Public School"


def _candidate(client, app):
    complete(client, "needs-assessment", "en", text=FLAGGED)
    sign_in(client, *RESEARCHER)
    page = client.get("/research/quotes")
    with app.app_context():
        unit_id = db.session().scalars(select(TextUnitRow.id)).first()
    return page, unit_id


def _audit(app):
    from consult.models import AuditEvent

    with app.app_context():
        return [
            (e.action, e.detail)
            for e in db.session().scalars(select(AuditEvent).order_by(AuditEvent.id))
            if e.action.startswith("approve_quote")
        ]


def test_flags_are_shown_with_reasons_and_block_approval_until_resolved(app, client):
    page, unit_id = _candidate(client, app)
    assert page.status_code == 200
    assert "<mark" in page.text and "Maple Leaf Foods" in page.text
    assert "Replace with [an employer]" in page.text and "Replace with [a school]" in page.text
    assert "Original answer (only researchers see it)" in page.text
    data = {
        "csrf_token": csrf_from(page.text),
        "unit_id": unit_id,
        "theme": "housing",
        "text": FLAGGED,
    }
    refused = client.post("/research/quotes/approve", data=data)
    assert refused.status_code == 422
    assert "Resolve every flag" in refused.text and FLAGGED in refused.text  # nothing lost
    with app.app_context():
        assert db.session().scalars(select(ApprovedQuote)).all() == []
    chosen = {
        **data,
        "resolve:workplace:Maple Leaf Foods": "generalise",
        "resolve:school:Dovercourt Public School": "keep",
    }
    preview = client.post("/research/quotes/approve", data={**chosen, "preview": "1"})
    assert preview.status_code == 200 and "I work at [an employer]" in preview.text
    assert client.post("/research/quotes/approve", data=chosen).status_code == 302
    with app.app_context():
        quote = db.session().scalars(select(ApprovedQuote)).one()
    assert quote.text == FLAGGED.replace("Maple Leaf Foods", "[an employer]")
    assert _audit(app) == [("approve_quote", "generalised: workplace; kept: school")]


def test_an_override_approves_unresolved_flags_and_is_audited(app, client):
    page, unit_id = _candidate(client, app)
    data = {
        "csrf_token": csrf_from(page.text),
        "unit_id": unit_id,
        "theme": "housing",
        "text": FLAGGED + ", call 613-555-0199",
        "override": "1",
    }
    assert client.post("/research/quotes/approve", data=data).status_code == 302
    with app.app_context():
        quote = db.session().scalars(select(ApprovedQuote)).one()
    assert "[phone]" in quote.text and "Maple Leaf Foods" in quote.text
    (entry,) = _audit(app)
    assert entry == (
        "approve_quote_override",
        "unresolved, approved by override: school, workplace",
    )


def test_names_given_in_the_form_or_a_linked_sign_up_are_removed_from_quotes(app, client):
    from consult.coding import quotes as quote_services
    from consult.focusgroups.models import ContactMethod, FocusGroupContact, FocusGroupSignup
    from consult.models import Answer

    complete(client, "needs-assessment", "en", text="The rent is too high, ask Amira or Tesfay")
    with app.app_context():
        session = db.session()
        unit = session.scalars(select(TextUnitRow)).first()
        session.add(Answer(response_id=unit.response_id, question="first_name", value="Amira"))
        signup = FocusGroupSignup(
            partnership_id=1,
            interface_language="en",
            preferred_language="en",
            response_id=unit.response_id,
        )
        session.add(signup)
        session.flush()
        session.add(
            FocusGroupContact(
                partnership_id=1,
                signup_id=signup.id,
                name="Tesfay Gebre",
                method=ContactMethod("email"),
                value="t@example.org",
                match_key="t@example.org",
            )
        )
        session.flush()
        assert quote_services.names_given(session, [unit.response_id]) == {
            unit.response_id: ("Amira", "Tesfay Gebre")
        }
        quotes = quote_services.candidates(session, 1)["housing"]
        session.rollback()
    assert quotes[0].text == "The rent is too high, ask [name] or [name]"
    assert {f.reason for f in quotes[0].removed} == {"given_elsewhere"}


def test_a_candidate_says_its_language_and_approving_returns_to_its_theme(app, client):
    complete(client, "needs-assessment", "fr", text="Le loyer est trop cher pour nous")
    sign_in(client, *RESEARCHER)
    page = client.get("/research/quotes?lang=en")
    assert "Written in Français" in page.text
    assert "Add an English or French translation" in page.text
    with app.app_context():
        unit_id = db.session().scalars(select(TextUnitRow.id)).first()
    data = {
        "csrf_token": csrf_from(page.text),
        "unit_id": unit_id,
        "theme": "housing",
        "text": "Le loyer est trop cher",
    }
    approved = client.post("/research/quotes/approve", data=data)
    assert approved.headers["Location"].endswith("/research/quotes#q-housing")
