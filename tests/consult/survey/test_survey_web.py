import re

import pytest
from sqlalchemy import func, select

from consult import db
from consult.i18n import UI_LANGUAGES
from consult.models import Draft, Response
from tests.consult.walker import complete, fields_of, fill, start

SLUG = "needs-assessment"
RTL = {"ar", "fa", "ur"}


def count(app, model):
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


def test_index_lists_open_survey_and_languages_in_their_own_names(client):
    page = client.get("/")
    assert page.status_code == 200
    assert f"/s/{SLUG}/" in page.text
    for own in ("العربية", "中文 (简体)", "ਪੰਜਾਬੀ", "ትግርኛ", "فارسی", "اردو", "Українська"):
        assert own in page.text
    assert 'lang="ar" dir="rtl"' in page.text


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_survey_renders_in_each_language_with_lang_and_dir(client, lang):
    page = start(client, SLUG, lang)
    assert page.status_code == 200
    direction = "rtl" if lang in RTL else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in page.text
    assert "Page 1 of" in page.text or "<progress" in page.text
    assert "not yet translated" not in page.text or lang == "en"


def test_declining_consent_stores_nothing(app, client):
    consent = client.get(f"/s/{SLUG}/")
    response = client.post(
        f"/s/{SLUG}/consent", data={"csrf_token": fields_of(consent.text).csrf, "consent": "no"}
    )
    assert response.status_code == 200
    assert "Nothing you did has been saved" in response.text
    assert count(app, Draft) == 0
    assert count(app, Response) == 0


def test_completing_the_survey_stores_every_answer_and_shows_a_reference(app, client):
    done = complete(client, SLUG, "en", text="Finding a family doctor is the hardest part.")
    reference = re.search(r"<strong>([A-Z0-9-]+)</strong>", done.text).group(1)
    with app.app_context():
        response = db.session().scalar(select(Response))
        assert response.reference == reference
        assert response.language == "en"
        answers = {a.question: a.value for a in response.answers}
    assert answers["hardest_part"] == "Finding a family doctor is the hardest part."
    assert "years_in_canada" in answers and "age_band" in answers
    assert count(app, Draft) == 0


def test_survey_in_arabic_is_stored_with_its_language(app, client):
    complete(client, SLUG, "ar", text="السكن غالي جدا")
    with app.app_context():
        response = db.session().scalar(select(Response))
        assert response.language == "ar"
        assert {a.question: a.value for a in response.answers}["hardest_part"] == "السكن غالي جدا"


def test_missing_required_answer_shows_translated_message_and_keeps_others(client):
    page = start(client, SLUG, "fr")
    fields = fields_of(page.text)
    data = fill(fields)
    required = "years_in_canada"
    assert required in data
    del data[required]
    keep = next(n for n in fields.radios if n != required)
    response = client.post(f"/s/{SLUG}/p/1", data=data)
    assert response.status_code == 200
    assert 'id="error-years_in_canada"' in response.text
    assert "Please answer this question." not in response.text  # shown in French
    assert re.search(rf'name="{keep}"[^>]*value="{data[keep]}"[^>]*checked', response.text)


def test_tampered_choice_value_is_refused_without_losing_other_answers(client):
    page = start(client, SLUG, "en")
    data = fill(fields_of(page.text))
    data["age_band"] = "<script>alert(1)</script>"
    response = client.post(f"/s/{SLUG}/p/1", data=data)
    assert response.status_code == 200
    assert "Please choose one of the options shown." in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_back_and_next_keep_answers(client):
    page = start(client, SLUG, "en")
    data = fill(fields_of(page.text))
    client.post(f"/s/{SLUG}/p/1", data=data)
    second = client.get(f"/s/{SLUG}/p/2")
    back = fill(fields_of(second.text))
    back["action"] = "back"
    response = client.post(f"/s/{SLUG}/p/2", data=back)
    assert response.headers["Location"].endswith(f"/s/{SLUG}/p/1")
    first_again = client.get(f"/s/{SLUG}/p/1")
    name, value = next(
        (n, v) for n, v in data.items() if n not in {"csrf_token", "action", "_shown"}
    )
    assert re.search(rf'name="{name}"[^>]*value="{value}"[^>]*checked', first_again.text)


def test_post_without_csrf_token_is_refused(client):
    start(client, SLUG, "en")
    response = client.post(f"/s/{SLUG}/p/1", data={"years_in_canada": "lt1"})
    assert response.status_code == 400


def test_page_without_consent_goes_to_the_consent_page(client):
    response = client.get(f"/s/{SLUG}/p/1")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/s/{SLUG}/")


def test_unknown_survey_is_404(client):
    assert client.get("/s/no-such-survey/").status_code == 404


def test_a_title_without_a_translation_is_marked_on_the_home_page(app, client):
    from consult.auth.services import find_partnership
    from consult.models import SurveyStatus
    from consult.survey import services
    from tests.forms.inline import md_form

    form = md_form(
        """
        | survey |
        |        | type | name | label::English (en) | label::Arabic (ar) |
        |        | text | q    | Question            | سؤال               |
        | settings |
        |          | form_id     | title            |
        |          | untitled-ar | Housing check-in |
        """
    )
    with app.app_context():
        session = db.session()
        imported = services.import_survey(
            session, find_partnership(session, "demo-lip"), form, "f.md"
        )
        imported.survey.status = SurveyStatus.OPEN
        db.commit()
    home = client.get("/?lang=ar")
    assert (
        'lang="en" class="fallback">Housing check-in</span> <span class="fallback-note">'
        in home.text
    )
    english = client.get("/?lang=en")
    assert ">Housing check-in</span></a>" in english.text
