"""Survey pages served from the fragment cache show exactly what the respondent should see.

A page nobody has answered is rendered once and reused (``consult.survey.fragments``);
these tests would fail if one respondent saw another's token, answers, language,
relevance or choices, or if the session cookie were re-sent on every page.
"""

from tests.consult.survey.test_engine_web import consent, open_form, post
from tests.consult.walker import fields_of
from tests.forms.inline import md_form

BRANCHING = md_form(
    """
    | survey |
    |        | type          | name    | label             | label::French (fr)      | relevant         | choice_filter     | appearance |
    |        | select_one yn | works   | Do you work?      | Travaillez-vous ?       |                  |                   |            |
    |        | begin_group   | more    | More              | Plus                    |                  |                   | field-list |
    |        | text          | job     | What is your job? | Quel est votre métier ? | ${works} = 'yes' |                   |            |
    |        | select_one c  | colour  | Pick a colour     | Une couleur             |                  | family = ${works} |            |
    |        | text          | comment | Anything else?    | Autre chose ?           |                  |                   |            |
    |        | end_group     |         |                   |                         |                  |                   |            |
    | choices |
    |         | list_name | name | label | label::French (fr) | family |
    |         | yn        | yes  | Yes   | Oui                |        |
    |         | yn        | no   | No    | Non                |        |
    |         | c         | red  | Red   | Rouge              | yes    |
    |         | c         | blue | Blue  | Bleu               | no     |
    | settings |
    |          | form_id   | default_language |
    |          | branching | English (en)     |
    """
)


def _start(app, client, answer: str):
    """Consent, answer page 1 with ``answer``; return page 2."""
    page = consent(client, "branching")
    response = post(client, "branching", 1, {"works": answer, "action": "next"}, page)
    assert response.status_code == 302, response.text
    return client.get(response.headers["Location"])


def test_each_respondent_gets_a_working_token_of_their_own(app):
    open_form(app, BRANCHING, "branching")
    first, second = app.test_client(), app.test_client()
    page_a = consent(first, "branching")
    page_b = consent(second, "branching")  # the same fresh page, from the cache
    token_a, token_b = fields_of(page_a.text).csrf, fields_of(page_b.text).csrf
    assert token_a and token_b and token_a != token_b
    assert "__consult_csrf_token_slot__" not in page_b.text
    # Each token works for its own session only.
    swapped = second.post(
        "/s/branching/p/1", data={"csrf_token": token_a, "works": "no", "action": "next"}
    )
    assert swapped.status_code == 400
    own = post(second, "branching", 1, {"works": "no", "action": "next"}, page_b)
    assert own.status_code == 302


def test_relevance_and_choice_filters_are_not_shared_between_respondents(app):
    open_form(app, BRANCHING, "branching")
    worker = _start(app, app.test_client(), "yes")
    assert "What is your job?" in worker.text
    assert 'value="red"' in worker.text and 'value="blue"' not in worker.text
    other = _start(app, app.test_client(), "no")
    assert "What is your job?" not in other.text
    assert 'value="blue"' in other.text and 'value="red"' not in other.text
    again = _start(app, app.test_client(), "yes")
    assert again.text.count("What is your job?") == 1 and 'value="blue"' not in again.text


def test_answers_are_shown_back_and_never_cached_for_others(app):
    open_form(app, BRANCHING, "branching")
    client = app.test_client()
    page = _start(app, client, "yes")
    data = {"job": "Welder <b>", "colour": "red", "comment": "", "action": "back"}
    response = post(client, "branching", 2, data, page)
    back_again = client.get("/s/branching/p/2")
    assert response.status_code == 302
    assert 'value="Welder &lt;b&gt;"' in back_again.text
    assert 'value="red" checked' in " ".join(back_again.text.split())
    stranger = _start(app, app.test_client(), "yes")
    assert "Welder" not in stranger.text
    assert "checked" not in stranger.text


def test_page_one_shows_the_saved_choice_after_going_back(app):
    open_form(app, BRANCHING, "branching")
    client = app.test_client()
    page = _start(app, client, "no")
    post(client, "branching", 2, {"action": "back"}, page)
    first = " ".join(client.get("/s/branching/p/1").text.split())
    assert 'value="no" checked' in first and 'value="yes" checked' not in first
    fresh = " ".join(consent(app.test_client(), "branching").text.split())
    assert "checked" not in fresh


def test_each_language_has_its_own_page(app):
    open_form(app, BRANCHING, "branching")
    english = consent(app.test_client(), "branching")
    client = app.test_client()
    consent(client, "branching")
    french = client.get("/s/branching/p/1?lang=fr")
    assert "Do you work?" in english.text and "Travaillez-vous ?" not in english.text
    assert "Travaillez-vous ?" in french.text and "Do you work?" not in french.text
    assert '<html lang="fr"' in french.text
    english_again = client.get("/s/branching/p/1?lang=en")
    assert "Do you work?" in english_again.text and '<html lang="en"' in english_again.text


def test_errors_are_shown_to_the_one_who_made_them_only(app):
    open_form(app, BRANCHING, "branching")
    client = app.test_client()
    page = consent(client, "branching")
    wrong = post(client, "branching", 1, {"works": "maybe", "action": "next"}, page)
    assert wrong.status_code == 200 and 'aria-invalid="true"' in wrong.text
    other = consent(app.test_client(), "branching")
    assert 'aria-invalid="true"' not in other.text and "error-summary" not in other.text


def test_the_session_cookie_is_not_sent_again_when_nothing_changed(app):
    open_form(app, BRANCHING, "branching")
    client = app.test_client()
    consent(client, "branching")
    repeat = client.get("/s/branching/p/1")
    assert repeat.status_code == 200
    assert "Set-Cookie" not in repeat.headers
    switched = client.get("/s/branching/p/1?lang=fr")
    assert "Set-Cookie" in switched.headers  # the new language is remembered
