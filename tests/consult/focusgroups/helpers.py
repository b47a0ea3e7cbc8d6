"""Shared set-up for the focus-group tests: sessions in the database, sign-up form data."""

from __future__ import annotations

from datetime import timedelta

from consult import db
from consult.auth.services import add_user, find_partnership
from consult.focusgroups import services
from consult.focusgroups.models import SessionMode
from consult.models import Partnership, Role, utcnow
from tests.conftest import csrf_from

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
ADMIN = ("admin@demo.consult.local", "demo-admin-password")
COMMITTEE = ("committee@demo.consult.local", "demo-committee-password")
OTHER_RESEARCHER = ("researcher@other.example.org", "other-researcher-password")


def session_values(**overrides) -> dict:
    values = {
        "title": "Housing and work",
        "purpose": "Hear what newcomers need to find housing and work.",
        "starts_at": utcnow() + timedelta(days=7),
        "timezone": "America/Toronto",
        "duration_minutes": 120,
        "mode": SessionMode.IN_PERSON,
        "place": "Riverside Library, room 2",
        "languages": ["fa", "en"],
        "interpretation_offered": True,
        "capacity": 10,
        "childcare_notes": "Childcare on site.",
        "accessibility_notes": "Step-free entrance.",
        "status": "open",
    }
    values.update(overrides)
    return values


def make_session(app, partnership_slug: str = "demo-lip", **overrides) -> int:
    """A focus-group session stored directly through the service."""
    with app.app_context():
        session = db.session()
        partnership = find_partnership(session, partnership_slug)
        created = services.create_session(session, partnership.id, session_values(**overrides))
        db.commit()
        return created.id


def make_other_partnership(app) -> None:
    """A second partnership with its own researcher."""
    with app.app_context():
        session = db.session()
        other = Partnership(slug="other-lip", name="Other LIP")
        session.add(other)
        session.flush()
        add_user(session, OTHER_RESEARCHER[0], OTHER_RESEARCHER[1], Role.RESEARCHER, other)
        db.commit()


def signup_data(page_html: str, session_choice: str, **overrides) -> dict:
    """A complete, valid sign-up (phone contact), as the form would send it."""
    data = {
        "csrf_token": csrf_from(page_html),
        "session_choice": session_choice,
        "preferred_language": "fa",
        "needs_interpretation": "y",
        "availability": ["weekday_evening", "weekend"],
        "name": "Maryam",
        "contact_method": "text",
        "contact_value": "+1 (613) 555-0100",
        "years_in_canada": "y1_3",
        "age_band": "a25_34",
        "gender": "woman",
        "consent_contact": "y",
        "consent_purpose": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def sign_up(client, session_id: int, lang: str = "en", **overrides):
    """Sign up through the public page; returns the response to the POST."""
    url = f"/focus-groups/{session_id}/signup"
    page = client.get(f"{url}?lang={lang}")
    return client.post(url, data=signup_data(page.text, str(session_id), **overrides))
