"""A newcomer signs up for a focus group in Farsi on a 360 px phone, with JavaScript off."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.auth.services import find_partnership
from consult.db import make_engine
from consult.focusgroups import services
from consult.focusgroups.models import FocusGroupContact, FocusGroupSignup, SessionMode
from consult.i18n import language
from consult.models import utcnow
from tests.browser import test_accessibility as accessibility
from tests.browser.person import html_lang_dir, scroll_width

pytestmark = pytest.mark.browser

axe_page = accessibility.axe_page  # the fixture: a context that lets axe-core in
axe_violations = accessibility.axe_violations


def _make_session(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            partnership = find_partnership(session, "demo-lip")
            created = services.create_session(
                session,
                partnership.id,
                {
                    "title": "Housing and work",
                    "purpose": "Hear what newcomers need.",
                    "starts_at": utcnow() + timedelta(days=10),
                    "timezone": "America/Toronto",
                    "duration_minutes": 120,
                    "mode": SessionMode.IN_PERSON,
                    "place": "Riverside Library",
                    "languages": ["fa", "en"],
                    "interpretation_offered": True,
                    "capacity": 8,
                    "childcare_notes": "Childcare on site.",
                    "accessibility_notes": "",
                    "status": "open",
                },
            )
            session.commit()
            return created.id
    finally:
        engine.dispose()


def _stored(database_url: str):
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            signups = session.scalars(select(FocusGroupSignup)).all()
            contacts = session.scalars(select(FocusGroupContact)).all()
            return [(s.interface_language, s.session_id) for s in signups], [
                c.value for c in contacts
            ]
    finally:
        engine.dispose()


def test_signup_in_farsi_at_360_px_without_javascript(live_server, make_context, shot):
    session_id = _make_session(live_server.database_url)
    page = make_context(java_script_enabled=False).new_page()
    page.goto(live_server.url + "/")
    page.locator('a[href*="/focus-groups"]').first.click()
    page.locator("nav.languages").get_by_role(
        "link", name=language("fa").own_name, exact=True
    ).click()
    assert html_lang_dir(page) == ("fa", "rtl")
    assert scroll_width(page) <= 360
    shot(page, "signup-form-fa")

    page.locator(f'input[name="session_choice"][value="{session_id}"]').check()
    page.select_option("#preferred_language", "fa")
    page.locator("#needs_interpretation").check()
    page.fill("#name", "مریم")
    page.locator('input[name="contact_method"][value="email"]').check()
    page.fill("#contact_value", "maryam-at-example")
    page.locator('input[name="years_in_canada"][value="y1_3"]').check()
    page.locator("#consent_contact").check()
    page.locator("button[type=submit].primary").click()

    assert html_lang_dir(page) == ("fa", "rtl")
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#error-contact_value").is_visible()
    assert page.locator("#error-consent_purpose").is_visible()
    assert page.input_value("#name") == "مریم"
    assert page.input_value("#contact_value") == "maryam-at-example"
    assert page.locator('input[name="years_in_canada"][value="y1_3"]').is_checked()
    assert page.locator(f'input[name="session_choice"][value="{session_id}"]').is_checked()
    assert scroll_width(page) <= 360
    shot(page, "signup-errors-fa")

    page.fill("#contact_value", "maryam@example.ca")
    page.locator("#consent_purpose").check()
    page.locator("button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/focus-groups/thanks$"))
    assert html_lang_dir(page) == ("fa", "rtl")
    assert "Housing and work" in page.locator("main").inner_text()
    assert scroll_width(page) <= 360
    shot(page, "signup-thanks-fa")

    signups, contacts = _stored(live_server.database_url)
    assert signups == [("fa", session_id)]
    assert contacts == ["maryam@example.ca"]


def test_focus_group_pages_pass_axe(live_server, axe_page):
    """No WCAG 2.1 A/AA violation on the sign-up (with errors) or the researcher pages."""
    session_id = _make_session(live_server.database_url)
    page = axe_page
    problems = []
    page.goto(live_server.url + "/focus-groups?lang=fa")
    problems += axe_violations(page, "sign-up")
    page.locator("button[type=submit].primary").click()
    problems += axe_violations(page, "sign-up with errors")
    page.goto(live_server.url + "/login?lang=en")
    page.fill("#email", "researcher@demo.consult.local")
    page.fill("#password", "demo-researcher-password")
    page.locator("button[type=submit]").click()
    base = f"/research/focus-groups/{session_id}"
    for path in (
        "/research/focus-groups/",
        "/research/focus-groups/new",
        base,
        f"{base}/edit",
        f"{base}/roster",
        f"{base}/notes",
    ):
        page.goto(live_server.url + path)
        problems += axe_violations(page, path)
    page.locator("form[action$='/notes'] button.primary").click()
    problems += axe_violations(page, "notes with errors")
    assert not problems, "\n\n".join(problems)
