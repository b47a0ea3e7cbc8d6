"""The staff header and the partnership switcher: a researcher of several partnerships
works in one at a time, chosen in the header, on every research page."""

from __future__ import annotations

import re

from consult import db
from consult.auth.services import add_user, find_user
from consult.models import Partnership, Role
from tests.conftest import csrf_from, sign_in

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
COMMITTEE = ("committee@demo.consult.local", "demo-committee-password")


def _second_partnership(app) -> int:
    with app.app_context():
        session = db.session()
        other = Partnership(slug="other-lip", name="Another LIP")
        session.add(other)
        session.flush()
        user = find_user(session, RESEARCHER[0])
        add_user(session, user.email, RESEARCHER[1], Role.RESEARCHER, other)
        db.commit()
        return other.id


def _switch(client, pid, back="/research/codebook/"):
    page = client.get(back)
    return client.post(
        "/research/partnership",
        data={"csrf_token": csrf_from(page.text), "partnership": pid, "next": back},
    )


def test_the_switcher_chooses_the_partnership_of_every_research_page(app, client):
    other = _second_partnership(app)
    sign_in(client, *RESEARCHER)
    dashboard = client.get("/research/").text
    assert "Signed in as researcher@demo.consult.local" in dashboard
    assert 'id="switch-partnership"' in dashboard and "Another LIP" in dashboard
    assert "needs-assessment" in dashboard  # the demo partnership comes first

    switched = _switch(client, other)
    assert switched.status_code == 302
    assert switched.headers["Location"].endswith("/research/codebook/")  # the same page
    dashboard = client.get("/research/").text
    assert re.search(r"Researcher, Another LIP", dashboard)
    assert "needs-assessment" not in dashboard  # the demo's survey is not this one's
    quotes = client.get("/research/quotes").text
    assert "Researcher, Another LIP" in quotes


def test_a_partnership_that_is_not_theirs_cannot_be_chosen(app, client):
    _second_partnership(app)
    with app.app_context():
        stranger = Partnership(slug="stranger", name="Stranger LIP")
        db.session().add(stranger)
        db.commit()
        stranger_id = stranger.id
    sign_in(client, *RESEARCHER)
    assert _switch(client, stranger_id).status_code == 404
    assert "Stranger LIP" not in client.get("/research/").text


def test_one_partnership_means_no_switcher_and_committee_pages_have_no_newcomer_footer(app, client):
    sign_in(client, *RESEARCHER)
    page = client.get("/research/").text
    assert 'id="switch-partnership"' not in page
    assert "Researcher, Riverside" in page
    member = app.test_client()
    sign_in(member, *COMMITTEE)
    committee = member.get("/committee/").text
    assert "Signed in as committee@demo.consult.local" in committee
    assert "Reports never show who said what" not in committee  # the newcomer footer
    assert "Reports never show who said what" in app.test_client().get("/").text
