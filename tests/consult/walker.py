"""Answer a survey through the web pages the way a person would, without JavaScript."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The named inputs of a page's survey form: radios, checkboxes, text, textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.radios: dict[str, list[str]] = {}
        self.checkboxes: dict[str, list[str]] = {}
        self.texts: dict[str, str] = {}
        self.selects: dict[str, list[str]] = {}
        self.csrf = ""
        self.hidden: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if name == "csrf_token":
                self.csrf = a.get("value", "")
            elif kind == "hidden":
                self.hidden[name] = a.get("value", "")
            elif kind == "radio":
                self.radios.setdefault(name, []).append(a["value"])
            elif kind == "checkbox":
                self.checkboxes.setdefault(name, []).append(a["value"])
            elif kind not in {"hidden", "submit"}:
                self.texts[name] = a.get("inputmode", "text")
        elif tag == "textarea" and name:
            self.texts[name] = "textarea"
        elif tag == "select" and name:
            self._select = name
            self.selects[name] = []
        elif tag == "option" and self._select and a.get("value"):
            self.selects[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def fields_of(html: str) -> FormFields:
    parser = FormFields()
    parser.feed(html)
    return parser


def fill(fields: FormFields, text: str = "Finding a family doctor and rent is hard.") -> dict:
    """A complete, valid answer to every field on the page."""
    data: dict[str, object] = {"csrf_token": fields.csrf, "action": "next", **fields.hidden}
    for name, values in fields.radios.items():
        data[name] = values[0]
    for name, values in fields.checkboxes.items():
        data[name] = [values[0]]
    for name, values in fields.selects.items():
        data[name] = values[0]
    for name, kind in fields.texts.items():
        data[name] = "2" if kind in {"numeric", "decimal"} else text
    return data


_PAGE = re.compile(r"Page (\d+) of (\d+)")


def start(client, slug: str, lang: str = "en"):
    """Open the survey in ``lang`` and consent; return the first page."""
    consent = client.get(f"/s/{slug}/?lang={lang}")
    assert consent.status_code == 200
    token = fields_of(consent.text).csrf
    response = client.post(
        f"/s/{slug}/consent?lang={lang}", data={"csrf_token": token, "consent": "yes"}
    )
    assert response.status_code == 302
    return client.get(response.headers["Location"])


def complete(client, slug: str, lang: str = "en", text: str = "Rent is too high.", limit=60):
    """Answer every page with valid values and submit; return the final response."""
    page = start(client, slug, lang)
    for _ in range(limit):
        assert page.status_code == 200, page.text[:500]
        action = re.search(r'action="([^"]+/p/\d+)"', page.text).group(1)
        response = client.post(action, data=fill(fields_of(page.text), text))
        if response.status_code == 200 and 'role="status"' in response.text:
            page = response  # skip logic showed more questions on the same page
            continue
        if response.status_code != 302:
            raise AssertionError("page did not accept valid answers:\n" + response.text[:3000])
        location = response.headers["Location"]
        if location.endswith("/done"):
            return client.get(location)
        page = client.get(location)
    raise AssertionError("survey did not finish")
