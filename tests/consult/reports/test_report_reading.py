"""Committee pages read right in every language: a quote and its translation each in
its own direction, figures isolated, and a title per report language."""

from __future__ import annotations

import re

from sqlalchemy import select

from analysis.report import Quote, report_from_dict
from consult import db
from consult.coding.models import ApprovedQuote, TextUnitRow
from consult.reports.models import Publication
from consult.reports.pdf import render_pdf
from tests.conftest import csrf_from, sign_in
from tests.consult.reports.test_pdf_text import _lines
from tests.consult.reports.test_reports import COMMITTEE, RESEARCHER, publish
from tests.consult.seed import seed

ARABIC = "الإيجار مرتفع جدًا ولا أجد عملًا"
ENGLISH = "The rent is too high and I cannot find work"


def _approve_arabic_quote(app) -> None:
    with app.app_context():
        session = db.session()
        unit = session.scalars(select(TextUnitRow)).first()
        unit.translation, unit.translation_language = ENGLISH, "en"
        session.add(
            ApprovedQuote(
                partnership_id=unit.partnership_id,
                unit_id=unit.id,
                theme="housing",
                text=ARABIC,
                language="ar",
                translation=ENGLISH,
            )
        )
        db.commit()


def test_a_quote_and_its_translation_each_read_in_their_own_direction(app, client):
    seed(app)
    _approve_arabic_quote(app)
    publication_id = publish(client)
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    french = committee.get(f"/committee/{publication_id}?lang=fr").text
    assert f'<blockquote lang="ar" dir="rtl">{ARABIC}</blockquote>' in french
    assert f'<span lang="en" dir="ltr">{ENGLISH}</span></figcaption>' in french
    arabic = committee.get(f"/committee/{publication_id}?lang=ar").text
    assert f'<blockquote lang="ar" dir="rtl">{ARABIC}</blockquote>' in arabic
    assert ENGLISH not in arabic  # a quote in the reader's own language needs none
    with app.app_context():
        snapshot = db.session().get(Publication, publication_id).snapshot
    [quote] = next(
        f for f in report_from_dict(snapshot["fr"]).findings if f.key == "housing"
    ).quotes
    assert quote == Quote(ARABIC, "ar", ENGLISH, "en")
    with app.test_request_context("/"):
        data = render_pdf(report_from_dict(snapshot["fr"]))
    lines = [line.text for line in _lines(data)]
    assert ENGLISH in lines  # a line of its own, left to right
    assert any("الإيجار مرتفع" in line and ENGLISH not in line for line in lines)


def test_an_older_snapshot_with_quotes_as_text_still_reads():
    finding = {"key": "housing", "label": "Housing", "respondents": 5, "share": 0.5}
    finding |= {"low": 0.2, "high": 0.8, "quotes": ["Rent — Loyer"]}
    data = {"title": "T", "language": "en", "respondents": 10, "period": ["a", "b"]}
    data |= {"languages": [], "findings": [finding], "tables": [], "threshold": 5}
    report = report_from_dict(data)
    assert report.findings[0].quotes == (Quote("Rent — Loyer"),)
    assert not report.title_fallback


def test_figures_with_a_range_are_isolated_on_right_to_left_pages(app, client):
    seed(app)
    publication_id = publish(client)
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    arabic = committee.get(f"/committee/{publication_id}?lang=ar").text
    figures = re.findall(r'<bdi dir="ltr">(\d+%&nbsp;\(\d+–\d+%\))</bdi>', arabic)
    assert figures and len(figures) == len(re.findall(r"\d+%&nbsp;\(", arabic))


def test_a_publication_has_a_title_per_language_falling_back_to_english_marked(app, client):
    seed(app)
    sign_in(client, *RESEARCHER)
    page = client.get("/research/publications")
    assert 'name="title-ar"' in page.text and 'name="title-en"' not in page.text
    response = client.post(
        "/research/publications",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "Spring needs assessment",
            "title-ar": "تقييم احتياجات الربيع",
            "surveys": ["1"],
            "focus_groups": "yes",
        },
    )
    assert response.status_code == 302
    publication_id = int(response.headers["Location"].rsplit("/", 1)[1])
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    arabic = committee.get(f"/committee/{publication_id}?lang=ar").text
    assert "<h1>تقييم احتياجات الربيع</h1>" in arabic
    french = committee.get(f"/committee/{publication_id}?lang=fr").text
    assert '<h1><span lang="en" dir="ltr">Spring needs assessment</span>' in french
    assert 'class="fallback-note"' in french
    index = committee.get("/committee/?lang=ar").text
    assert "تقييم احتياجات الربيع" in index
    with app.app_context():
        snapshot = db.session().get(Publication, publication_id).snapshot
    assert report_from_dict(snapshot["fr"]).title_fallback
    assert not report_from_dict(snapshot["en"]).title_fallback


def test_a_chart_with_nothing_to_show_is_left_out_and_said_so_in_one_line(app):
    from analysis.report import Report, ReportTable, ThemeFinding
    from consult.reports.render import charts_left_out, charts_of, render_html

    hidden = ReportTable(
        "area", "By area", ("North", "Rural"), (None, None), (("Housing", (None, None)),)
    )
    shown = ReportTable("age", "By age", ("18-34", "35+"), (12, 9), (("Housing", (6, None)),))
    finding = ThemeFinding("housing", "Housing", None, None, None, None)
    report = Report("Small", "en", 21, ("a", "b"), (), (finding,), (hidden, shown), 5)
    with app.test_request_context("/"):
        charts = charts_of(report)
        assert [c.name for c in charts] == ["table-2"]  # no prevalence, no "By area"
        assert charts_left_out(report) == ["Themes raised, by share of respondents", "By area"]
        html = render_html(report, charts=charts)
    assert html.count("<figure>") == 1
    assert "No chart is drawn for Themes raised, by share of respondents; By area" in html
