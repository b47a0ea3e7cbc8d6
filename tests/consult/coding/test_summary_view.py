"""The theme summary sorts on the server (links, no JavaScript) and shows a chart beside
each table, with a text alternative naming its numbers."""

from __future__ import annotations

import base64
import re

from werkzeug.datastructures import MultiDict

from consult.coding.summary_view import Order
from tests.conftest import sign_in
from tests.consult.walker import complete

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
URL = "/research/coding/summary/needs-assessment"


def _row_themes(html: str) -> list[str]:
    table = html.split('class="prevalence"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr><th scope="row">([^<]+)</th>', table)


def test_an_order_comes_from_the_query_and_links_turn_it_round():
    assert Order.of(MultiDict()) == Order("respondents", True)
    assert Order.of(MultiDict({"sort": "theme"})) == Order("theme", False)
    assert Order.of(MultiDict({"sort": "units", "order": "asc"})) == Order("units", False)
    assert Order.of(MultiDict({"sort": "nonsense", "order": "asc"})) == Order()
    assert Order().link("respondents") == {"sort": "respondents", "order": "asc"}
    assert Order().link("theme") == {"sort": "theme", "order": "asc"}
    assert Order("theme", False).aria("theme") == "ascending"
    assert Order("theme", False).aria("units") is None


def test_the_summary_sorts_by_links_and_draws_a_chart_beside_each_table(app, client):
    for _ in range(2):
        complete(client, "needs-assessment", "en", text="The rent is too high.")
    complete(client, "needs-assessment", "fr", text="Je cherche un emploi.")
    sign_in(client, *RESEARCHER)

    page = client.get(f"{URL}?lang=en").text
    rows = _row_themes(page)
    assert rows[:2] == ["Housing", "Employment"]  # most raised first
    assert 'aria-sort="descending"><a href="/research/coding/summary/needs-assessment?sort=' in (
        page
    )
    assert f'href="{URL}?sort=theme&amp;order=asc">Theme</a>' in page

    by_theme = client.get(f"{URL}?sort=theme&order=asc&lang=en").text
    assert _row_themes(by_theme) == sorted(rows, key=str.casefold)
    assert "sorted by Theme (ascending)" in by_theme
    assert 'aria-sort="ascending"' in by_theme
    backwards = client.get(f"{URL}?sort=theme&order=desc&lang=en").text
    assert _row_themes(backwards) == sorted(rows, key=str.casefold, reverse=True)
    # the breakdown tables follow the same order
    language_table = by_theme.split('id="by-language"', 1)[1].split("</table>", 1)[0]
    listed = re.findall(r'<th scope="row">([^<]+)</th>', language_table)
    assert listed == sorted(listed, key=str.casefold)

    figures = re.findall(r'<figure class="chart">\s*<img src="([^"]+)" alt="([^"]+)"', page)
    assert len(figures) >= 3  # prevalence, by language, survey and focus groups
    src, alt = figures[0]
    assert "share of respondents raising each theme" in alt and "Housing: 67%" in alt
    svg = base64.b64decode(src.removeprefix("data:image/svg+xml;base64,"))
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert any("by language" in a for _src, a in figures)


def test_a_summary_with_no_theme_raised_draws_no_chart(app, client):
    complete(client, "needs-assessment", "en", text="Nothing to add")
    sign_in(client, *RESEARCHER)
    page = client.get(f"{URL}?lang=en")
    assert page.status_code == 200 and '<figure class="chart">' not in page.text
