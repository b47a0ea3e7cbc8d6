"""In Chromium at 1280 px: a researcher reviews the employment texts of 54 coded answers,
one by keyboard and the rest in bulk, and the theme summary follows each decision and
its undo. The staff layout uses the screen (wider than the old 704 px column), table
headings never break inside a word, and axe finds no WCAG 2.1 A/AA violation.
"""

from __future__ import annotations

import re

import pytest

from consult import create_app, db
from tests.browser.test_accessibility import axe_page, axe_violations  # noqa: F401 (fixture)
from tests.consult.strategy.seed import RESEARCHER, seed_responses

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main th, main td')) {
    for (const node of cell.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      for (const word of node.textContent.split(/\\s+/).filter(w => w.length > 1)) {
        const start = node.textContent.indexOf(word);
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + word.length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(word);
      }
    }
  }
  return broken;
}"""


def _employment_count(page, base: str) -> int:
    """Respondents raising employment, as the researcher's theme summary counts them."""
    page.goto(f"{base}/research/coding/summary/needs-assessment?lang=en")
    row = page.locator("table.prevalence tr", has=page.locator("th", has_text="Employment"))
    return int(row.locator("td").nth(1).inner_text())


def test_review_by_keyboard_and_in_bulk_changes_the_summary(live_server, make_context, shot):
    base, found = live_server.url, []
    app = create_app(
        {"TESTING": True, "DATABASE_URL": live_server.database_url, "SECRET_KEY": "seed"}
    )
    seed_responses(app)  # 54 answers: 20 about work (12 in French, 8 in English)
    db.dispose(app)

    page = make_context(viewport=dict(WIDE), bypass_csp=True).new_page()

    def check(where: str) -> None:
        shot(page, where)
        found.extend(axe_violations(page, where))
        found.extend(f"{where}: '{w}' breaks inside" for w in page.evaluate(BROKEN_WORDS))

    page.goto(f"{base}/login?lang=en")
    page.locator("input[name=email]").fill(RESEARCHER[0])
    page.locator("input[name=password]").fill(RESEARCHER[1])
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    before = _employment_count(page, base)
    assert before == 20
    check("theme summary")
    assert page.locator("main").bounding_box()["width"] > 1000  # not a 704 px column

    page.goto(f"{base}/research/coding/?theme=employment&status=unreviewed")
    assert "Showing 1–20 of 20 texts" in page.locator("main").inner_text()
    check("queue of employment texts")
    first = page.locator("article.unit").nth(0)
    following = page.locator("article.unit").nth(1).get_attribute("id")
    # By keyboard: reject on the first text, then the page opens at the one after it.
    first.locator("button[data-decision=no]").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"#{following}$"))
    assert page.locator("article.unit").count() == 19
    top = page.locator(f"article#{following}").bounding_box()["y"]
    assert -1 < top < WIDE["height"]  # in view (to a pixel), not back at the top of the page
    page.keyboard.press("Tab")  # the next Tab starts from that text
    focused = page.evaluate("document.activeElement.closest('article')?.id")
    assert focused == following

    # In bulk: untick two, reject employment on the other 17.
    for box in page.locator("input[form=bulk]").all()[:2]:
        box.uncheck()
    page.get_by_role("button", name="Reject Employment on the ticked texts").click()
    page.wait_for_load_state()
    assert "Employment rejected on 17 texts." in page.locator("#review-notice").inner_text()
    assert "Showing 1–2 of 2 texts" in page.locator("main").inner_text()
    check("after a bulk rejection")
    assert _employment_count(page, base) == 2

    page.go_back()
    page.locator("#review-notice").get_by_role("button", name="Undo").click()
    page.wait_for_load_state()
    assert "17 decisions taken back." in page.locator("#review-notice").inner_text()
    assert _employment_count(page, base) == 19  # the one rejected by keyboard stays

    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/research/coding/?theme=employment")
    check("queue at 360 px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    assert not found, f"{len(found)} problems:\n\n" + "\n\n".join(found)
