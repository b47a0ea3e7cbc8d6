"""Researchers create and edit sessions; no one else can, and partnerships stay apart."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from consult import db
from consult.focusgroups.models import FocusGroupSession, SessionStatus
from consult.models import AuditEvent
from tests.conftest import csrf_from, sign_in
from tests.consult.focusgroups.helpers import (
    COMMITTEE,
    OTHER_RESEARCHER,
    RESEARCHER,
    make_other_partnership,
    make_session,
)


def _pages(session_id: int) -> list[str]:
    base = f"/research/focus-groups/{session_id}"
    return [
        "/research/focus-groups/",
        "/research/focus-groups/new",
        base,
        f"{base}/edit",
        f"{base}/roster",
        f"{base}/notes",
    ]


def _form(page_html: str, **overrides) -> dict:
    in_a_month = date.today() + timedelta(days=30)
    data = {
        "csrf_token": csrf_from(page_html),
        "title": "Newcomer women and work",
        "purpose": "What helps newcomer women find work.",
        "date": in_a_month.isoformat(),
        "time": "18:30",
        "timezone": "America/Vancouver",
        "duration_minutes": "90",
        "mode": "online",
        "place": "Link sent by email",
        "languages": ["fa", "ar"],
        "interpretation_offered": "y",
        "capacity": "8",
        "childcare_notes": "",
        "accessibility_notes": "Captions on.",
        "status": "open",
    }
    data.update(overrides)
    return data


def test_anonymous_users_go_to_login(app, client):
    session_id = make_session(app)
    for path in _pages(session_id):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/login" in response.headers["Location"]


def test_committee_members_are_refused(app, client):
    session_id = make_session(app)
    sign_in(client, *COMMITTEE)
    for path in _pages(session_id):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/research/focus-groups/{session_id}/roster.csv").status_code in (
        400,
        403,
    )


def test_researcher_of_another_partnership_cannot_see_or_edit(app, client):
    session_id = make_session(app, title="Demo LIP session")
    make_other_partnership(app)
    sign_in(client, *OTHER_RESEARCHER)
    listing = client.get("/research/focus-groups/")
    assert listing.status_code == 200
    assert "Demo LIP session" not in listing.text
    for path in _pages(session_id)[2:]:
        assert client.get(path).status_code == 404, path
    page = client.get("/research/focus-groups/")
    response = client.post(
        f"/research/focus-groups/{session_id}/edit",
        data=_form(page.text, title="Taken over"),
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session().get(FocusGroupSession, session_id).title == "Demo LIP session"


def test_researcher_creates_and_edits_a_session(app, client):
    sign_in(client, *RESEARCHER)
    assert "/research/focus-groups/" in client.get("/research/?lang=en").text
    page = client.get("/research/focus-groups/new?lang=en")
    assert page.status_code == 200
    response = client.post("/research/focus-groups/new", data=_form(page.text))
    assert response.status_code == 302
    with app.app_context():
        created = db.session().scalars(select(FocusGroupSession)).one()
        session_id = created.id
        assert created.timezone == "America/Vancouver"
        assert created.starts_at.hour in (1, 2)  # 18:30 Pacific is 01:30/02:30 UTC
        assert created.languages == ["fa", "ar"]
        assert created.capacity == 8 and created.interpretation_offered
        actions = [e.action for e in db.session().scalars(select(AuditEvent))]
        assert "focus_group_create" in actions
    detail = client.get(f"/research/focus-groups/{session_id}?lang=en")
    assert "Newcomer women and work" in detail.text
    assert "18:30" in detail.text or "6:30" in detail.text
    edit = client.get(f"/research/focus-groups/{session_id}/edit")
    assert 'value="18:30"' in edit.text
    response = client.post(
        f"/research/focus-groups/{session_id}/edit",
        data=_form(edit.text, title="Renamed", capacity="12", status="held"),
    )
    assert response.status_code == 302
    with app.app_context():
        edited = db.session().get(FocusGroupSession, session_id)
        assert edited.title == "Renamed" and edited.capacity == 12
        assert edited.status == SessionStatus.HELD and edited.closed_at is not None


def test_a_session_in_the_past_is_refused_and_values_kept(app, client):
    sign_in(client, *RESEARCHER)
    page = client.get("/research/focus-groups/new?lang=en")
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    response = client.post(
        "/research/focus-groups/new",
        data=_form(page.text, date=yesterday, title="Too late", capacity="lots"),
    )
    assert response.status_code == 200
    assert "in the past" in response.text
    assert 'id="error-capacity"' in response.text
    assert 'value="Too late"' in response.text
    assert f'value="{yesterday}"' in response.text
    assert 'value="lots"' in response.text
    with app.app_context():
        assert db.session().scalars(select(FocusGroupSession)).all() == []


def test_an_edit_may_keep_a_past_date_to_mark_the_session_held(app, client):
    from consult.models import utcnow

    session_id = make_session(app)
    with app.app_context():
        found = db.session().get(FocusGroupSession, session_id)
        found.starts_at = utcnow() - timedelta(days=1)
        db.commit()
    sign_in(client, *RESEARCHER)
    edit = client.get(f"/research/focus-groups/{session_id}/edit")
    fields = {
        "csrf_token": csrf_from(edit.text),
        "partnership_id": "1",
    }
    import re

    for name in ("title", "date", "time", "duration_minutes", "place", "capacity"):
        fields[name] = re.search(rf'name="{name}" id="{name}" value="([^"]*)"', edit.text).group(1)
    fields.update(
        purpose="Housing",
        timezone="America/Toronto",
        mode="in_person",
        languages=["fa"],
        status="held",
    )
    response = client.post(f"/research/focus-groups/{session_id}/edit", data=fields)
    assert response.status_code == 302, response.text[:2000]
    with app.app_context():
        assert db.session().get(FocusGroupSession, session_id).status == SessionStatus.HELD


def test_prompts_are_stored_per_language(app, client):
    session_id = make_session(app)
    sign_in(client, *RESEARCHER)
    page = client.get(f"/research/focus-groups/{session_id}?lang=en")
    assert 'name="text_fa"' in page.text
    response = client.post(
        f"/research/focus-groups/{session_id}/prompts",
        data={
            "csrf_token": csrf_from(page.text),
            "text_en": "What helped you?",
            "text_fa": "چه چیزی به شما کمک کرد؟",
        },
    )
    assert response.status_code == 200
    assert 'id="error-text_fr"' in response.text
    assert "What helped you?</textarea>" in response.text
    response = client.post(
        f"/research/focus-groups/{session_id}/prompts",
        data={
            "csrf_token": csrf_from(page.text),
            "text_en": "What helped you?",
            "text_fr": "Qu'est-ce qui vous a aidé?",
            "text_fa": "چه چیزی به شما کمک کرد؟",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        prompt = db.session().get(FocusGroupSession, session_id).prompts[0]
        assert prompt.text == {
            "en": "What helped you?",
            "fr": "Qu'est-ce qui vous a aidé?",
            "fa": "چه چیزی به شما کمک کرد؟",
        }
