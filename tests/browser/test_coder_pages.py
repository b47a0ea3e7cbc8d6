"""The learned coder's pages in a browser: the review queue (least certain first, a theme
found by the model with the nearest reviewed answers) and the codebook's per-theme
quality, axe-clean at 360 px, left to right and right to left."""

from __future__ import annotations

import pytest

from consult import create_app, db
from consult.coding.models import AutoCode, CodeDecision, TextUnitRow
from tests.browser.test_accessibility import AXE, axe_checker
from tests.consult.coding.test_background import training
from tests.system_packages import INSTALL_COMMAND, skip_missing

pytestmark = pytest.mark.browser

REVIEWED = "We sleep in a church basement, Mr. Haile Tesfay lets us stay."
FOUND_BY_MODEL = "Six of us share one bedroom at my cousin's."


def _unit(question: str, text: str, priority: float, **more) -> TextUnitRow:
    return TextUnitRow(
        partnership_id=1,
        source="survey",
        question=question,
        respondent_key=f"r-{question}",
        language="en",
        text=text,
        theme_keys="housing",
        review_priority=priority,
        **more,
    )


def _learned_state(database_url: str) -> None:
    """A training with a model, a reviewed unit and one the model coded by similarity."""
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "browser-test-secret-key"})
    with app.app_context():
        session = db.session()
        reviewed = _unit("a", REVIEWED, 0.1)
        session.add(reviewed)
        session.flush()
        reviewed.decisions.append(CodeDecision(theme="housing", present=True, user_id=None))
        similar = [f"unit-{reviewed.id}"]
        code = AutoCode(theme="housing", codebook_version=1, evidence=[], similar=similar)
        session.add(_unit("b", FOUND_BY_MODEL, 0.9, auto_codes=[code]))
        quality = {"housing": {"rule": "model", "tp": 16, "fp": 4, "fn": 2, "threshold": 0.4}}
        session.add(training(quality, imported=0))
        session.commit()
    db.dispose(app)


def test_the_coders_pages_have_no_violations(live_server, make_context, shot):
    if not AXE.exists():
        skip_missing(f"{AXE} is missing: install npm with `{INSTALL_COMMAND}`, then `make install`")
    _learned_state(live_server.database_url)
    page, found = make_context(bypass_csp=True).new_page(), []
    check = axe_checker(page, shot, found)
    page.goto(f"{live_server.url}/login?lang=en")
    page.locator("input[name=email]").fill("researcher@demo.consult.local")
    page.locator("input[name=password]").fill("demo-researcher-password")
    page.locator("main form button[type=submit]").click()

    for lang in ("en", "fa"):
        page.goto(f"{live_server.url}/research/coding/?lang={lang}")
        check(f"review queue ({lang})")
        assert page.locator("select#order").input_value() == "uncertain"
        first = page.locator("article.unit").first
        assert FOUND_BY_MODEL in first.inner_text()  # the least certain comes first
        assert "Haile" not in first.locator("ul.similar").inner_text()  # scrubbed as quotes
        assert "church basement" in first.locator("ul.similar").inner_text()
        page.goto(f"{live_server.url}/research/codebook/?lang={lang}")
        check(f"codebook with the coder's quality ({lang})")
        assert page.locator("#quality-housing").count() == 1
    assert (
        "about 8 are right (between 6 and 9)"
        in page.goto(f"{live_server.url}/research/codebook/?lang=en").text()
    )

    assert not found, f"{len(found)} accessibility violations:\n\n" + "\n\n".join(found)
