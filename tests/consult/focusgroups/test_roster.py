"""Roster, waitlist, attendance, make-up counts; contacts shown, exported and deleted with care."""

from __future__ import annotations

import re

from sqlalchemy import select

from consult import db
from consult.focusgroups.models import FocusGroupContact, FocusGroupSignup, SignupStatus
from consult.models import AuditEvent
from tests.conftest import csrf_from, sign_in
from tests.consult.focusgroups.helpers import (
    COMMITTEE,
    OTHER_RESEARCHER,
    RESEARCHER,
    make_other_partnership,
    make_session,
    sign_up,
)


def _people(app, client, session_id: int, count: int, **overrides) -> list[int]:
    for number in range(count):
        response = sign_up(client, session_id, contact_value=f"613 555 01{number:02d}", **overrides)
        assert response.status_code == 302
    with app.app_context():
        query = select(FocusGroupSignup.id).order_by(FocusGroupSignup.id)
        return list(db.session().scalars(query))


def _audit_actions(app) -> list[str]:
    with app.app_context():
        return [e.action for e in db.session().scalars(select(AuditEvent))]


def test_roster_shows_contacts_waitlist_and_promotes(app, client):
    session_id = make_session(app, capacity=2)
    ids = _people(app, client, session_id, 3)
    sign_in(client, *RESEARCHER)
    roster = client.get(f"/research/focus-groups/{session_id}/roster?lang=en")
    assert roster.status_code == 200
    assert "613 555 0100" in roster.text and "613 555 0102" in roster.text
    assert "2 of 2 places taken, 1 on the waitlist" in roster.text
    response = client.post(
        f"/research/focus-groups/{session_id}/signups/{ids[2]}/promote",
        data={"csrf_token": csrf_from(roster.text)},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session().get(FocusGroupSignup, ids[2]).status == SignupStatus.CONFIRMED


def test_attendance_gives_codes_and_make_up_is_counts_only(app, client):
    session_id = make_session(app, capacity=10)
    ids = _people(app, client, session_id, 6)
    sign_in(client, *RESEARCHER)
    roster = client.get(f"/research/focus-groups/{session_id}/roster?lang=en")
    response = client.post(
        f"/research/focus-groups/{session_id}/attendance",
        data={"csrf_token": csrf_from(roster.text), "attended": [str(i) for i in ids[:5]]},
    )
    assert response.status_code == 302
    with app.app_context():
        signups = db.session().scalars(select(FocusGroupSignup).order_by(FocusGroupSignup.id))
        codes = [(s.attended, s.participant_code) for s in signups]
    assert codes[:5] == [(True, f"P{n}") for n in range(1, 6)]
    assert codes[5] == (False, None)
    roster = client.get(f"/research/focus-groups/{session_id}/roster?lang=en")
    make_up = roster.text.split('id="make-up"', 1)[1]
    assert "Counts of the people who came." in make_up
    assert "<td>5</td>" in make_up  # five Farsi speakers, five women...
    assert "Maryam" not in make_up and "613 555" not in make_up


def test_small_counts_are_shown_as_fewer_than_five(app, client):
    session_id = make_session(app, capacity=10)
    _people(app, client, session_id, 2)
    sign_in(client, *RESEARCHER)
    roster = client.get(f"/research/focus-groups/{session_id}/roster?lang=en")
    make_up = roster.text.split('id="make-up"', 1)[1]
    assert "fewer than 5" in make_up
    assert "<td>2</td>" not in make_up


def test_export_is_logged_and_contains_contacts(app, client):
    session_id = make_session(app)
    _people(app, client, session_id, 2)
    sign_in(client, *RESEARCHER)
    roster = client.get(f"/research/focus-groups/{session_id}/roster")
    assert "export_contacts" not in _audit_actions(app)
    response = client.post(
        f"/research/focus-groups/{session_id}/roster.csv",
        data={"csrf_token": csrf_from(roster.text)},
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data.decode("utf-8-sig")
    assert body.splitlines()[0].startswith("status,participant_code,attended,name")
    assert "613 555 0100" in body
    assert "export_contacts" in _audit_actions(app)
    with app.app_context():
        event = (
            db.session()
            .scalars(select(AuditEvent).where(AuditEvent.action == "export_contacts"))
            .one()
        )
        assert event.target == f"focus_group_session:{session_id}" and event.user_id


def test_export_needs_a_csrf_token(app, client):
    session_id = make_session(app)
    sign_in(client, *RESEARCHER)
    response = client.post(f"/research/focus-groups/{session_id}/roster.csv")
    assert response.status_code == 400
    assert "export_contacts" not in _audit_actions(app)


def test_formula_like_contact_text_is_neutralised_in_the_export(app, client):
    session_id = make_session(app)
    sign_up(client, session_id, name='=HYPERLINK("x")')
    sign_in(client, *RESEARCHER)
    roster = client.get(f"/research/focus-groups/{session_id}/roster")
    body = client.post(
        f"/research/focus-groups/{session_id}/roster.csv",
        data={"csrf_token": csrf_from(roster.text)},
    ).data.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_researcher_deletes_contact_details_on_request(app, client):
    session_id = make_session(app)
    ids = _people(app, client, session_id, 1)
    sign_in(client, *RESEARCHER)
    roster = client.get(f"/research/focus-groups/{session_id}/roster?lang=en")
    response = client.post(
        f"/research/focus-groups/{session_id}/signups/{ids[0]}/delete-contact",
        data={"csrf_token": csrf_from(roster.text)},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session().scalars(select(FocusGroupContact)).all() == []
        signup = db.session().get(FocusGroupSignup, ids[0])
        assert signup.contact_deleted_at is not None and signup.years_in_canada == "y1_3"
    assert "delete_contact" in _audit_actions(app)
    roster = client.get(f"/research/focus-groups/{session_id}/roster?lang=en")
    assert "613 555 0100" not in roster.text
    assert "Contact details deleted" in roster.text


def test_contacts_never_reach_committee_other_partnerships_or_public_pages(app, client):
    session_id = make_session(app)
    sign_up(client, session_id, name="Zahra Unique-Name", contact_value="613 555 0199")
    secrets = ("Zahra Unique-Name", "613 555 0199")
    public = [client.get(p) for p in ("/", "/focus-groups", f"/focus-groups/{session_id}/signup")]
    public.append(client.get("/focus-groups/thanks"))
    sign_in(client, *COMMITTEE)
    committee = [
        client.get(p)
        for p in (
            "/research/",
            "/research/focus-groups/",
            f"/research/focus-groups/{session_id}/roster",
            f"/research/focus-groups/{session_id}/notes",
        )
    ]
    assert all(r.status_code == 403 for r in committee[1:])
    make_other_partnership(app)
    other = app.test_client()
    sign_in(other, *OTHER_RESEARCHER)
    foreign = [
        other.get("/research/focus-groups/"),
        other.get(f"/research/focus-groups/{session_id}/roster"),
    ]
    assert foreign[1].status_code == 404
    for response in public + committee + foreign:
        for secret in secrets:
            assert secret not in response.text


def test_next_session_signups_can_be_added_to_a_session(app, client):
    session_id = make_session(app, capacity=5)
    page = client.get("/focus-groups?lang=en")
    choice = re.search(r'value="(next:\d+)"', page.text).group(1)
    from tests.consult.focusgroups.helpers import signup_data

    client.post("/focus-groups", data=signup_data(page.text, choice))
    sign_in(client, *RESEARCHER)
    index = client.get("/research/focus-groups/?lang=en")
    assert "(613) 555-0100" in index.text, index.text[-2500:]
    with app.app_context():
        signup_id = db.session().scalars(select(FocusGroupSignup.id)).one()
    response = client.post(
        f"/research/focus-groups/signups/{signup_id}/assign",
        data={"csrf_token": csrf_from(index.text), "session_id": str(session_id)},
    )
    assert response.status_code == 302
    with app.app_context():
        signup = db.session().get(FocusGroupSignup, signup_id)
        assert signup.session_id == session_id and signup.status == SignupStatus.CONFIRMED
