from sqlalchemy import select

from consult import db
from consult.coding.models import CodebookVersion
from consult.coding.services import current_codebook
from tests.conftest import csrf_from, sign_in

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")


def latest(app):
    with app.app_context():
        return current_codebook(db.session(), 1)


def test_codebook_lists_the_default_themes_in_every_language(client):
    sign_in(client, *RESEARCHER)
    page = client.get("/research/codebook/?lang=fr")
    assert page.status_code == 200
    for key in ("employment", "credentials", "housing", "legal_status", "business"):
        assert f"<code>{key}</code>" in page.text
    assert "Logement" in page.text


def test_editing_a_theme_makes_a_new_version_and_keeps_the_key(app, client):
    sign_in(client, *RESEARCHER)
    form = client.get("/research/codebook/themes/housing")
    before = latest(app)
    values = {}
    theme = before.theme("housing")
    for code in ("en", "fr", "ar", "zh-Hans", "pa", "tl", "es", "fa", "ur", "uk", "ti", "so"):
        values[f"label_{code}"] = theme.labels.get(code, "")
        values[f"definition_{code}"] = theme.definitions.get(code, "")
        values[f"patterns_{code}"] = "\n".join(theme.patterns.get(code, ()))
    values["patterns_en"] += "\nbasement suite"
    values["label_en"] = "Housing and homes"
    response = client.post(
        "/research/codebook/themes/housing", data={**values, "csrf_token": csrf_from(form.text)}
    )
    assert response.status_code == 302
    after = latest(app)
    assert after.version == before.version + 1
    assert after.keys == before.keys
    assert "basement suite" in after.theme("housing").patterns["en"]
    assert after.theme("housing").label("en") == "Housing and homes"
    with app.app_context():
        assert len(db.session().scalars(select(CodebookVersion)).all()) == 2


def test_invalid_pattern_is_refused_and_what_was_typed_is_kept(app, client):
    sign_in(client, *RESEARCHER)
    form = client.get("/research/codebook/themes/housing")
    response = client.post(
        "/research/codebook/themes/housing",
        data={"csrf_token": csrf_from(form.text), "label_en": "Housing", "patterns_en": "rent\n**"},
    )
    assert response.status_code == 200
    assert "This pattern is not valid" in response.text and "rent\n**" in response.text
    assert latest(app).version == 1


def test_add_merge_and_split(app, client):
    sign_in(client, *RESEARCHER)
    token = csrf_from(client.get("/research/codebook/").text)
    client.post(
        "/research/codebook/add",
        data={
            "csrf_token": token,
            "key": "faith",
            "label": "Faith",
            "language": "en",
            "patterns": "mosque, church, temple",
        },
    )
    client.post(
        "/research/codebook/add",
        data={
            "csrf_token": token,
            "key": "worship",
            "label": "Worship",
            "language": "en",
            "patterns": "prayer",
        },
    )
    assert {"faith", "worship"} <= set(latest(app).keys)
    client.post(
        "/research/codebook/merge",
        data={"csrf_token": token, "keys": ["faith", "worship"], "into": "faith"},
    )
    codebook = latest(app)
    assert "worship" not in codebook.keys and "prayer" in codebook.theme("faith").patterns["en"]
    refused = client.post(
        "/research/codebook/merge",
        data={"csrf_token": token, "keys": ["housing", "income"], "into": "income"},
    )
    assert "error=merge" in refused.headers["Location"] and "housing" in latest(app).keys
    client.post(
        "/research/codebook/split",
        data={
            "csrf_token": token,
            "key": "faith",
            "new_key": "prayer_space",
            "label": "Prayer space",
            "language": "en",
            "patterns": "prayer",
        },
    )
    codebook = latest(app)
    assert "prayer" in codebook.theme("prayer_space").patterns["en"]
    assert "prayer" not in codebook.theme("faith").patterns["en"]
    assert codebook.version == 5


def test_codebook_requires_a_researcher(client):
    assert client.get("/research/codebook/").status_code == 302
    sign_in(client, "committee@demo.consult.local", "demo-committee-password")
    assert client.get("/research/codebook/").status_code == 403
