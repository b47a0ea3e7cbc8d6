"""Every language reads right on a 360 px phone without JavaScript: Arabic, Farsi,
Urdu, Tigrinya, Somali and Simplified Chinese.

For each: the consent page names the partnership and how to reach it; an empty
page gives an error summary at the top that takes focus and names each
question; a follow-up question opened by an answer is marked and takes focus;
Back after sending says the answers were already sent; a focus-group phone
number typed in the language's own digits is accepted; numbers inside
right-to-left text read left to right. Screenshots of every step.
"""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta
from urllib.parse import urlencode, urljoin

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.auth.services import find_partnership
from consult.db import make_engine
from consult.focusgroups import services
from consult.focusgroups.models import FocusGroupContact, SessionMode
from consult.i18n import language
from consult.models import utcnow
from tests.browser.person import (
    SLUG,
    answer_page,
    consent,
    html_lang_dir,
    press_next,
    scroll_width,
)
from tests.consult.walker import fields_of, fill

pytestmark = pytest.mark.browser

LANGUAGES = ("ar", "fa", "ur", "ti", "so", "zh-Hans")
# The digits each language's speakers type a phone number in.
PHONES = {
    "ar": "٦١٣ ٥٥٥ ٠١٢٣",
    "fa": "۶۱۳ ۵۵۵ ۰۱۲۳",
    "ur": "۶۱۳ ۵۵۵ ۰۱۲۳",
    "ti": "613 555 0123",
    "so": "613 555 0123",
    "zh-Hans": "６１３ ５５５ ０１２３",
}
PARTNERSHIP_NAMES = {
    "ar": "شراكة الهجرة المحلية في ريفرسايد",
    "fa": "مشارکت محلی مهاجرت ریورساید",
    "ur": "ریور سائیڈ لوکل امیگریشن پارٹنرشپ",
    "ti": "ናይ ሪቨርሳይድ ከባቢያዊ ሽርክና",
    "so": "Iskaashiga Socdaalka Deegaanka ee Riverside",
    "zh-Hans": "河畔地方移民合作伙伴",
}
VIEWPORT_HEIGHT = 740


def _focused(page, wanted: str | None = None) -> dict:
    """The focused element: its id, classes and where it sits in the viewport.

    With ``wanted`` (a CSS selector), first give the new page up to 10 s to
    move focus there (``autofocus`` is applied after the page has loaded,
    which can come after Playwright's click returns on a busy machine);
    whatever is focused then is returned, so the caller's assertion decides.
    """
    if wanted:
        page.wait_for_load_state("load")
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(
                "(s) => document.activeElement && document.activeElement.matches(s)",
                arg=wanted,
                polling=100,
                timeout=10_000,
            )
    return page.evaluate(
        """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
        return {id: e.id, classes: e.className, top: r.top, bottom: r.bottom}; }"""
    )


def _reads_left_to_right(page, selector: str, first: str, last: str) -> bool:
    """Whether ``first`` is drawn left of ``last`` inside the element (visual order)."""
    return page.evaluate(
        """([selector, first, last]) => {
          const root = document.querySelector(selector);
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          const box = (word) => {
            for (let n = walker.currentNode; n; n = walker.nextNode()) {
              const at = (n.nodeValue || '').indexOf(word);
              if (at >= 0) { const r = document.createRange(); r.setStart(n, at);
                r.setEnd(n, at + word.length); return r.getBoundingClientRect(); }
            }
            return null;
          };
          const a = box(first); walker.currentNode = root; const b = box(last);
          return !!a && !!b && a.left < b.left;
        }""",
        [selector, first, last],
    )


def _to_last_page(page, limit: int = 20) -> None:
    """Send the pages up to the last one from the context's HTTP client (same cookies),
    then show the last page in the browser."""
    url, html = page.url, page.content()
    for _ in range(limit):
        progress = re.search(r'<progress max="(\d+)" value="(\d+)"', html)
        if progress and progress.group(1) == progress.group(2):
            page.goto(url)
            return
        action = re.search(r'action="([^"]+/p/\d+)"', html).group(1)
        response = page.context.request.post(
            urljoin(url, action),
            data=urlencode(fill(fields_of(html), "Rent"), doseq=True),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.ok, f"{response.status} at {response.url}"
        url, html = response.url, response.text()
    raise AssertionError("no last page")


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
                    "languages": list(LANGUAGES),
                    "interpretation_offered": True,
                    "capacity": 20,
                    "childcare_notes": "",
                    "accessibility_notes": "",
                    "status": "open",
                },
            )
            session.commit()
            return created.id
    finally:
        engine.dispose()


def _phones(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return [c.value for c in session.scalars(select(FocusGroupContact))]
    finally:
        engine.dispose()


def _check_layout(page, lang: str, step: str) -> None:
    expected = language(lang)
    assert html_lang_dir(page) == (lang, expected.direction), step
    width = scroll_width(page)
    assert width <= 360, f"{lang} {step}: {width} px wide at 360 px"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_newcomer_reads_every_page_right(live_server, make_context, shot, lang):
    rtl = language(lang).direction == "rtl"
    page = make_context(java_script_enabled=False).new_page()

    # Consent: who runs the survey and how to reach them, in this language.
    page.goto(f"{live_server.url}/s/{SLUG}/?lang={lang}")
    _check_layout(page, lang, "consent")
    who = page.locator("section.consent-contact")
    assert PARTNERSHIP_NAMES[lang] in who.inner_text()
    assert who.locator('a[href^="tel:"]').inner_text() == "613 555 0100"
    assert who.locator('a[href^="mailto:"]').is_visible()
    if rtl:
        assert _reads_left_to_right(page, "section.consent-contact", "613", "0100")
    shot(page, f"{lang}-consent")

    # An empty page: the summary is at the top, focused, and names each question.
    consent(page)
    press_next(page)
    _check_layout(page, lang, "errors")
    focused = _focused(page, ".error-summary")
    assert "error-summary" in focused["classes"]
    assert 0 <= focused["top"] < VIEWPORT_HEIGHT
    entries = page.locator(".error-summary li a")
    assert entries.count() == 3
    named = [entries.nth(i).locator(".error-question").inner_text() for i in range(3)]
    assert len(set(named)) == 3 and all(named)
    for i in range(3):
        target = entries.nth(i).get_attribute("href")
        assert page.locator(target).count() == 1
    shot(page, f"{lang}-error-summary", full_page=False)

    # Answer page 1; on the page with the settlement question, "yes" opens a follow-up.
    for _ in range(6):
        if page.locator("fieldset#q-used_settlement").count():
            break
        answer_page(page, "Rent")
        press_next(page)
    question = page.locator("fieldset#q-used_settlement")
    question.locator("input").first.check()  # the first choice is "yes"
    press_next(page)
    _check_layout(page, lang, "follow-up")
    focused = _focused(page, "#q-settlement_services")
    assert focused["id"] == "q-settlement_services"
    assert "new-question" in focused["classes"]
    assert 0 <= focused["top"] < VIEWPORT_HEIGHT
    assert page.locator("#q-settlement_services .new-mark").is_visible()
    shot(page, f"{lang}-follow-up-question", full_page=False)

    # Send from the last page, then Back: the page says the answers were already sent.
    _to_last_page(page)
    answer_page(page, "Rent is too high.")
    with page.expect_navigation(url=re.compile(r"/done$"), timeout=90_000):
        page.locator('button[name="action"][value="next"]').click(no_wait_after=True)
    reference = page.locator(".reference").inner_text().strip()
    page.go_back()
    _check_layout(page, lang, "back after sending")
    notice = page.locator("p.notice[role=status]")
    assert notice.is_visible()
    assert reference in page.locator("main").inner_text()
    shot(page, f"{lang}-back-after-sending")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_focus_group_phone_in_the_languages_own_digits(live_server, make_context, shot, lang):
    session_id = _make_session(live_server.database_url)
    page = make_context(java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/focus-groups/{session_id}/signup?lang={lang}")
    _check_layout(page, lang, "sign-up")
    if language(lang).direction == "rtl":
        assert _reads_left_to_right(page, "#hint-contact_value", "613", "0100")

    # A failed submit: the summary is at the top and takes focus.
    page.locator("button[type=submit].primary").click()
    focused = _focused(page, ".error-summary")
    assert "error-summary" in focused["classes"]
    assert 0 <= focused["top"] < VIEWPORT_HEIGHT
    assert page.locator(".error-summary .error-question").count() >= 2
    _check_layout(page, lang, "sign-up errors")
    shot(page, f"{lang}-signup-errors", full_page=False)

    page.locator(f'input[name="session_choice"][value="{session_id}"]').check()
    page.select_option("#preferred_language", lang)
    page.locator('input[name="contact_method"][value="phone"]').check()
    page.fill("#contact_value", PHONES[lang])
    page.fill("#name", "Amina")
    page.locator("#consent_contact").check()
    page.locator("#consent_purpose").check()
    page.locator("button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/focus-groups/thanks$"))
    _check_layout(page, lang, "thanks")
    shot(page, f"{lang}-signup-thanks")
    assert _phones(live_server.database_url) == ["613 555 0123"]
