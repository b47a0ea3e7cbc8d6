"""A newcomer in the browser: picks a language, consents, answers each page, sends.

Everything happens through clicks and typing on what the page shows: labels of
choices, text boxes, the Next button. Works the same with JavaScript off.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urljoin

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.db import make_engine
from consult.models import Response
from tests.consult.walker import fields_of, fill

SLUG = "needs-assessment"
REFERENCE = re.compile(r"^[23456789A-Z]{4}-[23456789A-Z]{4}$")
TEXT_ANSWERS = {
    "en": "Finding a family doctor and paying the rent are the hardest things.",
    "ar": "إيجاد طبيب أسرة ودفع الإيجار هما أصعب شيء.",
    "zh-Hans": "找家庭医生和付房租是最难的。",
}
DEFAULT_TEXT = "Rent is too high and the bus does not come often."


def text_for(lang: str) -> str:
    return TEXT_ANSWERS.get(lang, DEFAULT_TEXT)


def scroll_width(page) -> int:
    """The document's width: more than the viewport means sideways scrolling."""
    return page.evaluate("document.documentElement.scrollWidth")


def html_lang_dir(page) -> tuple[str | None, str | None]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def open_survey(page, base_url: str, own_name: str) -> None:
    """From the front page: the language by its own name, then the demo survey."""
    page.goto(base_url + "/")
    page.locator("nav.languages").get_by_role("link", name=own_name, exact=True).click()
    page.locator(f'.cards a[href*="/s/{SLUG}/"]').click()


def consent(page) -> None:
    page.locator('button[name="consent"][value="yes"]').click()
    page.wait_for_url(re.compile(r"/p/1$"))


def page_number(page) -> int:
    match = re.search(r"/p/(\d+)$", page.url)
    return int(match.group(1)) if match else 0


def required_questions(page) -> list[str]:
    """Ids (``q-<name>``) of the questions the page marks as required."""
    return [q.get_attribute("id") or "" for q in page.locator(".question:has(.required)").all()]


def answer_page(page, text: str) -> list[str]:
    """Answer every question shown, like a person would; return the names answered."""
    answered: list[str] = []
    form = page.locator("main form[method=post]")
    for group in form.locator("fieldset.question").all():
        name = (group.get_attribute("id") or "")[2:]
        if not group.locator("input:checked").count():
            group.locator(".choice label").first.click()
        answered.append(name)
    for box in form.locator("div.question > .choice > input[type=checkbox]").all():
        if not box.is_checked():
            form.locator(f'label[for="{box.get_attribute("id")}"]').click()
        answered.append(box.get_attribute("name") or "")
    for area in form.locator("textarea").all():
        if not area.input_value():
            area.click()
            area.fill(text)
        answered.append(area.get_attribute("name") or "")
    for box in form.locator("input[type=text]").all():
        if not box.input_value():
            kind = box.get_attribute("inputmode")
            box.click()
            box.press_sequentially("2" if kind in {"numeric", "decimal"} else text[:40])
        answered.append(box.get_attribute("name") or "")
    for choice in form.locator("select").all():
        if not choice.input_value():
            choice.select_option(index=1)
        answered.append(choice.get_attribute("name") or "")
    for box in form.locator("input[type=date]").all():
        if not box.input_value():
            box.fill("2024-05-01")
        answered.append(box.get_attribute("name") or "")
    return answered


def press_next(page) -> None:
    page.locator('button[name="action"][value="next"]').click()
    page.wait_for_load_state("load")


def walk_survey(page, text: str, on_page=None, limit: int = 40) -> str:
    """From page 1, answer and press Next until the confirmation; return its reference.

    ``on_page(page, number)`` is called on each page once it has loaded.
    """
    stays = 0
    for _ in range(limit):
        number = page_number(page)
        assert number, f"expected a survey page, got {page.url}"
        if on_page:
            on_page(page, number)
        required = set(required_questions(page))
        answered = {f"q-{name}" for name in answer_page(page, text)}
        missing = required - answered
        assert not missing, f"page {number}: required questions left unanswered: {missing}"
        press_next(page)
        if page.url.endswith("/done"):
            return page.locator(".reference").inner_text().strip()
        # The same page again: skip logic showed more questions (or refused an answer).
        stays = stays + 1 if page_number(page) == number else 0
        assert stays < 3, "the page keeps refusing answers:\n" + page.locator("main").inner_text()
    raise AssertionError("the survey did not finish")


def finish_over_http(page, text: str, limit: int = 40) -> str:
    """Send the remaining pages from the context's own HTTP client (same cookies), then
    show the confirmation in the page. Quicker than clicking when the pages in between
    are not what a test looks at."""
    request = page.context.request
    url, html = page.url, page.content()
    for _ in range(limit):
        action = re.search(r'action="([^"]+/p/\d+)"', html)
        assert action, f"no survey form at {url}"
        response = request.post(
            urljoin(url, action.group(1)),
            data=urlencode(fill(fields_of(html), text), doseq=True),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert response.ok, f"{response.status} at {response.url}"
        url, html = response.url, response.text()
        if url.endswith("/done"):
            page.goto(url)
            return page.locator(".reference").inner_text().strip()
    raise AssertionError("the survey did not finish")


def stored_response(database_url: str, reference: str) -> tuple[str, dict]:
    """The stored response's language and answers, read straight from the database."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            response = session.scalars(
                select(Response).where(Response.reference == reference)
            ).one()
            return response.language, {a.question: a.value for a in response.answers}
    finally:
        engine.dispose()
