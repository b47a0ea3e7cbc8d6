"""Every survey page loads in at most 50 KB on the wire, all from Consult itself.

Bytes are what Chromium reports (CDP ``Network.loadingFinished``
``encodedDataLength``: headers and body as transferred) for one page load
with the cache off: the HTML, the CSS and anything else the page pulls in.
The figures are written to ``test-artifacts/page-weight.json`` for the bench.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from consult.i18n import UI_LANGUAGES
from tests.browser.conftest import ARTIFACTS
from tests.browser.person import (
    SLUG,
    answer_page,
    consent,
    page_number,
    press_next,
    text_for,
)

pytestmark = pytest.mark.browser

BUDGET = 50 * 1024
WEIGHTS = ARTIFACTS / "page-weight.json"


class WireMeter:
    """Bytes on the wire and hosts asked, per page load, from the DevTools protocol."""

    def __init__(self, page) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.failed: list[str] = []
        self.done_failed: set[str] = set()
        self.cdp.on("Network.requestWillBeSent", self._request)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)

    def _request(self, event) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event) -> None:
        self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    def _failed(self, event) -> None:
        self.done_failed.add(event["requestId"])
        self.failed.append(self.urls.get(event["requestId"], event["requestId"]))

    def load(self, url: str) -> dict:
        """Load ``url`` afresh; what it cost, request by request."""
        self.urls.clear()
        self.sizes.clear()
        self.failed.clear()
        self.done_failed.clear()
        self.page.goto(url, wait_until="load")
        for _ in range(100):  # requests started by the page (a favicon, say) finish too
            if all(rid in self.sizes or rid in self.done_failed for rid in self.urls):
                break
            self.page.wait_for_timeout(20)
        requests = {self.urls.get(rid, rid): size for rid, size in self.sizes.items()}
        hosts = {urlsplit(u).hostname for u in self.urls.values() if not u.startswith("data:")}
        return {
            "url": url,
            "bytes": sum(self.sizes.values()),
            "requests": requests,
            "hosts": sorted(h or "" for h in hosts),
            "failed": list(self.failed),
        }


def _check(load: dict, where: str) -> list[str]:
    problems = []
    if load["bytes"] > BUDGET:
        detail = ", ".join(f"{u} {n} B" for u, n in load["requests"].items())
        problems.append(f"{where}: {load['bytes']} B > {BUDGET} B ({detail})")
    if load["hosts"] != ["127.0.0.1"]:
        problems.append(f"{where}: requests to {load['hosts']}")
    if load["failed"]:
        problems.append(f"{where}: failed requests {load['failed']}")
    return problems


def test_survey_pages_fit_the_budget(live_server, make_context):
    page = make_context().new_page()
    meter = WireMeter(page)
    weights: dict[str, dict[str, int]] = {}
    problems: list[str] = []

    def record(lang: str, name: str, url: str) -> None:
        load = meter.load(url)
        weights.setdefault(lang, {})[name] = load["bytes"]
        problems.extend(_check(load, f"{lang} {name}"))

    for lang in UI_LANGUAGES:
        record(lang, "index", f"{live_server.url}/?lang={lang}")
        record(lang, "consent", f"{live_server.url}/s/{SLUG}/?lang={lang}")
        consent(page)
        record(lang, "page 1", page.url)
        if lang not in {"en", "ar"}:
            page.context.clear_cookies()
            continue
        # Every page of the survey in English and Arabic.
        while True:
            number = page_number(page)
            answer_page(page, text_for(lang))
            press_next(page)
            if page.url.endswith("/done"):
                record(lang, "confirmation", page.url)
                break
            if page_number(page) != number:
                record(lang, f"page {page_number(page)}", page.url)
        page.context.clear_cookies()

    ARTIFACTS.mkdir(exist_ok=True)
    WEIGHTS.write_text(json.dumps({"budget": BUDGET, "bytes": weights}, indent=2) + "\n")
    for lang, pages in weights.items():
        print(lang, " ".join(f"{name}={size}" for name, size in pages.items()))
    assert len(weights["en"]) >= 12 and len(weights["ar"]) >= 12, weights
    assert not problems, "\n".join(problems)
