"""In Chromium: a committee member reads a summary's change over time.

Two waves of the demo survey (generated answers; housing raised far more
often in the second) are made a study; the researcher publishes a summary
of the second with the study's trend, through the publish form; a committee
member reads it at 360 px in English and in Arabic (right to left). Every
page is checked by axe and must not scroll sideways.
"""

from __future__ import annotations

import random
import re
import uuid

import pytest

from consult import create_app, db
from consult.auth.services import find_partnership
from consult.demo import demo_form_bytes
from consult.models import SurveyStatus
from consult.survey.services import import_survey, store_response, survey_by_slug
from consult.waves import services as waves
from tests.browser.person import html_lang_dir, scroll_width
from tests.browser.test_accessibility import axe_page, axe_violations  # noqa: F401 (fixture)
from tests.browser.test_strategy_browser import sign_in
from tests.consult.strategy.seed import COMMITTEE, RESEARCHER

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}
RENT = "The rent is too high and I cannot find housing"


def seeded(live_server) -> str:
    """Two waves with answers, and a study of them; the study's title."""
    app = create_app(
        {"TESTING": True, "DATABASE_URL": live_server.database_url, "SECRET_KEY": "seed"}
    )
    with app.app_context():
        session = db.session()
        partnership = find_partnership(session, "demo-lip")
        second = import_survey(session, partnership, demo_form_bytes(), "w2.md", slug="needs-2028")
        second.survey.status = SurveyStatus.OPEN
        rng = random.Random(7)
        for slug, housing in (("needs-assessment", 0.15), ("needs-2028", 0.7)):
            survey = survey_by_slug(session, slug)
            for _ in range(60):
                answers = {"area": "downtown", "employment_status": "looking"}
                if rng.random() < housing:
                    answers["hardest_part"] = RENT
                store_response(
                    session, survey, survey.current_version_id, str(uuid.uuid4()), "en", answers
                )
        study = waves.create_study(session, partnership.id, "Needs 2026 and 2028", None)
        waves.add_wave(session, study, survey_by_slug(session, "needs-assessment"), None, "2026")
        waves.add_wave(session, study, survey_by_slug(session, "needs-2028"), None, "2028")
        db.commit()
        title = study.title
    db.dispose(app)
    return title


def test_committee_reads_the_change_over_time(live_server, axe_page, make_context, shot):  # noqa: F811
    base, found = live_server.url, []
    title = seeded(live_server)

    def check(page, where: str) -> None:
        shot(page, where)
        found.extend(axe_violations(page, where))
        if scroll_width(page) > NARROW["width"]:
            found.append(f"{where}: the page scrolls sideways at {NARROW['width']} px")

    researcher = axe_page
    researcher.set_viewport_size(NARROW)
    sign_in(researcher, base, *RESEARCHER)
    researcher.goto(f"{base}/research/publications")
    researcher.locator("input[name=title]").fill("Needs 2028")
    researcher.get_by_label(re.compile("Needs assessment", re.I)).last.check()
    researcher.locator("select[name=study]").select_option(label=title)
    researcher.locator("main form[method=post] button[value=preview]").click()
    researcher.wait_for_load_state()
    assert "Change over time" in researcher.locator("main").inner_text()
    check(researcher, "preview with the trend")
    researcher.locator("main form[method=post] button[value=publish]").click()
    researcher.wait_for_url(re.compile(r"/committee/\d+"))
    publication = researcher.url.split("?")[0]

    for lang in ("en", "ar"):
        member = make_context(viewport=dict(NARROW), bypass_csp=True).new_page()
        sign_in(member, base, *COMMITTEE[0], lang=lang)
        member.goto(f"{publication}?lang={lang}")
        assert html_lang_dir(member) == (lang, "rtl" if lang == "ar" else "ltr")
        section = member.locator("table.comparison").first
        assert section.is_visible()
        text = member.locator("main").inner_text()
        if lang == "en":
            assert f"Change over time: {title}" in text
            assert re.search(r"Rose from about \d+% to about \d+%", text), section.inner_text()
        else:
            assert "التغيّر مع الوقت" in text and "ارتفع من نحو" in text
        check(member, f"committee trend ({lang})")

    assert not found, f"{len(found)} problems:\n\n" + "\n\n".join(found)
