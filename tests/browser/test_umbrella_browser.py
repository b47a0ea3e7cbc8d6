"""In Chromium: the umbrella analyst reads core indicators of two partnerships, side by side
and pooled, at 1280 px and 360 px, in English and Arabic; the admin's sharing controls and
the researchers' question bank. axe finds no WCAG 2.1 A/AA violation, and no page scrolls
sideways at 360 px."""

from __future__ import annotations

import pytest

from consult import create_app, db
from consult.auth.services import find_partnership
from consult.demo import UMBRELLA_ACCOUNTS, load_umbrella
from tests.browser.test_accessibility import axe_checker, axe_page  # noqa: F401 (fixture)
from tests.browser.test_admin_browser import ADMIN, RESEARCHER, _sign_in

pytestmark = pytest.mark.browser


def _umbrella_demo(live_server) -> None:
    """What `consult demo` adds for umbrella analysts: a second partnership, answers, sharing."""
    app = create_app(
        {"TESTING": True, "DATABASE_URL": live_server.database_url, "SECRET_KEY": "seed"}
    )
    with app.app_context():
        session = db.session()
        load_umbrella(session, find_partnership(session, "demo-lip"))
        db.commit()
    db.dispose(app)


def test_the_umbrella_analyst_reads_core_indicators_side_by_side_and_pooled(
    live_server,
    axe_page,  # noqa: F811
    make_context,
    shot,
):
    base, found = live_server.url, []
    _umbrella_demo(live_server)
    email, password, _role = UMBRELLA_ACCOUNTS[0]

    wide = make_context(bypass_csp=True, viewport={"width": 1280, "height": 900}).new_page()
    _sign_in(wide, base, email, password)
    assert wide.url.endswith("/umbrella/")
    main = wide.locator("main").inner_text()
    assert "Riverside" in main and "Lakeside" in main and "All partnerships together" in main
    assert "How long have you lived in Canada?" in main
    shot(wide, "umbrella at 1280 px")
    found += [f"1280 px: {line}" for line in _violations(wide)]
    assert wide.locator("th", has_text="Respondents").count() == 6  # one table per bank question

    narrow = axe_page
    check = axe_checker(narrow, shot, found)
    _sign_in(narrow, base, email, password)
    check("umbrella at 360 px")
    narrow.goto(f"{base}/umbrella/?lang=ar")
    assert narrow.locator("html").get_attribute("dir") == "rtl"
    check("umbrella in Arabic at 360 px")
    narrow.goto(f"{base}/research/")
    assert "403" in narrow.title() or narrow.locator("main").inner_text()  # refused, no data

    admin = make_context(bypass_csp=True).new_page()
    check_admin = axe_checker(admin, shot, found)
    _sign_in(admin, base, *ADMIN)
    admin.goto(f"{base}/admin/settings?lang=en")
    assert "Stop sharing" in admin.locator("main").inner_text()
    check_admin("settings: sharing core indicators")
    admin.goto(f"{base}/research/bank?lang=en")
    check_admin("the question bank")

    researcher = make_context(bypass_csp=True).new_page()
    _sign_in(researcher, base, *RESEARCHER)
    researcher.goto(f"{base}/research/bank?lang=fa")
    assert researcher.locator("html").get_attribute("dir") == "rtl"
    axe_checker(researcher, shot, found)("the question bank in Farsi")

    assert not found, f"{len(found)} accessibility violations:\n\n" + "\n\n".join(found)


def _violations(page) -> list[str]:
    from tests.browser.test_accessibility import axe_violations

    return axe_violations(page, "umbrella")
