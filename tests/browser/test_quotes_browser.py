"""In Chromium: a researcher sees what scrubbing flagged in a candidate quote, generalises
the workplace, is stopped while a flag is unresolved, keeps the school and approves.
axe finds no WCAG 2.1 A/AA violation on the quotes pages.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.person import SLUG, consent, walk_survey
from tests.browser.test_accessibility import axe_checker, axe_page  # noqa: F401 (fixture)
from tests.browser.test_research_browser import _sign_in

pytestmark = pytest.mark.browser

ANSWER = (
    "The rent is too high since I work at Maple Leaf Foods and my son is at "
    "Dovercourt Public School, call me at 416-555-2398"
)


def test_a_researcher_generalises_a_workplace_and_approves(live_server, axe_page, shot):  # noqa: F811
    base, page, found = live_server.url, axe_page, []
    check = axe_checker(page, shot, found)
    page.goto(f"{base}/s/{SLUG}/?lang=en")
    consent(page)
    walk_survey(page, ANSWER)

    _sign_in(page, base, "researcher@demo.consult.local", "demo-researcher-password")
    page.goto(f"{base}/research/quotes")
    check("quotes with flags")
    quote = page.locator("form.quote", has=page.locator("mark", has_text="Maple Leaf Foods"))
    quote = quote.first
    # What was removed, and why; what is flagged, and why; the original for the researcher.
    assert "[phone]" in quote.locator("textarea[name=text]").input_value()
    quote.locator("details.removed summary").click()
    assert "phone number" in quote.locator("details.removed").inner_text()
    flags = quote.locator("fieldset.flag")
    workplace = flags.nth(0).inner_text()
    assert "workplace" in workplace and "in a list of known employers" in workplace
    quote.locator("details.original summary").click()
    assert "416-555-2398" in quote.locator("details.original").inner_text()

    quote.get_by_label("Replace with [an employer]").check()
    quote.locator("button.primary").click()
    page.wait_for_load_state()
    # The school is still unresolved: nothing is approved, nothing typed is lost.
    summary = page.locator(".error-summary")
    assert "Dovercourt Public School" in summary.inner_text()
    assert page.get_by_label("Replace with [an employer]").is_checked()
    check("quote refused while a flag is unresolved")

    school = page.locator("fieldset.flag", has_text="Dovercourt Public School")
    school.get_by_label("Keep: it identifies no one here").check()
    page.locator("form.quote button.primary").click()
    page.wait_for_url(re.compile(rf"^{re.escape(base)}/research/quotes#q-\w+$"))  # its theme
    approved = page.locator("main ul").first.inner_text()
    assert "I work at [an employer]" in approved and "Maple Leaf Foods" not in approved
    assert "Dovercourt Public School" in approved and "416-555-2398" not in approved
    shot(page, "approved with the workplace generalised")

    assert not found, f"{len(found)} accessibility violations:\n\n" + "\n\n".join(found)
