"""Save on one phone, resume on another: the answers follow the resume code."""

from __future__ import annotations

import pytest

from consult.i18n import language
from tests.browser.person import (
    REFERENCE,
    answer_page,
    consent,
    html_lang_dir,
    open_survey,
    press_next,
    stored_response,
    walk_survey,
)

pytestmark = pytest.mark.browser


def test_save_on_one_browser_and_resume_on_another(live_server, make_context, shot):
    farsi = language("fa")
    first = make_context(java_script_enabled=False).new_page()
    open_survey(first, live_server.url, farsi.own_name)
    consent(first)
    answer_page(first, "اجاره خیلی گران است")
    press_next(first)
    answer_page(first, "اجاره خیلی گران است")  # page 2, saved without pressing Next
    chosen = {
        box.get_attribute("name"): box.get_attribute("value")
        for box in first.locator("input[type=radio]:checked").all()
    }
    first.locator('button[name="action"][value="save"]').click()
    first.wait_for_load_state("load")
    assert chosen, "page 2 should have answered choices"
    code = first.locator(".reference").inner_text().strip()
    shot(first, "saved")
    assert len(code.replace("-", "")) == 10

    second = make_context(java_script_enabled=False).new_page()
    second.goto(f"{live_server.url}/resume?lang=fa")
    assert html_lang_dir(second) == ("fa", "rtl")
    second.locator("#code").fill(code.lower().replace("-", " "))
    second.locator("main form button[type=submit]").click()
    second.wait_for_load_state("load")
    shot(second, "resumed")
    assert "/p/" in second.url
    for name, value in chosen.items():
        assert second.locator(f'input[name="{name}"][value="{value}"]').is_checked(), name
    reference = walk_survey(second, "اجاره خیلی گران است")
    assert REFERENCE.match(reference)
    stored_language, answers = stored_response(live_server.database_url, reference)
    assert stored_language == "fa"
    assert answers["hardest_part"] == "اجاره خیلی گران است"
