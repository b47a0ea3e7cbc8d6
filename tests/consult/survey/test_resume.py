import re
from datetime import timedelta

from sqlalchemy import select

from consult import db
from consult.models import Draft, Response, utcnow
from consult.survey.codes import ALPHABET, new_code, normalise_code
from tests.consult.walker import fields_of, fill, start

SLUG = "needs-assessment"


def save_for_later(client, lang="en"):
    page = start(client, SLUG, lang)
    data = fill(fields_of(page.text))
    data["action"] = "save"
    response = client.post(f"/s/{SLUG}/p/1", data=data)
    assert response.headers["Location"].endswith(f"/s/{SLUG}/saved")
    saved = client.get(response.headers["Location"])
    code = re.search(r"<strong>([A-Z0-9-]+)</strong>", saved.text).group(1)
    return data, code


def test_codes_are_readable_and_unambiguous():
    codes = {new_code(10) for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", code)
        assert set(code.replace("-", "")) <= set(ALPHABET)
        assert not set(code) & set("01OILU")
    assert normalise_code(" k7qm 3xpa-9b ") == "K7QM-3XPA-9B"


def test_save_on_one_device_and_resume_on_another(app, client):
    data, code = save_for_later(client, "fa")
    other = app.test_client()
    page = other.get("/resume")
    response = other.post(
        "/resume",
        data={"code": code.lower().replace("-", " "), "csrf_token": fields_of(page.text).csrf},
    )
    assert response.status_code == 302
    assert f"/s/{SLUG}/p/1" in response.headers["Location"]
    resumed = other.get(response.headers["Location"])
    assert 'lang="fa" dir="rtl"' in resumed.text
    for name, value in data.items():
        if name in fields_of(resumed.text).radios:
            assert re.search(rf'name="{name}"[^>]*value="{value}"[^>]*checked', resumed.text)


def resume_on(client, code):
    page = client.get("/resume")
    return client.post("/resume", data={"code": code, "csrf_token": fields_of(page.text).csrf})


def test_reloading_the_saved_page_keeps_the_code_already_shown(app, client):
    _data, first = save_for_later(client)
    reloaded = client.get(f"/s/{SLUG}/saved")
    again = re.search(r"<strong>([A-Z0-9-]+)</strong>", reloaded.text).group(1)
    assert again == first
    response = resume_on(app.test_client(), first)
    assert response.status_code == 302
    assert f"/s/{SLUG}/p/1" in response.headers["Location"]


def test_each_draft_has_its_own_code(app, client):
    _data, mine = save_for_later(client)
    _data, theirs = save_for_later(app.test_client())
    assert mine != theirs


def test_only_a_keyed_hash_of_the_code_is_stored(app, client):
    _data, code = save_for_later(client)
    with app.app_context():
        draft = db.session().scalar(select(Draft))
        assert draft.resume_code_hash and code not in draft.resume_code_hash
        assert len(draft.resume_code_hash) == 64


def test_wrong_code_gives_a_message_in_the_users_language(client):
    page = client.get("/resume?lang=es")
    response = client.post(
        "/resume", data={"code": "AAAA-BBBB-CC", "csrf_token": fields_of(page.text).csrf}
    )
    assert response.status_code == 200
    assert 'id="error-code"' in response.text
    assert 'value="AAAA-BBBB-CC"' in response.text
    assert 'lang="es"' in response.text


def test_expired_drafts_cannot_be_resumed_and_are_purged(app, client, runner):
    _data, code = save_for_later(client)
    with app.app_context():
        draft = db.session().scalar(select(Draft))
        draft.expires_at = utcnow() - timedelta(days=1)
        db.commit()
    other = app.test_client()
    page = other.get("/resume")
    response = other.post("/resume", data={"code": code, "csrf_token": fields_of(page.text).csrf})
    assert response.status_code == 200
    result = runner.invoke(args=["drafts", "purge"])
    assert "1" in result.output
    with app.app_context():
        assert db.session().scalar(select(Draft)) is None


def test_resume_attempts_are_rate_limited(app):
    app.config["RATELIMIT_ENABLED"] = True
    from consult.extensions import limiter

    limiter.enabled = True
    try:
        client = app.test_client()
        token = fields_of(client.get("/resume").text).csrf
        statuses = [
            client.post(
                "/resume", data={"code": f"AAAA-BBBB-{i:02d}", "csrf_token": token}
            ).status_code
            for i in range(12)
        ]
    finally:
        limiter.enabled = False
    assert statuses[:10] == [200] * 10
    assert 429 in statuses[10:]


def test_stale_answers_on_skipped_questions_are_discarded(app, client):
    page = start(client, SLUG, "en")
    client.post(f"/s/{SLUG}/p/1", data=fill(fields_of(page.text)))
    second = client.get(f"/s/{SLUG}/p/2")
    data = fill(fields_of(second.text))
    data["used_settlement"] = "yes"
    revealed = client.post(f"/s/{SLUG}/p/2", data=data)
    assert revealed.status_code == 200
    assert 'role="status"' in revealed.text and 'name="settlement_services"' in revealed.text
    data = fill(fields_of(revealed.text))
    data["used_settlement"] = "yes"
    assert client.post(f"/s/{SLUG}/p/2", data=data).status_code == 302
    back = fill(fields_of(client.get(f"/s/{SLUG}/p/2").text))
    back["used_settlement"] = "no"
    assert client.post(f"/s/{SLUG}/p/2", data=back).status_code == 302
    page = client.get(f"/s/{SLUG}/p/3")
    for _ in range(20):
        action = re.search(r'action="([^"]+/p/\d+)"', page.text).group(1)
        response = client.post(action, data=fill(fields_of(page.text)))
        if response.status_code == 200:
            page = response
            continue
        if response.headers["Location"].endswith("/done"):
            break
        page = client.get(response.headers["Location"])
    with app.app_context():
        answers = {a.question: a.value for a in db.session().scalar(select(Response)).answers}
    assert answers["used_settlement"] == "no"
    assert "settlement_services" not in answers


def test_starting_surveys_is_rate_limited_from_configuration(app):
    from consult.extensions import limiter

    app.config["RATELIMIT_START"] = "3 per minute"
    limiter.enabled = True
    try:
        client = app.test_client()
        token = fields_of(client.get(f"/s/{SLUG}/").text).csrf
        statuses = [
            client.post(
                f"/s/{SLUG}/consent", data={"csrf_token": token, "consent": "no"}
            ).status_code
            for _ in range(5)
        ]
    finally:
        limiter.enabled = False
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
