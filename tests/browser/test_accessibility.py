"""axe-core finds no WCAG 2.1 A/AA violation on the newcomer's path in 12 languages,
nor on the researcher's pages.

axe is test tooling (``npm ci`` installs ``node_modules/axe-core``); the app's
Content-Security-Policy forbids inline scripts, so the context bypasses CSP to
inject it. Nothing else about the pages changes.
"""

from __future__ import annotations

import pytest

from consult.i18n import UI_LANGUAGES
from tests.browser.conftest import ROOT
from tests.browser.person import (
    SLUG,
    answer_page,
    consent,
    finish_over_http,
    press_next,
    scroll_width,
    text_for,
    walk_survey,
)
from tests.system_packages import INSTALL_COMMAND, skip_missing

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture
def axe_page(make_context):
    if not AXE.exists():
        message = (
            f"{AXE} is missing: install npm with `{INSTALL_COMMAND}`, then `make install` "
            "installs axe-core"
        )
        skip_missing(message)
    return make_context(bypass_csp=True).new_page()


def axe_violations(page, where: str) -> list[str]:
    """Readable lines, one per failing element, for every axe violation on the page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            lines.append(
                f"{where} [{page.url}]\n"
                f"  {violation['id']} ({violation['impact']}): {violation['help']}\n"
                f"  element: {' '.join(node['target'])}\n"
                f"  html: {node['html'][:200]}\n"
                f"  {node['failureSummary'].replace(chr(10), chr(10) + '  ')}\n"
                f"  more: {violation['helpUrl']}"
            )
    return lines


def axe_checker(page, shot, found: list[str]):
    """``check(where)``: a screenshot, then axe's violations and any sideways scrolling at
    360 px appended to ``found``."""

    def check(where: str) -> None:
        shot(page, where)
        found.extend(axe_violations(page, where))
        width = scroll_width(page)
        if width > 360:
            found.append(f"{where}: the page scrolls sideways at 360 px ({width} px wide)")

    return check


def test_newcomer_pages_have_no_violations_in_every_language(live_server, axe_page, shot):
    page, found = axe_page, []

    def check(where: str) -> None:
        shot(page, where)
        found.extend(axe_violations(page, where))

    for lang in UI_LANGUAGES:
        page.goto(f"{live_server.url}/?lang={lang}")
        check(f"{lang} index")
        page.goto(f"{live_server.url}/s/{SLUG}/?lang={lang}")
        check(f"{lang} consent")
        consent(page)
        check(f"{lang} page 1")
        press_next(page)  # nothing answered: the error summary and messages
        check(f"{lang} page 1 with errors")
        answer_page(page, text_for(lang))
        press_next(page)
        assert page.url.endswith("/p/2"), page.url
        check(f"{lang} page 2")
        assert finish_over_http(page, text_for(lang))
        check(f"{lang} confirmation")

    assert not found, f"{len(found)} accessibility violations:\n\n" + "\n\n".join(found)


def test_researcher_pages_have_no_violations(live_server, axe_page, shot):
    page, found = axe_page, []
    check = axe_checker(page, shot, found)

    # One response to look at, sent through the survey itself.
    page.goto(f"{live_server.url}/s/{SLUG}/?lang=fa")
    consent(page)
    walk_survey(page, text_for("fa"))

    page.goto(f"{live_server.url}/login?lang=en")
    check("login")
    page.locator("input[name=email]").fill("nobody@example.org")
    page.locator("input[name=password]").fill("wrong-password")
    page.locator("main form button[type=submit]").click()
    check("login with an error")
    page.locator("input[name=email]").fill("researcher@demo.consult.local")
    page.locator("input[name=password]").fill("demo-researcher-password")
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server.url}/research/")
    check("dashboard")
    page.locator(f'a[href$="/surveys/{SLUG}/responses"]').first.click()
    check("responses")
    page.locator('main table a[href*="/research/responses/"]').first.click()
    check("one response")

    assert not found, f"{len(found)} accessibility violations:\n\n" + "\n\n".join(found)


def test_axe_reports_what_it_should(axe_page):
    """The checker itself works: a page with known faults has violations."""
    axe_page.set_content(
        '<html><body><img src="x.png"><input type="text"><a href="#"></a></body></html>'
    )
    found = "\n".join(axe_violations(axe_page, "known faults"))
    for rule in ("html-has-lang", "image-alt", "label", "link-name"):
        assert rule in found, found
