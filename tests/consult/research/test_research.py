import re

from sqlalchemy import select

from consult import db
from consult.models import AuditEvent, Response
from tests.conftest import sign_in
from tests.consult.walker import complete

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
COMMITTEE = ("committee@demo.consult.local", "demo-committee-password")


def test_research_pages_refuse_anonymous_users(client):
    for path in (
        "/research/",
        "/research/surveys/needs-assessment/responses",
        "/research/responses/1",
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_committee_members_cannot_read_raw_responses(client):
    sign_in(client, *COMMITTEE)
    assert client.get("/research/").status_code == 403


def test_wrong_password_is_refused_with_a_message(client):
    response = sign_in(client, RESEARCHER[0], "not-the-password")
    assert response.status_code == 200
    assert "do not match" in response.text
    assert client.get("/research/").status_code == 302


def test_researcher_sees_counts_by_language_lists_and_opens_responses(app, client):
    complete(client, "needs-assessment", "ar", text="السكن غالي")
    complete(client, "needs-assessment", "ar", text="العمل صعب")
    complete(client, "needs-assessment", "fr", text="Le logement coûte cher")
    assert sign_in(client, *RESEARCHER).status_code == 302
    dashboard = client.get("/research/?lang=en")
    assert dashboard.status_code == 200
    assert "draft, needs review by a native speaker" in dashboard.text
    ar_row = dashboard.text.split('<span lang="ar"', 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td>" in ar_row
    fr_row = dashboard.text.split('<span lang="fr"', 1)[1].split("</tr>", 1)[0]
    assert "<td>1</td>" in fr_row
    listing = client.get("/research/surveys/needs-assessment/responses")
    assert "3 responses" in listing.text
    with app.app_context():
        response = db.session().scalars(select(Response).where(Response.language == "fr")).one()
        response_id, reference = response.id, response.reference
    assert reference in listing.text
    detail = client.get(f"/research/responses/{response_id}")
    assert detail.status_code == 200
    assert "Le logement coûte cher" in detail.text
    with app.app_context():
        actions = [e.action for e in db.session().scalars(select(AuditEvent))]
    assert "view_response" in actions and "sign_in" in actions


def test_sign_out_ends_the_session(client):
    sign_in(client, *RESEARCHER)
    page = client.get("/research/")
    from tests.conftest import csrf_from

    client.post("/logout", data={"csrf_token": csrf_from(page.text)})
    assert client.get("/research/").status_code == 302


def test_live_view_shows_per_day_completion_and_where_people_stop(app, client):
    from tests.consult.walker import fields_of, fill, start

    complete(client, "needs-assessment", "en")
    complete(client, "needs-assessment", "ar")
    stopper = app.test_client()
    page = start(stopper, "needs-assessment", "en")
    stopper.post("/s/needs-assessment/p/1", data=fill(fields_of(page.text)))
    sign_in(client, *RESEARCHER)
    live = client.get("/research/surveys/needs-assessment/live?lang=en")
    assert live.status_code == 200
    assert "2 of 3 people" in live.text and "(67%)" in live.text
    stops = live.text.split("Where people who have not finished stopped", 1)[1]
    assert "<td>1</td><td>1</td>" in stops
    charts = re.findall(
        r'<figure class="chart"><img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"',
        live.text,
    )
    assert charts == ["Bar chart of responses per day.", "Bar chart of responses by language."]


def test_a_role_change_takes_effect_at_once(app, client, runner):
    sign_in(client, *RESEARCHER)
    assert client.get("/research/").status_code == 200
    result = runner.invoke(
        args=["users", "role", RESEARCHER[0], "--role", "committee", "--partnership", "demo-lip"]
    )
    assert result.exit_code == 0, result.output
    assert client.get("/research/").status_code == 302  # the change signed the account out
    sign_in(client, *RESEARCHER)
    assert client.get("/research/").status_code == 403
