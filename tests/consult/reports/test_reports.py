import csv
import io
import re
from dataclasses import replace

from pypdf import PdfReader
from sqlalchemy import select

from analysis.disclosure import ProtectedCounts, theme_id
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


def stored(app, publication_id):
    """The publication's reports, protected counts and true counts (for checking)."""
    with app.app_context():
        publication = db.session().get(Publication, publication_id)
        version = publication.versions[-1]
        counts = ProtectedCounts.from_dict(version.counts)
        return publication.snapshot, counts, version


def test_published_summary_rounds_every_count_and_derives_everything_from_them(app, client):
    seed(app)
    publication_id = publish(client)
    snapshot, counts, version = stored(app, publication_id)
    report, french = report_from_dict(snapshot["en"]), report_from_dict(snapshot["fr"])
    assert version.version == 1 and version.reason == "published"
    assert abs(report.respondents - TOTAL) < 5 and report.respondents % 5 == 0
    found = {f.key: f.respondents for f in report.findings}
    assert found["housing"] == TRUE_COUNTS["housing"]  # 20 is a multiple of 5: kept
    assert found["employment"] in (10, 15) and found["discrimination"] in (0, 5)
    assert [f.key for f in report.findings][0] == "housing"
    housing = next(f for f in report.findings if f.key == "housing")
    assert housing.share == 20 / report.respondents  # from published counts only
    assert housing.low < housing.share < housing.high
    assert all(c % 5 == 0 for c in every_count(report))
    assert report.base == 5 and counts.values[theme_id("housing")] == 20
    years = next(t for t in report.tables if t.attribute == "years_in_canada")
    assert len(years.groups) == 6  # every choice and "not stated", whoever answered
    assert {f.key for f in french.findings} == {f.key for f in report.findings}
    assert next(f for f in french.findings if f.key == "housing").label == "Logement"
    assert french.findings == tuple(
        replace(f, label=g.label, label_fallback=g.label_fallback)
        for f, g in zip(report.findings, french.findings, strict=True)
    )  # the same counts in every language


def test_committee_reads_html_pdf_csv_and_charts_with_nothing_small(app, client):
    seed(app)
    publication_id = publish(client)
    _snapshot, counts, _version = stored(app, publication_id)
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    index = committee.get("/committee/")
    assert "Spring needs assessment" in index.text
    page = committee.get(f"/committee/{publication_id}?lang=en")
    assert page.status_code == 200
    assert 'lang="en"' in page.text
    housing_row = page.text.split(">Housing<", 1)[1].split("</tr>", 1)[0]
    assert "<td>20</td>" in housing_row
    assert f"{100 * 20 / counts.total:.0f}%" in housing_row
    assert "rounded at random to a multiple of 5" in page.text
    assert not re.search(r"<td>[1-4]</td>", page.text)
    assert "People were racist to me" not in page.text  # raw text never reaches the committee
    assert '<img src="data:image/svg+xml;base64,' in page.text and 'alt="Bar chart' in page.text
    french = committee.get(f"/committee/{publication_id}?lang=fr")
    assert 'lang="fr"' in french.text and "Logement" in french.text
    pdf = committee.get(f"/committee/{publication_id}/report.pdf?lang=en")
    assert pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Key findings" in text and "Housing" in text and "20" in text
    assert "rounded at random" in text and "racist" not in text
    rows = list(
        csv.reader(
            io.StringIO(committee.get(f"/committee/{publication_id}/report.csv?lang=en").text)
        )
    )
    by_theme = {r[0]: r for r in rows[1:]}
    assert by_theme["Housing"][1] == "20"
    assert by_theme["Health and mental health"][1] == "fewer than 5"  # nobody: still honest
    svg = committee.get(f"/committee/{publication_id}/chart-prevalence.svg?lang=en").data.decode()
    assert "Housing" in svg and "Health" not in svg
    html = committee.get(f"/committee/{publication_id}/report.html?lang=en")
    assert "<style>" in html.text and "rounded at random" in html.text


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
    assert "arrondi" in html  # the method, in the report's language
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


def test_the_researcher_previews_what_will_be_published_and_nothing_is_stored(app, client):
    seed(app)
    sign_in(client, *RESEARCHER)
    page = client.get("/research/publications")
    data = {
        "csrf_token": csrf_from(page.text),
        "title": "Preview only",
        "surveys": ["1"],
        "breakdowns": ["area"],
        "focus_groups": "yes",
        "action": "preview",
    }
    preview = client.post("/research/publications", data=data)
    assert preview.status_code == 200
    text = preview.text
    assert "Preview: what the committee will read" in text
    assert "True count" in text and "<td>34</td>" in text  # researchers see the true total
    discrimination = text.split(">Racism and discrimination<", 1)[1].split("</tr>", 1)[0]
    assert "<td>2</td>" in discrimination  # true 2, beside what the committee will read
    assert "Nothing needs to be hidden" in text
    assert 'value="Preview only"' in text  # the form keeps what was typed
    with app.app_context():
        assert db.session().scalars(select(Publication)).all() == []


def test_a_summary_of_fewer_people_than_the_threshold_is_refused(app, client):
    sign_in(client, *RESEARCHER)
    page = client.get("/research/publications")
    data = {"csrf_token": csrf_from(page.text), "title": "Empty", "surveys": ["1"]}
    refused = client.post("/research/publications", data={**data, "action": "publish"})
    assert refused.status_code == 200
    assert "would describe fewer than 5 people" in refused.text
    with app.app_context():
        assert db.session().scalars(select(Publication)).all() == []


def test_wholly_small_rows_and_columns_become_one_sentence_in_html_and_pdf(app, client):
    """A small sample: choices whose column holds nothing but "fewer than 5" are named in
    a sentence instead of drawn as columns, and one line says how much is small."""
    seed(app)
    publication_id = publish(client)
    snapshot, _counts, _version = stored(app, publication_id)
    report = report_from_dict(snapshot["en"])
    index, years = next(
        (i, t) for i, t in enumerate(report.tables, 1) if t.attribute == "years_in_canada"
    )

    def small(value):
        return value is None or value < report.base

    few = [
        group
        for j, group in enumerate(years.groups)
        if small(years.group_totals[j]) and all(small(cells[j]) for _label, cells in years.rows)
    ]
    shown = [group for group in years.groups if group not in few]
    assert few and shown  # some of the six choices have fewer than 5 respondents
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    page = committee.get(f"/committee/{publication_id}?lang=en").text
    section = page.split(f'id="table-{index}"', 1)[1].split("<h2", 1)[0]
    header = section.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert re.findall(r'<th scope="col">([^<]*)</th>', header)[1:] == shown
    sentence = (
        "Not shown as columns, because every number in them is below 5 or hidden: "
        + "; ".join(few)
        + "."
    )
    assert sentence in section
    numbers = len(years.groups) * (len(years.rows) + 1)
    assert re.search(rf"\d+ of the {numbers} numbers in this table are below 5", section)
    pdf = committee.get(f"/committee/{publication_id}/report.pdf?lang=en").data
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Not shown as columns, because every number in them is below 5" in " ".join(text.split())
