"""Researcher survey management: import, versions, open/close, translations, access."""

import io
import os
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from consult import db
from consult.auth.services import add_user
from consult.demo import demo_form_bytes
from consult.models import AuditEvent, Partnership, Response, Role, Survey, SurveyStatus
from consult.research import manage
from tests.conftest import csrf_from, sign_in
from tests.consult.walker import complete, fields_of
from tests.forms.inline import md_form

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
COMMITTEE = ("committee@demo.consult.local", "demo-committee-password")

# fr complete (7 of 7 strings); es has 3 of 7 (43%), below the 90% threshold.
PULSE = md_form(
    """
    | survey |
    |        | type          | name    | label::English (en)  | label::French (fr)         | label::Spanish (es)    | hint::English (en) | hint::French (fr)       | hint::Spanish (es) |
    |        | select_one yn | welcome | Do you feel welcome? | Vous sentez-vous bienvenu? | ¿Se siente bienvenido? | Pick one answer    | Choisissez une réponse  |                    |
    |        | text          | idea    | One idea?            | Une idée?                  |                        | Any language       | N'importe quelle langue |                    |
    | choices |
    |         | list_name | name | label::English (en) | label::French (fr) | label::Spanish (es) |
    |         | yn        | yes  | Yes                 | Oui                | Sí                  |
    |         | yn        | no   | Nope                | Non                |                     |
    | settings |
    |          | form_title | form_id | version | title_translations        | draft_languages |
    |          | Pulse      | pulse   | 1       | fr=Pouls \\| es=Pulso     | French (fr)     |
    """
)

WITH_GPS = md_form(
    """
    | survey |
    |        | type     | name  | label::English (en) |
    |        | text     | idea  | One idea?           |
    |        | geopoint | where | Where are you?      |
    |        | image    | photo | A photo             |
    | settings |
    |          | form_title | form_id  |
    |          | Mapped     | mapped   |
    """
)


@pytest.fixture(autouse=True)
def stash_dir(app, tmp_path):
    folder = tmp_path / "stash"
    app.config["IMPORT_STASH_DIR"] = str(folder)
    return folder


def upload(client, content: bytes, name: str = "form.md", **fields):
    page = client.get("/research/surveys/import")
    assert page.status_code == 200
    data = {"csrf_token": csrf_from(page.text), "file": (io.BytesIO(content), name), **fields}
    return client.post("/research/surveys/import", data=data, content_type="multipart/form-data")


def post_form(client, page_path: str, action: str, **fields):
    token = csrf_from(client.get(page_path).text)
    return client.post(action, data={"csrf_token": token, **fields})


def survey_row(app, slug: str) -> SimpleNamespace | None:
    """The stored survey's columns, read in a fresh session."""
    with app.app_context():
        survey = db.session().scalar(select(Survey).where(Survey.slug == slug))
        if survey is None:
            return None
        return SimpleNamespace(
            status=survey.status,
            languages=survey.languages,
            languages_allowed=survey.languages_allowed,
            partnership_id=survey.partnership_id,
            version=survey.current_version.number if survey.current_version else None,
        )


def actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(e.action, e.target) for e in db.session().scalars(select(AuditEvent))]


# --- import ------------------------------------------------------------------


def test_import_through_the_ui_creates_a_draft_survey_and_shows_its_version(app, client):
    sign_in(client, *RESEARCHER)
    page = client.get("/research/surveys/import")
    assert 'type="file"' in page.text and 'enctype="multipart/form-data"' in page.text
    assert "Riverside Local Immigration Partnership" in page.text  # the only partnership
    response = upload(client, PULSE, "pulse.md")
    assert response.status_code == 302, response.text
    assert response.headers["Location"].endswith("/research/surveys/pulse/versions/1")
    shown = client.get(response.headers["Location"])
    assert shown.status_code == 200
    assert "Imported as a new survey, version 1." in shown.text
    assert "None: every question was imported." in shown.text
    assert "pulse.md" in shown.text
    survey = survey_row(app, "pulse")
    assert survey.status == SurveyStatus.DRAFT
    assert survey.languages == ["en", "fr", "es"]
    assert ("import_survey", "pulse") in actions(app)


def test_unsupported_types_are_listed_then_imported_without_them_on_confirmation(
    app, client, stash_dir
):
    sign_in(client, *RESEARCHER)
    response = upload(client, WITH_GPS, "mapped.md")
    assert response.status_code == 422
    assert response.text.count('class="problem"') == 2
    assert "geopoint" in response.text and "image" in response.text
    assert "<td>3</td>" in response.text and "<td>4</td>" in response.text  # rows
    assert "<code>type</code>" in response.text
    assert "Import without these questions" in response.text
    assert survey_row(app, "mapped") is None
    fields = fields_of(response.text.split('action="/research/surveys/import/confirm"', 1)[1])
    confirmed = client.post(
        "/research/surveys/import/confirm",
        data={"csrf_token": fields.csrf, "token": fields.hidden["token"]},
    )
    assert confirmed.status_code == 302, confirmed.text
    shown = client.get(confirmed.headers["Location"])
    assert "where" in shown.text and "photo" in shown.text
    assert "were not imported" in shown.text
    assert survey_row(app, "mapped").version == 1
    assert list(stash_dir.iterdir()) == []
    again = client.post(
        "/research/surveys/import/confirm",
        data={"csrf_token": fields.csrf, "token": fields.hidden["token"]},
    )
    assert again.status_code == 410
    assert "no longer waiting" in again.text
    with app.app_context():
        event = db.session().scalar(select(AuditEvent).where(AuditEvent.action == "import_survey"))
        assert "dropped" in event.detail and "geopoint" in event.detail


def test_the_checkbox_leaves_unsupported_questions_out_at_once(app, client):
    sign_in(client, *RESEARCHER)
    response = upload(client, WITH_GPS, "mapped.md", drop_unsupported="y")
    assert response.status_code == 302
    assert "geopoint (where)" in client.get(response.headers["Location"]).text


def test_a_stashed_upload_belongs_to_the_user_who_sent_it(app, client):
    sign_in(client, *RESEARCHER)
    response = upload(client, WITH_GPS, "mapped.md")
    fields = fields_of(response.text.split('action="/research/surveys/import/confirm"', 1)[1])
    with app.app_context():
        partnership = db.session().scalar(select(Partnership).where(Partnership.slug == "demo-lip"))
        add_user(
            db.session(),
            "second@demo.consult.local",
            "second-password-123",
            Role.ADMIN,
            partnership,
        )
        db.commit()
    other = app.test_client()
    sign_in(other, "second@demo.consult.local", "second-password-123")
    token = csrf_from(other.get("/research/surveys/import").text)
    stolen = other.post(
        "/research/surveys/import/confirm",
        data={"csrf_token": token, "token": fields.hidden["token"]},
    )
    assert stolen.status_code == 410
    assert survey_row(app, "mapped") is None


def test_a_malformed_form_lists_every_problem_with_sheet_row_and_column(app, client):
    sign_in(client, *RESEARCHER)
    bad = md_form(
        """
        | survey |
        |        | type    | name | label | constraint | relevant         |
        |        | integer | a    | A     | . >> 3     |                  |
        |        | integer | b    | B     |            | frobnicate(${a}) |
        """
    )
    response = upload(client, bad, "bad.md")
    assert response.status_code == 422
    assert response.text.count('class="problem"') == 2
    assert "<code>constraint</code>" in response.text and "<code>relevant</code>" in response.text
    assert "frobnicate" in response.text
    assert "Import without these questions" not in response.text
    assert "Nothing was imported" in response.text


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.md", "The file is empty"),
        (b"   \n", "blank.csv", "The file is empty"),
        (os.urandom(3000), "blob.xlsx", "could not be read as an XLSForm"),
        (b"PK\x03\x04" + os.urandom(300), "broken.xlsx", "could not be read as an XLSForm"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(200), "photo.md", "could not be read as an XLSForm"),
        (b"just some notes, not a form", "notes.md", "could not be read as an XLSForm"),
        (b"%PDF-1.4 whatever", "form.pdf", "Upload an XLSForm"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_import_nothing(app, client, content, name, message):
    sign_in(client, *RESEARCHER)
    response = upload(client, content, name)
    assert 400 <= response.status_code < 500
    assert message in response.text
    with app.app_context():
        assert len(db.session().scalars(select(Survey)).all()) == 1


def test_no_file_at_all_is_asked_for(client):
    sign_in(client, *RESEARCHER)
    token = csrf_from(client.get("/research/surveys/import").text)
    response = client.post("/research/surveys/import", data={"csrf_token": token})
    assert response.status_code == 422
    assert "Choose a file to upload." in response.text


def test_too_large_uploads_are_refused_with_a_message(app, client, monkeypatch):
    # Small sizes: the test client spools bodies over 500 KB to files it never closes.
    monkeypatch.setattr(manage, "MAX_FORM_BYTES", 20 * 1024)
    sign_in(client, *RESEARCHER)
    response = upload(client, PULSE + b" " * (21 * 1024), "huge.md")
    assert response.status_code == 413
    assert "larger than 20 KiB" in response.text
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = upload(client, b"a" * (100 * 1024), "huge.md")
    assert response.status_code == 413
    assert "larger than 20 KiB" in response.text
    with app.app_context():
        assert len(db.session().scalars(select(Survey)).all()) == 1


def test_reimport_makes_version_2_and_stored_responses_keep_version_1(app, client):
    complete(client, "needs-assessment", "fr", text="Le logement coûte cher")
    sign_in(client, *RESEARCHER)
    response = upload(
        client, demo_form_bytes(), "needs_assessment.md", new_version_of="needs-assessment"
    )
    assert response.status_code == 302, response.text
    assert response.headers["Location"].endswith("/needs-assessment/versions/2")
    shown = client.get(response.headers["Location"] + "?lang=en")
    assert "Imported as version 2" in shown.text
    with app.app_context():
        stored = db.session().scalars(select(Response)).one()
        assert stored.survey_version.number == 1
        survey = db.session().scalar(select(Survey).where(Survey.slug == "needs-assessment"))
        assert survey.current_version.number == 2
        assert survey.status == SurveyStatus.OPEN
    assert client.get("/research/surveys/needs-assessment/versions/1").status_code == 200
    assert client.get("/research/surveys/needs-assessment/versions/9").status_code == 404


# --- open and close ----------------------------------------------------------


def test_opening_and_closing_changes_what_respondents_see(app, client):
    sign_in(client, *RESEARCHER)
    upload(client, PULSE, "pulse.md")
    respondent = app.test_client()
    assert "/s/pulse/" not in respondent.get("/").text
    assert respondent.get("/s/pulse/").status_code == 409
    dashboard = client.get("/research/")
    assert "Import a survey" in dashboard.text
    assert 'action="/research/surveys/pulse/status"' in dashboard.text
    opened = post_form(client, "/research/", "/research/surveys/pulse/status", status="open")
    assert opened.status_code == 302
    assert "is open" in client.get("/research/").text
    assert "/s/pulse/" in respondent.get("/").text
    assert respondent.get("/s/pulse/").status_code == 200
    closed = post_form(client, "/research/", "/research/surveys/pulse/status", status="closed")
    assert closed.status_code == 302
    assert "/s/pulse/" not in respondent.get("/").text
    assert respondent.get("/s/pulse/").status_code == 409
    reopened = post_form(client, "/research/", "/research/surveys/pulse/status", status="open")
    assert reopened.status_code == 302
    assert respondent.get("/s/pulse/").status_code == 200
    assert actions(app).count(("survey_status", "pulse")) == 3


def test_a_draft_survey_cannot_be_closed_and_bad_status_is_refused(app, client):
    sign_in(client, *RESEARCHER)
    upload(client, PULSE, "pulse.md")
    post_form(client, "/research/", "/research/surveys/pulse/status", status="closed")
    assert "cannot be closed" in client.get("/research/").text
    assert survey_row(app, "pulse").status == SurveyStatus.DRAFT
    bad = post_form(client, "/research/", "/research/surveys/pulse/status", status="deleted")
    assert bad.status_code == 400


# --- translations ------------------------------------------------------------


def test_translations_page_shows_the_demo_in_12_languages_with_draft_markers(client):
    sign_in(client, *RESEARCHER)
    page = client.get("/research/surveys/needs-assessment/translations?lang=en")
    assert page.status_code == 200
    rows = re.findall(r'<tr id="coverage-([\w-]+)">(.*?)</tr>', page.text, re.S)
    assert len(rows) == 12
    assert {code for code, _ in rows} >= {"en", "fr", "ar", "zh-Hans", "pa", "ti", "so"}
    assert all("100%" in row for _, row in rows)
    assert sum("draft, needs review" in row for _, row in rows) == 11
    assert "original" in dict(rows)["en"]
    assert 'lang="ar" dir="rtl">العربية' in page.text
    assert "Offer" not in page.text.split("</table>", 1)[1]  # every language is offered


def test_translations_page_lists_missing_strings_with_the_original_wording(client):
    sign_in(client, *RESEARCHER)
    upload(client, PULSE, "pulse.md")
    page = client.get("/research/surveys/pulse/translations?lang=en")
    rows = dict(re.findall(r'<tr id="coverage-([\w-]+)">(.*?)</tr>', page.text, re.S))
    assert "100%" in rows["fr"] and "draft, needs review" in rows["fr"]
    assert "42%" in rows["es"] and "no: below the threshold" in rows["es"]
    assert "1/2" in rows["es"]  # labels: 1 of 2 questions (title counted separately)
    spanish = page.text.split('id="language-es"', 1)[1]
    assert "4 strings missing" in spanish
    missing = re.findall(r'<tr class="missing">(.*?)</tr>', spanish, re.S)
    assert len(missing) == 4
    assert any("<code>idea</code>" in m and "One idea?" in m and "label" in m for m in missing)
    assert any("<code>welcome</code>" in m and "Nope" in m and "choice" in m for m in missing)
    assert "Offer Español anyway" in spanish


def test_a_language_below_threshold_is_not_offered_until_allowed(app, client):
    sign_in(client, *RESEARCHER)
    upload(client, PULSE, "pulse.md")
    post_form(client, "/research/", "/research/surveys/pulse/status", status="open")
    respondent = app.test_client()
    consent = respondent.get("/s/pulse/?lang=en")
    assert 'hreflang="fr"' in consent.text
    assert 'hreflang="es"' not in consent.text
    fallback = respondent.get("/s/pulse/?lang=es")
    assert fallback.status_code == 200
    assert '<html lang="en"' in fallback.text
    assert "Pulse" in fallback.text and "Pulso" not in fallback.text

    allowed = post_form(
        client,
        "/research/surveys/pulse/translations",
        "/research/surveys/pulse/languages",
        language="es",
        allow="yes",
    )
    assert allowed.status_code == 302
    page = client.get("/research/surveys/pulse/translations")
    assert "is offered to respondents" in page.text
    assert "offered anyway" in page.text
    assert survey_row(app, "pulse").languages_allowed == ["es"]
    assert ("allow_language", "pulse") in actions(app)

    respondent = app.test_client()
    consent = respondent.get("/s/pulse/?lang=es")
    assert '<html lang="es"' in consent.text
    assert 'hreflang="es"' in consent.text
    token = fields_of(consent.text).csrf
    started = respondent.post(
        "/s/pulse/consent?lang=es", data={"csrf_token": token, "consent": "yes"}
    )
    first = respondent.get(started.headers["Location"])
    assert "¿Se siente bienvenido?" in first.text
    assert "Sí" in first.text
    # the missing hint and choice fall back to English, marked, never blank
    assert '<span lang="en" class="fallback">Pick one answer</span>' in first.text
    assert '<span lang="en" class="fallback">Nope</span>' in first.text
    assert first.text.count('class="fallback-note"') == 2
    assert "<legend></legend>" not in first.text and "<span></span>" not in first.text
    fields = fields_of(first.text)
    second = respondent.post(
        "/s/pulse/p/1",
        data={"csrf_token": fields.csrf, "action": "next", "welcome": "yes", **fields.hidden},
    )
    second = respondent.get(second.headers["Location"])
    assert '<span lang="en" class="fallback">One idea?</span>' in second.text
    assert '<span lang="en" class="fallback">Any language</span>' in second.text
    assert second.text.count('class="fallback-note"') == 2

    stopped = post_form(
        client,
        "/research/surveys/pulse/translations",
        "/research/surveys/pulse/languages",
        language="es",
        allow="no",
    )
    assert stopped.status_code == 302
    assert "no longer offered" in client.get("/research/surveys/pulse/translations").text
    assert 'hreflang="es"' not in app.test_client().get("/s/pulse/?lang=en").text
    assert ("disallow_language", "pulse") in actions(app)


def test_the_threshold_comes_from_the_configuration(app, client):
    app.config["LANGUAGE_COVERAGE_THRESHOLD"] = 40
    sign_in(client, *RESEARCHER)
    upload(client, PULSE, "pulse.md")
    post_form(client, "/research/", "/research/surveys/pulse/status", status="open")
    assert 'hreflang="es"' in app.test_client().get("/s/pulse/?lang=en").text


def test_language_form_refuses_unknown_and_default_languages(client):
    sign_in(client, *RESEARCHER)
    path = "/research/surveys/needs-assessment/translations"
    action = "/research/surveys/needs-assessment/languages"
    assert post_form(client, path, action, language="de", allow="yes").status_code == 400
    assert post_form(client, path, action, language="en", allow="no").status_code == 400
    assert post_form(client, path, action, language="fr", allow="maybe").status_code == 400


# --- access ------------------------------------------------------------------

PAGES = (
    ("get", "/research/surveys/import"),
    ("get", "/research/surveys/needs-assessment/translations"),
    ("get", "/research/surveys/needs-assessment/versions/1"),
)
ACTIONS = (
    ("/research/surveys/needs-assessment/status", {"status": "closed"}),
    ("/research/surveys/needs-assessment/languages", {"language": "fr", "allow": "yes"}),
)


def test_anonymous_users_are_sent_to_sign_in(client):
    for _method, path in PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    token = csrf_from(client.get("/login").text)
    for path, data in ACTIONS:
        response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_committee_members_get_403(app, client):
    sign_in(client, *COMMITTEE)
    for _method, path in PAGES:
        assert client.get(path).status_code == 403
    token = csrf_from(client.get("/login").text)
    for path, data in ACTIONS:
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 403
    assert survey_row(app, "needs-assessment").status == SurveyStatus.OPEN


def test_researchers_of_another_partnership_get_404_and_cannot_take_its_slug(app, client):
    with app.app_context():
        other = Partnership(slug="other-lip", name="Other LIP")
        db.session().add(other)
        db.session().flush()
        add_user(db.session(), "r@other.example", "other-password-123", Role.RESEARCHER, other)
        db.commit()
    sign_in(client, "r@other.example", "other-password-123")
    assert client.get("/research/surveys/needs-assessment/translations").status_code == 404
    assert client.get("/research/surveys/needs-assessment/versions/1").status_code == 404
    token = csrf_from(client.get("/research/surveys/import").text)
    for path, data in ACTIONS:
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404
    page = client.get("/research/surveys/import")
    assert "Other LIP" in page.text and "Riverside" not in page.text
    assert 'value="needs-assessment"' not in page.text
    response = upload(client, demo_form_bytes(), "needs_assessment.md")
    assert response.headers["Location"].endswith("/needs-assessment-2/versions/1")
    forged = upload(client, demo_form_bytes(), "n.md", new_version_of="needs-assessment")
    assert forged.status_code == 422
    with app.app_context():
        survey = db.session().scalar(select(Survey).where(Survey.slug == "needs-assessment"))
        assert survey.current_version.number == 1
        assert survey.languages_allowed == []


def test_a_user_in_two_partnerships_chooses_one_and_cannot_forge_another(app, client):
    with app.app_context():
        demo = db.session().scalar(select(Partnership).where(Partnership.slug == "demo-lip"))
        other = Partnership(slug="other-lip", name="Other LIP")
        third = Partnership(slug="third-lip", name="Third LIP")
        db.session().add_all([other, third])
        db.session().flush()
        user = add_user(db.session(), "two@example.org", "two-password-123", Role.RESEARCHER, demo)
        add_user(db.session(), "two@example.org", "two-password-123", Role.ADMIN, other)
        add_user(db.session(), "two@example.org", "two-password-123", Role.COMMITTEE, third)
        db.commit()
        other_id, third_id = other.id, third.id
        assert user.id
    sign_in(client, "two@example.org", "two-password-123")
    page = client.get("/research/surveys/import")
    assert '<select id="partnership" name="partnership"' in page.text
    assert "Other LIP" in page.text and "Third LIP" not in page.text
    forged = upload(client, PULSE, "pulse.md", partnership=str(third_id))
    assert forged.status_code == 422
    assert survey_row(app, "pulse") is None
    response = upload(client, PULSE, "pulse.md", partnership=str(other_id))
    assert response.status_code == 302
    assert survey_row(app, "pulse").partnership_id == other_id


def test_the_api_lists_only_offered_languages(app, client):
    sign_in(client, *RESEARCHER)
    upload(client, PULSE, "pulse.md")
    post_form(client, "/research/", "/research/surveys/pulse/status", status="open")
    api = app.test_client()
    listed = {s["slug"]: s for s in api.get("/api/v1/surveys").get_json()}
    assert listed["pulse"]["languages"] == ["en", "fr"]
    assert len(listed["needs-assessment"]["languages"]) == 12
    assert api.get("/api/v1/surveys/pulse?lang=es").get_json()["language"] == "en"
    post_form(
        client,
        "/research/surveys/pulse/translations",
        "/research/surveys/pulse/languages",
        language="es",
        allow="yes",
    )
    described = api.get("/api/v1/surveys/pulse?lang=es").get_json()
    assert described["languages"] == ["en", "fr", "es"]
    assert described["language"] == "es"


def test_an_xlsx_workbook_imports(app, client):
    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::English (en)", "label::French (fr)"])
    survey.append(["text", "idea", "One idea?", "Une idée?"])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "title_translations"])
    settings.append(["Ideas", "ideas", "fr=Idées"])
    buffer = io.BytesIO()
    book.save(buffer)
    sign_in(client, *RESEARCHER)
    response = upload(client, buffer.getvalue(), "ideas.xlsx")
    assert response.status_code == 302, response.text
    assert survey_row(app, "ideas").languages == ["en", "fr"]


def test_the_same_form_again_is_a_new_survey_unless_the_researcher_chooses(app, client):
    sign_in(client, *RESEARCHER)
    page = client.get("/research/surveys/import")
    assert 'value="needs-assessment"' in page.text  # offered as "a new version of"
    response = upload(client, demo_form_bytes(), "needs_assessment.md")
    assert response.headers["Location"].endswith("/needs-assessment-2/versions/1")
    response = upload(client, demo_form_bytes(), "copy.md", slug="needs-2027")
    assert response.headers["Location"].endswith("/needs-2027/versions/1")
    taken = upload(client, demo_form_bytes(), "copy.md", slug="needs-2027")
    assert taken.status_code == 409
    assert "already exists" in taken.text
    assert survey_row(app, "needs-assessment").version == 1


def test_a_zip_bomb_upload_names_the_limit_it_hit(app, client):
    from tests.forms.test_xlsform_limits import _sheet, _xlsx

    sign_in(client, *RESEARCHER)
    response = upload(client, _xlsx(_sheet(50_001, width=1)), "bomb.xlsx")
    assert response.status_code == 422
    assert "a sheet has over 50000 rows" in response.text


def test_a_survey_is_archived_then_restored_and_kept_with_its_responses(app, client):
    complete(client, "needs-assessment", "en", text="Rent is too high")
    sign_in(client, *RESEARCHER)
    page = client.get("/research/")
    assert "Delete the survey" not in page.text  # it has a response
    response = post_form(
        client, "/research/", "/research/surveys/needs-assessment/archive", archive="yes"
    )
    assert response.status_code == 302
    row = survey_row(app, "needs-assessment")
    assert row.status == SurveyStatus.CLOSED
    assert client.get("/s/needs-assessment/").status_code in (404, 409)
    page = client.get("/research/?lang=en")
    assert "Archived surveys" in page.text and "1 response" in page.text
    refused = post_form(
        client, "/research/", "/research/surveys/needs-assessment/delete", confirm="y"
    )
    assert refused.status_code == 302
    assert survey_row(app, "needs-assessment") is not None
    post_form(client, "/research/", "/research/surveys/needs-assessment/archive", archive="no")
    assert "Archived surveys" not in client.get("/research/?lang=en").text


def test_a_survey_without_responses_can_be_deleted_once_confirmed(app, client):
    sign_in(client, *RESEARCHER)
    response = upload(client, demo_form_bytes(), "copy.md", slug="copy")
    assert response.status_code == 302
    assert "Delete the survey" in client.get("/research/?lang=en").text
    unconfirmed = post_form(client, "/research/", "/research/surveys/copy/delete")
    assert unconfirmed.status_code == 302
    assert survey_row(app, "copy") is not None
    post_form(client, "/research/", "/research/surveys/copy/delete", confirm="y")
    assert survey_row(app, "copy") is None
    with app.app_context():
        actions = db.session().scalars(select(AuditEvent.action)).all()
    assert "delete_survey" in actions
