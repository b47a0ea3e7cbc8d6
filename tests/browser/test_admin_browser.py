"""In Chromium: an admin invites a committee member with a one-time link; the new member
chooses a password, is signed in and reads a published summary; the admin sees the
invitation and the member's first sign-in in the audit log, in words. axe finds no WCAG
2.1 A/AA violation on any of these pages, and none scrolls sideways at 360 px.
"""

from __future__ import annotations

import re

import pytest

from consult import create_app, db
from tests.browser.test_accessibility import axe_checker, axe_page  # noqa: F401 (fixture)
from tests.consult.strategy.seed import seed_responses

pytestmark = pytest.mark.browser

ADMIN = ("admin@demo.consult.local", "demo-admin-password")
RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
NEW_MEMBER = "new.member@example.org"
NEW_PASSWORD = "a password of my own"


def _sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login?lang=en")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _published(live_server, page) -> str:
    """Responses enough for a summary, published by the researcher: its id."""
    app = create_app(
        {"TESTING": True, "DATABASE_URL": live_server.database_url, "SECRET_KEY": "seed"}
    )
    seed_responses(app)
    db.dispose(app)
    _sign_in(page, live_server.url, *RESEARCHER)
    page.goto(f"{live_server.url}/research/publications")
    page.locator("input[name=title]").fill("Needs 2026 for the committee")
    page.locator("input[name=surveys]").first.check()
    page.locator("button[value=publish]").click()
    page.wait_for_url(re.compile(r"/committee/\d+"))
    return re.search(r"/committee/(\d+)", page.url).group(1)


def test_an_admin_invites_a_committee_member_who_reads_a_summary(
    live_server,
    axe_page,  # noqa: F811
    make_context,
    shot,
):
    base, found = live_server.url, []
    publication = _published(live_server, make_context().new_page())

    admin = axe_page
    check = axe_checker(admin, shot, found)
    _sign_in(admin, base, *ADMIN)
    admin.goto(f"{base}/admin/users/")
    check("users")
    admin.locator("input[name=email]").fill(NEW_MEMBER)
    admin.locator("#invite-role-0").check()  # committee member
    admin.locator("main form button[type=submit]", has_text="Invite").click()
    admin.wait_for_load_state()
    check("invited: the one-time link")
    notice = admin.locator("main").inner_text()
    assert f"{NEW_MEMBER} now has an account as Committee member" in notice
    link = admin.locator("#one-time-link").input_value()
    assert link.startswith("http") and "/invitation/" in link

    member = make_context(bypass_csp=True).new_page()
    check_member = axe_checker(member, shot, found)
    member.goto(link.replace("http://localhost", base))
    check_member("invitation: choose a password")
    member.locator("input[name=new_password]").fill(NEW_PASSWORD)
    member.locator("input[name=again]").fill(NEW_PASSWORD)
    member.locator("main form button[type=submit]").click()
    member.wait_for_url(re.compile(r"/committee/$"))
    header = member.locator("header.site").inner_text()
    assert f"Signed in as {NEW_MEMBER}" in header and "Committee member" in header
    check_member("committee: published summaries")
    member.locator(f'a[href$="/committee/{publication}"]').first.click()
    member.wait_for_load_state()
    assert "Needs 2026 for the committee" in member.locator("main").inner_text()
    check_member("committee: the summary")
    assert member.locator("footer.site").count() == 0  # no newcomer privacy footer

    admin.goto(f"{base}/admin/users/")
    row = admin.locator("tr", has_text=NEW_MEMBER)
    assert "Active" in row.inner_text() and "never" not in row.inner_text()
    row.get_by_role("link", name=NEW_MEMBER).click()
    admin.wait_for_load_state()
    check("one user")
    admin.goto(f"{base}/admin/audit")
    words = admin.locator("main").inner_text()
    assert f"invited {NEW_MEMBER} as Committee member with a one-time link" in words
    assert "chose a password with a one-time link" in words
    check("audit log")

    assert not found, f"{len(found)} accessibility violations:\n\n" + "\n\n".join(found)
