"""In Chromium at 1280 px: a researcher reviews 50 texts by keyboard alone (j/k to move,
y/n on each automatic theme, ? for the list of shortcuts) and the theme summary follows
every decision; then codes a passage selected in a text (c), and, with JavaScript off,
a passage typed into the form under the text, where one not in the text is refused.
axe finds no WCAG 2.1 A/AA violation on the way.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult import create_app, db
from consult.coding.models import CodeDecision
from tests.browser.test_accessibility import axe_page, axe_violations  # noqa: F401 (fixture)
from tests.browser.test_review_browser import BROKEN_WORDS
from tests.consult.strategy.seed import RESEARCHER, seed_responses

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
QUEUE = "/research/coding/?status=unreviewed&lang=en"
LABELS = {"housing": "Housing", "employment": "Employment"}


def _counts(page, base: str) -> dict[str, int]:
    """Respondents raising each theme, as the researcher's theme summary counts them."""
    page.goto(f"{base}/research/coding/summary/needs-assessment?lang=en")
    counts = {}
    for key, label in LABELS.items():
        row = page.locator("table.prevalence tbody tr", has=page.locator("th", has_text=label))
        counts[key] = int(row.locator("td").nth(1).inner_text()) if row.count() else 0
    return counts


def _sign_in(page, base: str) -> None:
    page.goto(f"{base}/login?lang=en")
    page.locator("input[name=email]").fill(RESEARCHER[0])
    page.locator("input[name=password]").fill(RESEARCHER[1])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _current(page) -> tuple[str, str | None]:
    """The text the keyboard is on and the theme chosen in it."""
    return page.evaluate(
        """() => {
          const unit = document.activeElement.closest('article.unit');
          const theme = unit && unit.querySelector('li.kb-current');
          return [unit ? unit.id : '', theme ? theme.dataset.theme : null];
        }"""
    )


def test_fifty_texts_reviewed_by_keyboard_change_the_summary(live_server, make_context, shot):
    base, found = live_server.url, []
    app = create_app(
        {"TESTING": True, "DATABASE_URL": live_server.database_url, "SECRET_KEY": "seed"}
    )
    seed_responses(app)  # 54 answers: 34 about housing, 20 about work
    db.dispose(app)
    page = make_context(viewport=dict(WIDE), bypass_csp=True).new_page()

    def check(where: str) -> None:
        shot(page, where)
        found.extend(axe_violations(page, where))

    _sign_in(page, base)
    before = _counts(page, base)
    assert before == {"housing": 34, "employment": 20}

    page.goto(base + QUEUE)
    assert page.locator("#shortcuts-bar").is_visible()  # the script ran: shortcuts offered
    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible()
    check("keyboard shortcuts listed")
    page.keyboard.press("Escape")
    assert page.locator("#shortcuts").is_hidden()

    # j/k move between texts; the text reached is announced
    first, second = (page.locator("article.unit").nth(i).get_attribute("id") for i in (0, 1))
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert _current(page)[0] == second
    page.keyboard.press("k")
    assert _current(page)[0] == first
    page.wait_for_function("document.getElementById('review-live').textContent.length > 0")
    assert "Text " in page.locator("#review-live").inner_text()
    check("keyboard on the first text")

    # 50 texts, every automatic theme decided with y or n: housing rejected on every
    # fifth text, everything else confirmed.
    decided: dict[str, set[str]] = {"yes": set(), "no": set()}
    reviewed: list[str] = []
    while len(reviewed) < 50:
        unit, theme = _current(page)
        assert unit and theme, f"the keyboard is on no theme after {len(reviewed)} texts"
        undecided = page.locator(f"#{unit} li[data-state=undecided]").count()
        assert undecided >= 1
        answer = "no" if theme == "housing" and len(reviewed) % 5 == 0 else "yes"
        with page.expect_navigation():
            page.keyboard.press("y" if answer == "yes" else "n")
        decided[answer].add(f"{unit}:{theme}")
        if undecided == 1:
            reviewed.append(unit)
            assert _current(page)[0] != unit or len(reviewed) == 54
        if len(reviewed) == 25 and undecided == 1:
            shot(page, "after 25 texts by keyboard")
    rejected = sum(1 for d in decided["no"] if d.endswith(":housing"))
    assert rejected >= 5  # texts 1, 6, 11 … where the theme reached is housing
    assert "Showing 1–4 of 4 texts" in page.locator("main").inner_text()
    after = _counts(page, base)
    assert after["housing"] == before["housing"] - rejected
    assert after["employment"] == before["employment"]
    check("summary after 50 texts by keyboard")
    with app.app_context():
        rows = db.session().scalars(select(CodeDecision)).all()
        assert len({d.unit_id for d in rows}) == 50
        assert sum(not d.present for d in rows) == rejected

    # A passage selected in a text, coded with c and a theme chosen by keyboard.
    page.goto(base + QUEUE)
    unit = page.locator("article.unit").first
    unit_id = unit.get_attribute("id")
    text = unit.locator("blockquote[data-unit-text]").text_content()
    start = len(text.split()[0]) + 1  # the second and third words
    passage = " ".join(text.split()[1:3])
    page.evaluate(
        """([id, start, end]) => {
          const quote = document.querySelector('#' + id + ' blockquote[data-unit-text]');
          const walker = document.createTreeWalker(quote, NodeFilter.SHOW_TEXT);
          const range = document.createRange();
          let seen = 0, node;
          while ((node = walker.nextNode())) {
            const next = seen + node.textContent.length;
            if (seen <= start && start < next) range.setStart(node, start - seen);
            if (seen < end && end <= next) range.setEnd(node, end - seen);
            seen = next;
          }
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }""",
        [unit_id, start, start + len(passage)],
    )
    page.keyboard.press("c")
    theme_select = page.locator(f"#{unit_id} form.span-form select[name=theme]")
    assert page.evaluate("document.activeElement.name") == "theme"
    theme_select.select_option("social_inclusion")
    assert page.locator(f"#{unit_id} form.span-form [name=passage]").input_value() == passage
    check("a selected passage ready to code")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    mark = page.locator(f'#{unit_id} mark.chosen[data-theme="social_inclusion"]')
    assert mark.inner_text() == passage
    check("the coded passage highlighted")
    with app.app_context():
        row = db.session().scalar(
            select(CodeDecision).where(CodeDecision.theme == "social_inclusion")
        )
        assert row.present and row.evidence[0][2] == passage

    # The passage form on its own page, refusing words that are not in the text.
    page.goto(f"{base}/research/coding/units/{unit_id.removeprefix('unit-')}/passage?lang=en")
    page.locator("textarea#passage").fill("words nobody wrote")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    check("a passage not in the text")

    # The summary at 360 px: sorted by a heading's link, charts beside (here: under) tables.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/research/coding/summary/needs-assessment?lang=en")
    page.locator("table.prevalence thead a", has_text="Theme").click()
    page.wait_for_load_state()
    heading = page.locator("table.prevalence thead th", has_text="Theme")
    assert heading.get_attribute("aria-sort") == "ascending"
    assert page.locator("figure.chart img").count() >= 3
    check("summary sorted by theme at 360 px")
    found.extend(f"summary: '{w}' breaks inside" for w in page.evaluate(BROKEN_WORDS))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    assert not found, f"{len(found)} problems:\n\n" + "\n\n".join(found)


def test_without_javascript_a_typed_passage_is_checked(live_server, make_context, shot):
    base = live_server.url
    app = create_app(
        {"TESTING": True, "DATABASE_URL": live_server.database_url, "SECRET_KEY": "seed"}
    )
    seed_responses(app)
    db.dispose(app)
    page = make_context(java_script_enabled=False).new_page()  # 360 px
    _sign_in(page, base)
    page.goto(base + QUEUE)
    assert page.locator("#shortcuts-bar").is_hidden()  # no script, no shortcuts offered
    unit = page.locator("article.unit").first
    unit.locator("details.span-coding summary").click()
    unit.locator("textarea[name=passage]").fill("a sentence nobody wrote")
    unit.locator("form.span-form select[name=theme]").select_option("social_inclusion")
    unit.locator("form.span-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "This passage is not in the text" in page.locator(".error-summary").inner_text()
    assert page.locator("textarea#passage").input_value() == "a sentence nobody wrote"
    shot(page, "a passage not in the text, without JavaScript")
    words = page.locator("blockquote").inner_text().split()[:2]
    page.locator("textarea#passage").fill(" ".join(words))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/research/coding/\?.*#unit-\d+$"))
    assert page.locator("mark.chosen").first.inner_text() == " ".join(words)
    shot(page, "the typed passage coded, without JavaScript")

    page.goto(f"{base}/research/coding/?status=all&lang=ar")  # right to left, 360 px
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("article.unit details.span-coding summary").first.click()
    assert page.locator("mark.chosen").count() >= 1
    shot(page, "the queue in Arabic at 360 px, without JavaScript")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
