"""The public sign-up: in the newcomer's language, without JavaScript, nothing lost."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect, select

from consult import db
from consult.focusgroups.models import (
    FocusGroupContact,
    FocusGroupSession,
    FocusGroupSignup,
    SessionStatus,
    SignupStatus,
)
from consult.models import utcnow
from tests.consult.focusgroups.helpers import make_session, sign_up, signup_data
from tests.consult.walker import complete


def test_farsi_signup_with_errors_keeps_values_and_is_rtl(app, client):
    session_id = make_session(app)
    page = client.get("/focus-groups?lang=fa")
    assert page.status_code == 200
    assert '<html lang="fa" dir="rtl">' in page.text
    data = signup_data(
        page.text,
        str(session_id),
        contact_method="email",
        contact_value="maryam-at-example",
        name="مریم",
        accessibility_needs="صندلی چرخدار",
        consent_purpose=None,
    )
    response = client.post("/focus-groups", data=data)
    assert response.status_code == 200
    html = response.text
    assert '<html lang="fa" dir="rtl">' in html
    assert 'class="error-summary"' in html
    assert 'id="error-contact_value"' in html
    assert 'aria-describedby="hint-contact_value error-contact_value"' in html
    assert 'id="error-consent_purpose"' in html
    assert 'value="maryam-at-example"' in html
    assert 'value="مریم"' in html
    assert "صندلی چرخدار</textarea>" in html
    assert f'value="{session_id}" checked' in html
    assert 'value="y1_3" checked' in html
    assert 'value="weekend" checked' in html
    with app.app_context():
        assert db.session().scalars(select(FocusGroupSignup)).all() == []


def test_signup_confirms_in_the_persons_language_and_keeps_contact_apart(app, client):
    session_id = make_session(app)
    response = sign_up(client, session_id, lang="fa")
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"])
    assert '<html lang="fa" dir="rtl">' in thanks.text
    assert "Housing and work" in thanks.text
    with app.app_context():
        signup = db.session().scalars(select(FocusGroupSignup)).one()
        assert signup.status == SignupStatus.CONFIRMED
        assert signup.interface_language == "fa"
        assert signup.preferred_language == "fa"
        assert signup.years_in_canada == "y1_3"
        assert signup.response_id is None
        contact = db.session().scalars(select(FocusGroupContact)).one()
        assert contact.signup_id == signup.id
        assert contact.value == "+1 (613) 555-0100"
        assert contact.name == "Maryam"
    signup_columns = {c.key for c in inspect(FocusGroupSignup).columns}
    assert not {"name", "value", "contact_value", "email", "phone"} & signup_columns


def test_invalid_phone_is_refused(app, client):
    session_id = make_session(app)
    response = sign_up(client, session_id, contact_method="phone", contact_value="12 34")
    assert response.status_code == 200
    assert 'id="error-contact_value"' in response.text
    assert 'value="12 34"' in response.text


def test_a_phone_typed_in_persian_or_arabic_digits_is_accepted_and_kept_as_ascii(app, client):
    session_id = make_session(app)
    persian = sign_up(client, session_id, lang="fa", contact_value="۶۱۳ ۵۵۵ ۰۱۲۳")
    assert persian.status_code == 302
    arabic = sign_up(client, session_id, lang="ar", contact_value="+١ ٦١٣ ٥٥٥ ٠١٤٥")
    assert arabic.status_code == 302
    with app.app_context():
        values = sorted(c.value for c in db.session().scalars(select(FocusGroupContact)))
    assert values == ["+1 613 555 0145", "613 555 0123"]


def test_full_session_waitlists_with_a_clear_message(app, client):
    session_id = make_session(app, capacity=1)
    assert sign_up(client, session_id, contact_value="613 555 0101").status_code == 302
    with app.app_context():
        assert db.session().get(FocusGroupSession, session_id).status == SessionStatus.FULL
    page = client.get(f"/focus-groups/{session_id}/signup?lang=en")
    assert "you will be on the waitlist" in page.text
    response = sign_up(client, session_id, contact_value="613 555 0102")
    assert response.status_code == 302
    thanks = client.get("/focus-groups/thanks")
    assert "You are on the waitlist" in thanks.text
    with app.app_context():
        statuses = [s.status for s in db.session().scalars(select(FocusGroupSignup))]
    assert statuses == [SignupStatus.CONFIRMED, SignupStatus.WAITLISTED]


def _answer(app, session_id: int, **overrides) -> tuple:
    """Everything a fresh browser learns from signing up: status, where it is sent,
    and the page it lands on."""
    browser = app.test_client()
    posted = sign_up(browser, session_id, **overrides)
    landed = browser.get(posted.headers.get("Location", "/focus-groups/thanks"))
    return posted.status_code, posted.headers.get("Location"), landed.status_code, landed.text


def _signups(app) -> list[tuple]:
    with app.app_context():
        rows = db.session().scalars(select(FocusGroupSignup).order_by(FocusGroupSignup.id))
        return [(s.status, s.needs_childcare, s.contact.name) for s in rows]


def test_a_contact_cannot_be_probed_the_answer_is_the_same_either_way(app):
    session_id = make_session(app)
    victim = {"contact_value": "+1 613 555 0100", "name": "Victim"}
    assert sign_up(app.test_client(), session_id, **victim).status_code == 302
    before = _signups(app)
    # Someone types the victim's number (written differently) and a number nobody used.
    probe = {"name": "Probe", "needs_childcare": "y"}
    known = _answer(app, session_id, contact_value="1 (613) 555-0100", **probe)
    unknown = _answer(app, session_id, contact_value="613 555 0199", **probe)
    assert known == unknown
    assert known[0] == 302 and "You are signed up" in known[3]
    # The repeat was merged into the first sign-up, which stays exactly as it was.
    after = _signups(app)
    assert after[0] == before[0] and len(after) == 2


def test_a_probe_of_a_full_group_gets_the_newcomers_answer(app):
    session_id = make_session(app, capacity=1)
    assert sign_up(app.test_client(), session_id, contact_value="613 555 0101").status_code == 302
    # The victim holds the only place; a probe with their number is told what anyone
    # signing up now is told, not that the number holds a place.
    known = _answer(app, session_id, contact_value="613 555 0101")
    unknown = _answer(app, session_id, contact_value="613 555 0102")
    assert known == unknown and "You are on the waitlist" in known[3]
    assert [status for status, *_ in _signups(app)] == [
        SignupStatus.CONFIRMED,
        SignupStatus.WAITLISTED,
    ]


def test_email_repeats_merge_case_insensitively_and_for_the_next_group_too(app):
    email = {"contact_method": "email"}
    session_id = make_session(app)
    assert sign_up(app.test_client(), session_id, contact_value="Ana@Example.ca", **email)
    assert sign_up(app.test_client(), session_id, contact_value=" ana@example.CA ", **email)
    with app.app_context():
        partnership_id = db.session().get(FocusGroupSession, session_id).partnership_id
    browser = app.test_client()
    page = browser.get("/focus-groups?lang=en")
    for _ in range(2):
        data = signup_data(page.text, f"next:{partnership_id}", contact_value="ana@example.ca")
        assert browser.post("/focus-groups", data={**data, **email}).status_code == 302
    assert len(_signups(app)) == 2  # one for the group, one for "the next one"


def test_past_or_closed_sessions_take_no_signups(app, client):
    past = make_session(app, title="Old one", starts_at=utcnow() - timedelta(hours=1))
    cancelled = make_session(app, title="Cancelled one", status="cancelled")
    listing = client.get("/focus-groups?lang=en")
    assert "Old one" not in listing.text and "Cancelled one" not in listing.text
    for session_id in (past, cancelled):
        page = client.get(f"/focus-groups/{session_id}/signup?lang=en")
        assert page.status_code == 200
        assert "no longer taking sign-ups" in page.text
        response = sign_up(client, session_id)
        assert response.status_code == 200
        assert 'id="error-session_choice"' in response.text
    with app.app_context():
        assert db.session().scalars(select(FocusGroupSignup)).all() == []


def test_tell_me_about_the_next_one(app, client):
    page = client.get("/focus-groups?lang=en")
    assert "Tell me about the next focus group" in page.text
    with app.app_context():
        from consult.auth.services import find_partnership

        partnership_id = find_partnership(db.session(), "demo-lip").id
    data = signup_data(page.text, f"next:{partnership_id}")
    response = client.post("/focus-groups", data=data)
    assert response.status_code == 302
    assert "next focus group" in client.get("/focus-groups/thanks").text
    with app.app_context():
        signup = db.session().scalars(select(FocusGroupSignup)).one()
        assert signup.session_id is None and signup.partnership_id == partnership_id


def test_survey_end_offers_signup_and_links_only_when_asked(app, client):
    session_id = make_session(app)
    done = complete(client, "needs-assessment", "en")
    assert "Would you like to join a focus group?" in done.text
    assert "/focus-groups" in done.text
    page = client.get(f"/focus-groups/{session_id}/signup?lang=en")
    assert 'name="link_survey"' in page.text
    assert 'name="link_survey" id="link_survey" value="y" checked' not in page.text
    client.post(
        f"/focus-groups/{session_id}/signup",
        data=signup_data(page.text, str(session_id), contact_value="613 555 0111"),
    )
    page = client.get(f"/focus-groups/{session_id}/signup?lang=en")
    client.post(
        f"/focus-groups/{session_id}/signup",
        data=signup_data(page.text, str(session_id), contact_value="613 555 0112", link_survey="y"),
    )
    with app.app_context():
        signups = db.session().scalars(select(FocusGroupSignup).order_by(FocusGroupSignup.id))
        linked = [s.response_id for s in signups]
    assert linked[0] is None
    assert linked[1] is not None


def test_link_box_is_not_offered_without_a_finished_survey(app, client):
    session_id = make_session(app)
    page = client.get(f"/focus-groups/{session_id}/signup")
    assert 'name="link_survey"' not in page.text
    response = sign_up(client, session_id, link_survey="y")
    assert response.status_code == 302
    with app.app_context():
        assert db.session().scalars(select(FocusGroupSignup)).one().response_id is None


def test_index_links_to_signup(client):
    assert "/focus-groups" in client.get("/?lang=en").text
