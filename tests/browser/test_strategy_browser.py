"""In Chromium: from findings to a settlement-strategy draft.

A researcher imports a 40-service inventory, publishes a summary and opens a
priority round on it; three committee members vote (one in Arabic, one with
JavaScript off); the researcher closes the round; the strategy draft's PDF
shows the priorities and the gap figures. Committee pages are checked by axe
and must not scroll sideways at 320 px, left to right and right to left.
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from consult import create_app, db
from tests.browser.person import html_lang_dir, scroll_width
from tests.browser.test_accessibility import axe_page, axe_violations  # noqa: F401 (fixture)
from tests.consult.strategy.seed import COMMITTEE, RESEARCHER, add_committee_members, seed_responses

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
THEMES = ("housing", "employment", "language_training", "health", "income")
LANGUAGES = ("en", "fr", "ar; en", "Somali", "zh-Hans", "Punjabi; English")
AREAS = ("all", "downtown", "north", "south; east", "west", "rural")


def inventory_xlsx(path, count: int = 39) -> None:
    """A 40-service inventory: ``count`` generated services and one housing service in
    Arabic, in the north (the only housing offered in Arabic)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["Organisation", "Service", "Themes", "Languages", "Areas", "Description", "Contact"]
    )
    for n in range(count):
        theme = THEMES[n % len(THEMES)]
        languages = LANGUAGES[n % len(LANGUAGES)]
        if theme == "housing" and "ar" in languages:
            languages = "en"
        sheet.append(
            [
                f"Agency {n // 4 + 1}",
                f"Service {n + 1}",
                theme,
                languages,
                AREAS[n % len(AREAS)],
                "",
                f"613 555 01{n:02d}",
            ]
        )
    sheet.append(
        [
            "Arab Community Association",
            "Tenant rights",
            "housing",
            "Arabic",
            "north",
            "Help with rent and leases",
            "",
        ]
    )
    workbook.save(path)


def seeded(live_server) -> None:
    app = create_app(
        {"TESTING": True, "DATABASE_URL": live_server.database_url, "SECRET_KEY": "seed"}
    )
    seed_responses(app)
    add_committee_members(app)
    db.dispose(app)


def sign_in(page, base: str, email: str, password: str, lang: str = "en") -> None:
    page.goto(f"{base}/login?lang={lang}")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_strategy_draft(live_server, axe_page, make_context, shot, tmp_path):  # noqa: F811
    base, found = live_server.url, []
    seeded(live_server)
    inventory = tmp_path / "inventory.xlsx"
    inventory_xlsx(inventory)

    def check(page, where: str, width: int) -> None:
        shot(page, where)
        found.extend(axe_violations(page, where))
        if scroll_width(page) > width:
            found.append(f"{where}: the page scrolls sideways at {width} px")

    researcher = axe_page
    sign_in(researcher, base, *RESEARCHER)
    researcher.goto(f"{base}/research/services/import")
    check(researcher, "import form", 360)
    researcher.locator("input[type=file]").set_input_files(str(inventory))
    researcher.locator("main form button[type=submit]").click()
    researcher.wait_for_url(re.compile(r"/research/services/$"))
    assert "40 services added, 0 updated." in researcher.locator("main").inner_text()
    check(researcher, "inventory", 360)

    researcher.goto(f"{base}/research/publications")
    researcher.locator("input[name=title]").fill("Needs assessment 2026")
    researcher.locator("input[name=surveys]").first.check()
    researcher.locator("input[name=breakdowns][value=area]").check()
    researcher.locator("main form[method=post] button[value=publish]").click()
    researcher.wait_for_url(re.compile(r"/committee/\d+"))

    researcher.goto(f"{base}/research/rounds/")
    researcher.get_by_role("link", name=re.compile("Open a priority round")).first.click()
    check(researcher, "open a round", 360)
    researcher.locator("main form[method=post] button[type=submit]").click()
    researcher.wait_for_url(re.compile(r"/research/rounds/\d+$"))
    round_id = re.search(r"/research/rounds/(\d+)", researcher.url).group(1)

    members = []
    for index, (email, password) in enumerate(COMMITTEE):
        lang = "ar" if index == 1 else "en"
        context = make_context(
            viewport=dict(NARROW), bypass_csp=True, java_script_enabled=index != 2
        )
        member = context.new_page()
        sign_in(member, base, email, password, lang)
        member.goto(f"{base}/committee/rounds/{round_id}?lang={lang}")
        assert html_lang_dir(member) == (lang, "rtl" if lang == "ar" else "ltr")
        if index < 2:
            check(member, f"ballot ({lang})", NARROW["width"])
        places = {0: ("1", "2", "3"), 1: ("2", "1", "3"), 2: ("1", "3", "2")}[index]
        for field, place in zip(("option-1", "option-2", "option-3"), places, strict=True):
            member.locator(f"select[name={field}]").select_option(place)
        member.locator("main form[method=post] button[type=submit]").click()
        member.wait_for_load_state()
        assert member.locator("p.notice[role=status]").count() == 1
        members.append(member)

    gap_page = members[0]
    gap_page.goto(f"{base}/committee/rounds/")
    gap_page.get_by_role("link", name=re.compile("Gap map")).first.click()
    assert "The largest gaps" in gap_page.locator("main").inner_text()
    check(gap_page, "gap map (en)", NARROW["width"])
    members[1].goto(gap_page.url.split("?")[0] + "?lang=ar")
    assert html_lang_dir(members[1]) == ("ar", "rtl")
    check(members[1], "gap map (ar)", NARROW["width"])

    researcher.goto(f"{base}/research/rounds/{round_id}")
    assert "3 of 3 committee members have voted" in researcher.locator("main").inner_text()
    researcher.locator("main form[method=post] button[type=submit]").click()
    researcher.wait_for_load_state()
    assert "3 of 3 committee members voted (100%)." in researcher.locator("main").inner_text()

    member = members[0]
    member.goto(f"{base}/committee/rounds/{round_id}?lang=en")
    check(member, "results (en)", NARROW["width"])
    first_option = member.locator("main table tbody tr").first.locator("th").inner_text().strip()
    members[1].goto(f"{base}/committee/rounds/{round_id}?lang=ar")
    check(members[1], "results (ar)", NARROW["width"])
    pdf = member.context.request.get(f"{base}/committee/rounds/{round_id}/strategy.pdf?lang=en")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Settlement strategy draft" in text and "Priority 1" in text
    assert first_option.split(" — ")[0] in text
    assert "Gap score" in text and re.search(r"\d+%", text)
    arabic = members[1].context.request.get(
        f"{base}/committee/rounds/{round_id}/strategy.pdf?lang=ar"
    )
    assert arabic.ok and PdfReader(io.BytesIO(arabic.body())).pages

    assert not found, f"{len(found)} problems:\n\n" + "\n\n".join(found)
