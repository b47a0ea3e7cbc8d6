"""A newcomer completes the demo survey on a 360 px phone, with and without JavaScript."""

from __future__ import annotations

import pytest

from consult.i18n import language
from tests.browser.person import (
    REFERENCE,
    SLUG,
    consent,
    html_lang_dir,
    open_survey,
    scroll_width,
    stored_response,
    text_for,
    walk_survey,
)

pytestmark = pytest.mark.browser

CASES = [
    pytest.param("ar", True, id="ar-js"),
    pytest.param("ar", False, id="ar-nojs"),
    pytest.param("en", False, id="en-nojs"),
    pytest.param("zh-Hans", False, id="zh-Hans-nojs"),
]


@pytest.mark.parametrize(("lang", "javascript"), CASES)
def test_a_newcomer_completes_the_survey(live_server, make_context, shot, lang, javascript):
    expected = language(lang)
    if lang == "ar":
        assert expected.own_name == "العربية"  # the picker shows each language in its own name
    page = make_context(java_script_enabled=javascript).new_page()

    open_survey(page, live_server.url, expected.own_name)
    assert html_lang_dir(page) == (lang, expected.direction)
    assert scroll_width(page) <= 360
    shot(page, "consent")
    consent(page)

    def check_page(page, number):
        assert html_lang_dir(page) == (lang, expected.direction), f"page {number}"
        width = scroll_width(page)
        assert width <= 360, f"page {number} scrolls sideways at 360 px ({width} px wide)"
        shot(page, f"page-{number}")

    text = text_for(lang)
    reference = walk_survey(page, text, on_page=check_page)
    shot(page, "confirmation")

    assert REFERENCE.match(reference), reference
    assert html_lang_dir(page) == (lang, expected.direction)
    assert scroll_width(page) <= 360
    stored_language, answers = stored_response(live_server.database_url, reference)
    assert stored_language == lang
    assert answers["hardest_part"] == text
    assert answers["years_in_canada"]


def test_first_page_fits_320_px_without_javascript(live_server, make_context, shot):
    """The smallest phones: consent and page 1 never scroll sideways, in any script."""
    for lang in ("en", "ar", "zh-Hans", "pa", "ti", "uk"):
        context = make_context(java_script_enabled=False, viewport={"width": 320, "height": 640})
        page = context.new_page()
        page.goto(f"{live_server.url}/s/{SLUG}/?lang={lang}")
        width = scroll_width(page)
        assert width <= 320, f"{lang}: consent page is {width} px wide at 320 px"
        consent(page)
        shot(page, f"{lang}-page-1-320px")
        width = scroll_width(page)
        assert width <= 320, f"{lang}: first page is {width} px wide at 320 px"
        assert html_lang_dir(page)[0] == lang
        context.close()
