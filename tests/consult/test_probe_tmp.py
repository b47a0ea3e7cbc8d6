from tests.consult.test_manage import *
def test_probe(app, client):
    sign_in(client, *RESEARCHER)
    upload(client, PULSE, "pulse.md")
    post_form(client, "/research/", "/research/surveys/pulse/status", status="open")
    post_form(client, "/research/surveys/pulse/translations", "/research/surveys/pulse/languages", language="es", allow="yes")
    respondent = app.test_client()
    consent = respondent.get("/s/pulse/?lang=es")
    token = fields_of(consent.text).csrf
    started = respondent.post("/s/pulse/consent?lang=es", data={"csrf_token": token, "consent": "yes"})
    first = respondent.get(started.headers["Location"])
    print(first.text.split("<main")[1])
    assert 0
