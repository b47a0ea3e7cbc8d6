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
    assert "613-555-0199" not in page.text and "amal@example.org" not in page.text
    assert "[phone]" in page.text
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
