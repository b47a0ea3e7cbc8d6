import csv
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from analysis.report import every_count, report_from_dict
from consult import db
from consult.reports.models import Publication
from tests.conftest import csrf_from, sign_in
from tests.consult.seed import TOTAL, TRUE_COUNTS, seed

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
COMMITTEE = ("committee@demo.consult.local", "demo-committee-password")


def publish(client, breakdowns=("years_in_canada", "area")):
    sign_in(client, *RESEARCHER)
    page = client.get("/research/publications")
    response = client.post(
        "/research/publications",
        data={
            "csrf_token": csrf_from(page.text),
            "title": "Spring needs assessment",
            "surveys": ["1"],
            "breakdowns": list(breakdowns),
            "focus_groups": "yes",
        },
    )
    assert response.status_code == 302, response.text[:500]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_published_summary_shows_exactly_the_true_counts_and_suppresses_small_cells(app, client):
    seed(app)
    publication_id = publish(client)
    with app.app_context():
        publication = db.session().get(Publication, publication_id)
        report = report_from_dict(publication.snapshot["en"])
        french = report_from_dict(publication.snapshot["fr"])
    assert report.respondents == TOTAL
    found = {f.key: f.respondents for f in report.findings}
    assert found["housing"] == TRUE_COUNTS["housing"]
    assert found["employment"] == TRUE_COUNTS["employment"]
    assert found["discrimination"] is None  # 2 < 5: suppressed
    assert [f.key for f in report.findings][:2] == ["housing", "employment"]
    housing = next(f for f in report.findings if f.key == "housing")
    assert abs(housing.share - 20 / 34) < 1e-9 and housing.low < housing.share < housing.high
    assert all(c == 0 or c >= report.threshold for c in every_count(report))
    years = next(t for t in report.tables if t.attribute == "years_in_canada")
    assert None in years.group_totals  # the group of 2 is hidden, and what would reveal it
    assert {f.key for f in french.findings} == {f.key for f in report.findings}
    assert next(f for f in french.findings if f.key == "housing").label == "Logement"


def test_committee_reads_html_pdf_csv_and_charts_with_nothing_small(app, client):
    seed(app)
    publication_id = publish(client)
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    index = committee.get("/committee/")
    assert "Spring needs assessment" in index.text
    page = committee.get(f"/committee/{publication_id}?lang=en")
    assert page.status_code == 200
    assert 'lang="en"' in page.text
    housing_row = page.text.split(">Housing<", 1)[1].split("</tr>", 1)[0]
    assert "<td>20</td>" in housing_row and "59%" in housing_row
    discrimination_row = page.text.split(">Racism and discrimination<", 1)[1].split("</tr>", 1)[0]
    assert "fewer than 5" in discrimination_row and "<td>2</td>" not in discrimination_row
    assert "People were racist to me" not in page.text  # raw text never reaches the committee
    assert '<img src="data:image/svg+xml;base64,' in page.text and 'alt="Bar chart' in page.text
    french = committee.get(f"/committee/{publication_id}?lang=fr")
    assert 'lang="fr"' in french.text and "Logement" in french.text
    pdf = committee.get(f"/committee/{publication_id}/report.pdf?lang=en")
    assert pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Key findings" in text and "Housing" in text and "20" in text
    assert "fewer than 5" in text and "racist" not in text
    rows = list(
        csv.reader(
            io.StringIO(committee.get(f"/committee/{publication_id}/report.csv?lang=en").text)
        )
    )
    by_theme = {r[0]: r for r in rows[1:]}
    assert by_theme["Housing"][1] == "20" and by_theme["Racism and discrimination"][1] == ""
    svg = committee.get(f"/committee/{publication_id}/chart-prevalence.svg?lang=en").data.decode()
    assert "Housing" in svg and "Racism" not in svg
    html = committee.get(f"/committee/{publication_id}/report.html?lang=en")
    assert "<style>" in html.text and "fewer than 5" in html.text


def test_committee_members_never_see_raw_responses_or_other_partnerships(app, client):
    seed(app)
    publication_id = publish(client)
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    assert committee.get("/research/surveys/needs-assessment/responses").status_code == 403
    assert committee.get("/research/coding/").status_code == 403
    assert committee.get(f"/committee/{publication_id + 1}").status_code == 404
    assert app.test_client().get(f"/committee/{publication_id}").status_code == 302


def test_report_command_writes_every_file(app, runner, tmp_path):
    seed(app)
    out = tmp_path / "report"
    result = runner.invoke(args=["report", "needs-assessment", "--lang", "fr", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {
        "report.html",
        "report.pdf",
        "findings.csv",
        "chart-prevalence.png",
        "chart-prevalence.svg",
    } <= names
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in html and "Logement" in html
    assert not re.search(r"<td>[1-4]</td>", html)
    assert (out / "chart-prevalence.png").read_bytes().startswith(b"\x89PNG")
    assert "Spring" not in html


def test_publication_form_keeps_values_and_explains_errors(client):
    sign_in(client, *RESEARCHER)
    page = client.get("/research/publications")
    response = client.post(
        "/research/publications",
        data={"csrf_token": csrf_from(page.text), "title": "Draft <b>", "since": "2024-99-99"},
    )
    assert response.status_code == 200
    assert "Choose at least one survey." in response.text
    assert "Please enter a date" in response.text
    assert 'value="Draft &lt;b&gt;"' in response.text
    with client.application.app_context():
        assert db.session().scalars(select(Publication)).all() == []
