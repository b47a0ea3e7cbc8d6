"""Researcher exports: CSV, XLSX and .sav round trips, neutralised formulas, labels,
withdrawn responses, versions and repeats, the audit log, access rules and streaming."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pyreadstat
import pytest
from sqlalchemy import event, select

from analysis.spreadsheet import neutralise, neutralise_row
from consult import db
from consult.auth.services import add_user
from consult.exports import ExportOptions, prepare
from consult.exports import source as export_source
from consult.exports.csv_format import stream_csv
from consult.exports.layout import META_COLUMNS
from consult.exports.sav_format import Names
from consult.models import AuditEvent, Partnership, Response, Role, utcnow
from consult.survey.services import import_survey, store_response, survey_by_slug
from tests.conftest import csrf_from, sign_in
from tests.forms.inline import md_form

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
COMMITTEE = ("committee@demo.consult.local", "demo-committee-password")
SLUG = "needs-assessment"
FORMULAS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=cmd", "  =1+1"]

DEMO_FIELDS = [
    "years_in_canada",
    "immigration_category",
    "age_band",
    "gender",
    "first_language",
    "area",
    "info_sources",
    "used_settlement",
    "settlement_services",
    "employment_status",
    "job_related",
    "credentials",
    "language_level",
    "taking_classes",
    "class_barriers",
    "housing_type",
    "rent_share",
    "housing_problems",
    "family_doctor",
    "mental_health",
    "children",
    "school_support",
    "main_transport",
    "transport_problems",
    "feel_welcome",
    "discrimination",
    "discrimination_where",
    "hardest_part",
    "more_welcoming",
    "anything_else",
]


def answers(
    i: int, text: str = 'Rent is too high, and "cheap" flats are far.\nSecond line'
) -> dict:
    return {
        "years_in_canada": ["lt1", "y1_3", "gt10"][i % 3],
        "age_band": "a25_34",
        "gender": "woman",
        "first_language": "ar",
        "area": "north",
        "info_sources": ["library", "friends_family"] if i % 2 == 0 else ["websites"],
        "used_settlement": "yes",
        "children": i,
        "hardest_part": text,
        "more_welcoming": "السكن غالي جدا",
    }


def seed(app, rows: list[dict], language: str = "en", prefix: str = "seed") -> list[str]:
    """Store responses of the demo survey; return their references in order."""
    with app.app_context():
        session = db.session()
        survey = survey_by_slug(session, SLUG)
        references = []
        for i, given in enumerate(rows):
            response, _created = store_response(
                session, survey, survey.current_version_id, f"{prefix}-{i}", language, given
            )
            references.append(response.reference)
        db.commit()
    return references


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def export(runner, tmp_path: Path, fmt: str = "csv", *extra: str, slug: str = SLUG) -> Path:
    out = tmp_path / f"out.{fmt}"
    result = runner.invoke(args=["export", slug, "--format", fmt, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def audit_details(app) -> list[tuple[str, str, int | None]]:
    with app.app_context():
        events = db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == "export_responses")
        )
        return [(e.target, e.detail, e.user_id) for e in events]


# --- CSV ---------------------------------------------------------------------------


def test_csv_round_trips_every_value(app, runner, tmp_path):
    references = seed(app, [answers(i) for i in range(5)])
    out = export(runner, tmp_path)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_csv(out)
    assert [r["reference"] for r in rows] == references
    with out.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert header[: len(META_COLUMNS)] == list(META_COLUMNS)
    questions = [h for h in header[len(META_COLUMNS) :] if "/" not in h]
    assert questions == DEMO_FIELDS
    assert header.index("info_sources/settlement_agency") == header.index("info_sources") + 1
    for i, row in enumerate(rows):
        given = answers(i)
        assert row["language"] == "en"
        assert row["version"] == "1"
        assert row["submitted_at"].endswith("+00:00") and "T" in row["submitted_at"]
        assert row["years_in_canada"] == given["years_in_canada"]
        assert row["info_sources"] == " ".join(given["info_sources"])
        assert row["info_sources/library"] == ("1" if "library" in given["info_sources"] else "0")
        assert row["info_sources/websites"] == ("1" if "websites" in given["info_sources"] else "0")
        assert row["children"] == str(i)
        assert row["hardest_part"] == given["hardest_part"]
        assert row["more_welcoming"] == "السكن غالي جدا"
        assert row["immigration_category"] == ""
        assert row["settlement_services"] == "" and row["settlement_services/forms"] == ""


def test_csv_without_choice_columns(app, runner, tmp_path):
    seed(app, [answers(0)])
    rows = read_csv(export(runner, tmp_path, "csv", "--no-choice-columns"))
    assert not [k for k in rows[0] if "/" in k]
    assert rows[0]["info_sources"] == "library friends_family"


def test_labels_mode_uses_arabic_labels(app, runner, tmp_path):
    seed(app, [answers(0)], language="ar")
    rows = read_csv(export(runner, tmp_path, "csv", "--labels", "ar"))
    assert rows[0]["years_in_canada"] == "أقل من سنة"
    assert rows[0]["gender"] != "woman" and rows[0]["gender"]
    labels = rows[0]["info_sources"].split("; ")
    assert len(labels) == 2 and "library" not in rows[0]["info_sources"]
    assert rows[0]["info_sources/library"] == "1"
    assert rows[0]["language"] == "ar"
    french = read_csv(export(runner, tmp_path, "csv", "--labels", "fr"))
    assert french[0]["years_in_canada"] == "Moins de 1 an"


def test_withdrawn_responses_are_left_out(app, runner, tmp_path):
    references = seed(app, [answers(i) for i in range(3)])
    with app.app_context():
        session = db.session()
        response = session.scalar(select(Response).where(Response.reference == references[1]))
        response.withdrawn_at = utcnow()
        db.commit()
    result = runner.invoke(
        args=["export", SLUG, "--format", "csv", "--out", str(tmp_path / "w.csv")]
    )
    assert "Exported 2 responses" in result.output
    rows = read_csv(tmp_path / "w.csv")
    assert [r["reference"] for r in rows] == [references[0], references[2]]
    assert audit_details(app)[-1][1].startswith("format=csv rows=2 ")


# --- neutralisation ------------------------------------------------------------------


def test_neutralise_rules():
    for formula in FORMULAS + ["\r=x", "-", "@"]:
        assert neutralise(formula) == "'" + formula
    for safe in ["", "hello", "1+1", "a=b", "السكن", "'quoted", " plain"]:
        assert neutralise(safe) == safe
    assert neutralise_row(["=x", -2, 3.5, None, "ok"]) == ["'=x", -2, 3.5, None, "ok"]


def test_formulas_are_neutralised_in_csv_and_xlsx(app, runner, tmp_path):
    seed(app, [{**answers(0, text=formula), "children": -2} for formula in FORMULAS])
    rows = read_csv(export(runner, tmp_path, "csv"))
    assert [r["hardest_part"] for r in rows] == ["'" + f for f in FORMULAS]
    assert {r["children"] for r in rows} == {"-2"}
    workbook = openpyxl.load_workbook(export(runner, tmp_path, "xlsx"))
    sheet = workbook["responses"]
    header = [c.value for c in sheet[1]]
    text_col, number_col = header.index("hardest_part") + 1, header.index("children") + 1
    cells = [sheet.cell(row=r, column=text_col) for r in range(2, len(FORMULAS) + 2)]
    assert [c.value for c in cells] == ["'" + f for f in FORMULAS]
    assert {c.data_type for c in cells} == {"s"}
    assert {sheet.cell(row=r, column=number_col).value for r in range(2, 8)} == {-2}


# --- XLSX ----------------------------------------------------------------------------


def test_xlsx_round_trips_the_csv(app, runner, tmp_path):
    seed(app, [answers(i) for i in range(4)])
    rows = read_csv(export(runner, tmp_path, "csv"))
    workbook = openpyxl.load_workbook(export(runner, tmp_path, "xlsx"), read_only=True)
    assert workbook.sheetnames == ["responses", "columns", "choices"]
    sheet = list(workbook["responses"].iter_rows(values_only=True))
    header = list(sheet[0])
    assert header == list(rows[0].keys())
    for csv_row, xlsx_row in zip(rows, sheet[1:], strict=True):
        assert [_as_csv(v) for v in xlsx_row] == list(csv_row.values())
    first = dict(zip(header, sheet[1], strict=True))
    # times are Excel dates (UTC), to the second, not text
    submitted = datetime.fromisoformat(rows[0]["submitted_at"])
    assert first["submitted_at"] == submitted.astimezone(UTC).replace(tzinfo=None)
    assert first["children"] == 0 and isinstance(first["info_sources/library"], int)
    columns = {r[0]: r for r in workbook["columns"].iter_rows(values_only=True)}
    assert columns["years_in_canada"][3] == "How long have you lived in Canada?"
    choices = list(workbook["choices"].iter_rows(values_only=True))
    assert ("years_in_canada", "lt1", "Less than 1 year") in choices


def _as_csv(value) -> str:
    """An XLSX cell as the CSV writes it (a time in UTC as ISO 8601)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat(timespec="seconds")
    return str(value)


DATED = """
| survey |
| | type | name | label |
| | date | arrived | When did you arrive? |
| | dateTime | seen | When were you last seen by a doctor? |
| | text | note | Anything else? |
| settings |
| | form_id | version |
| | dated | 1 |
"""


def test_xlsx_writes_dates_as_dates_and_bad_dates_as_text(app, runner, tmp_path):
    with app.app_context():
        session = db.session()
        partnership = session.scalar(select(Partnership).where(Partnership.slug == "demo-lip"))
        made = import_survey(session, partnership, md_form(DATED), "dated.md")
        for key, answers_ in (
            ("d-1", {"arrived": "2024-03-15", "seen": "2026-11-02T09:30:00", "note": "2024-01-01"}),
            ("d-2", {"arrived": "not a date"}),
        ):
            store_response(session, made.survey, made.version.id, key, "en", answers_)
        db.commit()
    workbook = openpyxl.load_workbook(export(runner, tmp_path, "xlsx", slug="dated"))
    sheet = workbook["responses"]
    header = [c.value for c in sheet[1]]
    row = {h: sheet.cell(row=2, column=i + 1) for i, h in enumerate(header)}
    assert row["arrived"].is_date and row["arrived"].value == datetime(2024, 3, 15)
    assert row["arrived"].number_format == "yyyy-mm-dd"
    assert row["seen"].is_date and row["seen"].value == datetime(2026, 11, 2, 9, 30)
    assert row["submitted_at"].is_date
    assert row["note"].data_type == "s"  # a text question stays text, whatever it holds
    assert sheet.cell(row=3, column=header.index("arrived") + 1).value == "not a date"


# --- SPSS ----------------------------------------------------------------------------


def test_sav_reopens_with_variable_and_value_labels(app, runner, tmp_path):
    seed(app, [answers(i) for i in range(3)])
    frame, meta = pyreadstat.read_sav(str(export(runner, tmp_path, "sav")))
    assert len(frame) == 3
    labels = meta.column_names_to_labels
    assert labels["years_in_canada"] == "How long have you lived in Canada?"
    value_labels = meta.variable_value_labels["years_in_canada"]
    assert value_labels[1.0] == "Less than 1 year"
    assert [value_labels[v] for v in frame["years_in_canada"]] == [
        "Less than 1 year",
        "1 to 3 years",
        "More than 10 years",
    ]
    assert list(frame["children"]) == [0.0, 1.0, 2.0]
    assert list(frame["info_sources_library"]) == [1.0, 0.0, 1.0]
    assert meta.variable_value_labels["info_sources_library"] == {1.0: "Public library"}
    assert frame["hardest_part"][0] == answers(0)["hardest_part"]
    assert frame["more_welcoming"][0] == "السكن غالي جدا"
    assert frame["immigration_category"].isna().all()
    assert str(frame["submitted_at"].dtype).startswith("datetime64")
    assert meta.variable_measure["children"] == "scale"


def test_sav_labels_in_arabic(app, runner, tmp_path):
    seed(app, [answers(0)])
    _frame, meta = pyreadstat.read_sav(str(export(runner, tmp_path, "sav", "--labels", "ar")))
    assert meta.column_names_to_labels["years_in_canada"] == "كم مضى على إقامتك في كندا؟"
    assert meta.variable_value_labels["years_in_canada"][1.0] == "أقل من سنة"


def test_spss_names_are_valid_and_unique():
    names = Names()
    assert names("1st") == "v_1st"
    assert names("all") == "all_"
    assert names("q.with-dash") == "q_with_dash"
    long = "x" * 80
    first, second = names(long), names(long.upper())
    assert len(first) == 64 and len(second) == 64 and first.upper() != second.upper()
    assert names("Age") == "Age" and names("age") == "age_2"


# --- versions and repeats -------------------------------------------------------------

ROSTER_V1 = """
| survey |
| | type | name | label::English (en) | label::Arabic (ar) |
| | text | old_q | Old question | سؤال قديم |
| | select_one rel | kind | Kind | نوع |
| | begin_repeat | household | Household | الأسرة |
| | text | member | Name | الاسم |
| | integer | member_age | Age | العمر |
| | select_one rel | relation | Relation | القرابة |
| | end_repeat | household | | |
| choices |
| | list_name | name | label::English (en) | label::Arabic (ar) |
| | rel | child | Child | طفل |
| | rel | grandparent | Grandparent | جد |
| settings |
| | form_id | version | default_language |
| | roster | 1 | English (en) |
"""

ROSTER_V2 = """
| survey |
| | type | name | label::English (en) | label::Arabic (ar) |
| | integer | new_q | New question | سؤال جديد |
| | select_one rel | kind | Kind | نوع |
| | begin_repeat | household | Household | الأسرة |
| | text | member | Name | الاسم |
| | integer | member_age | Age | العمر |
| | select_one rel | relation | Relation | القرابة |
| | end_repeat | household | | |
| choices |
| | list_name | name | label::English (en) | label::Arabic (ar) |
| | rel | child | Child | طفل |
| | rel | parent | Parent | والد |
| settings |
| | form_id | version | default_language |
| | roster | 2 | English (en) |
"""


def seed_roster(app) -> None:
    with app.app_context():
        session = db.session()
        partnership = session.scalar(select(Partnership).where(Partnership.slug == "demo-lip"))
        v1 = import_survey(session, partnership, md_form(ROSTER_V1), "roster.md")
        household = [
            {"member": '=HYPERLINK("x")', "member_age": 7, "relation": "child"},
            {"member": "Amal", "member_age": 70, "relation": "grandparent"},
        ]
        store_response(
            session,
            v1.survey,
            v1.version.id,
            "r-1",
            "en",
            {"old_q": "from v1", "kind": "grandparent", "household": household},
        )
        v2 = import_survey(
            session, partnership, md_form(ROSTER_V2), "roster.md", new_version_of="roster"
        )
        store_response(
            session, v2.survey, v2.version.id, "r-2", "ar", {"new_q": 4, "kind": "parent"}
        )
        db.commit()


def test_columns_cover_every_version_and_repeats_become_json(app, runner, tmp_path):
    seed_roster(app)
    out = export(runner, tmp_path, "csv", "--labels", "en", slug="roster")
    with out.open(encoding="utf-8-sig", newline="") as f:
        header = next(csv.reader(f))
    assert header[len(META_COLUMNS) :] == ["new_q", "kind", "household", "old_q"]
    old, new = read_csv(out)
    assert (old["version"], new["version"]) == ("1", "2")
    assert old["kind"] == "Grandparent" and new["kind"] == "Parent"
    assert old["old_q"] == "from v1" and new["old_q"] == ""
    assert new["new_q"] == "4" and old["new_q"] == ""
    assert old["household"].startswith('[{"member":"=HYPERLINK')
    workbook = openpyxl.load_workbook(export(runner, tmp_path, "xlsx", slug="roster"))
    assert workbook.sheetnames == ["responses", "household", "columns", "choices"]
    roster = [list(r) for r in workbook["household"].iter_rows(values_only=True)]
    assert roster[0] == ["reference", "entry", "member", "member_age", "relation"]
    assert roster[1][1:] == [1, '\'=HYPERLINK("x")', 7, "child"]
    assert roster[2][1:] == [2, "Amal", 70, "grandparent"]
    frame, meta = pyreadstat.read_sav(str(export(runner, tmp_path, "sav", slug="roster")))
    kinds = meta.variable_value_labels["kind"]
    assert [kinds[v] for v in frame["kind"]] == ["Grandparent", "Parent"]
    assert list(frame["new_q"].fillna(-1)) == [-1.0, 4.0]


# --- CLI errors and audit --------------------------------------------------------------


def test_cli_refuses_unknown_survey_language_and_format(runner, tmp_path):
    out = str(tmp_path / "x.csv")
    unknown = runner.invoke(args=["export", "nope", "--out", out])
    assert unknown.exit_code != 0 and "No survey" in unknown.output
    language = runner.invoke(args=["export", SLUG, "--labels", "de", "--out", out])
    assert language.exit_code != 0 and "no language 'de'" in language.output
    fmt = runner.invoke(args=["export", SLUG, "--format", "pdf", "--out", out])
    assert fmt.exit_code != 0 and "No export format" in fmt.output
    assert not Path(out).exists()


def test_every_cli_export_is_audited(app, runner, tmp_path):
    seed(app, [answers(i) for i in range(2)])
    for fmt in ("csv", "xlsx", "sav"):
        export(runner, tmp_path, fmt)
    details = audit_details(app)
    assert [d[0] for d in details] == [SLUG] * 3
    assert [d[1].split(" labels=")[0] for d in details] == [
        "format=csv rows=2",
        "format=xlsx rows=2",
        "format=sav rows=2",
    ]
    assert all("via=cli" in d[1] and d[2] is None for d in details)


# --- the export page -------------------------------------------------------------------

EXPORT_URL = f"/research/surveys/{SLUG}/export"


def test_export_page_access_rules(app, client):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    sign_in(client, *COMMITTEE)
    assert client.get(EXPORT_URL).status_code == 403
    with app.app_context():
        session = db.session()
        other = Partnership(slug="other-lip", name="Other LIP")
        session.add(other)
        session.flush()
        add_user(session, "other@other.local", "other-researcher-password", Role.RESEARCHER, other)
        db.commit()
    other_client = app.test_client()
    sign_in(other_client, "other@other.local", "other-researcher-password")
    assert other_client.get(EXPORT_URL).status_code == 404
    assert other_client.get("/research/surveys/no-such-survey/export").status_code == 404


def test_researcher_downloads_csv_xlsx_and_sav_from_the_page(app, client):
    seed(app, [answers(i, text="=1+1") for i in range(3)])
    sign_in(client, *RESEARCHER)
    dashboard = client.get("/research/?lang=en")
    assert f'href="{EXPORT_URL}"' in dashboard.text
    page = client.get(EXPORT_URL + "?lang=en")
    assert page.status_code == 200
    assert "3 responses will be exported" in page.text
    assert '<label for="labels">' in page.text and 'value="ar"' in page.text
    assert "<script" not in page.text and "style=" not in page.text
    token = csrf_from(page.text)
    download = client.post(
        EXPORT_URL,
        data={"csrf_token": token, "format": "csv", "labels": "ar", "choice_columns": "y"},
    )
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[0]["hardest_part"] == "'=1+1"
    assert rows[0]["years_in_canada"] == "أقل من سنة"
    with client.post(
        EXPORT_URL, data={"csrf_token": token, "format": "xlsx", "labels": "codes"}
    ) as xlsx:
        assert xlsx.status_code == 200
        workbook = openpyxl.load_workbook(io.BytesIO(xlsx.data), read_only=True)
    assert len(list(workbook["responses"].iter_rows())) == 4
    before = set(Path(tempfile.gettempdir()).glob("consult-export-*"))
    with client.post(
        EXPORT_URL, data={"csrf_token": token, "format": "sav", "labels": "fr"}
    ) as sav:
        assert sav.status_code == 200 and sav.data[:4] == b"$FL2"
    assert set(Path(tempfile.gettempdir()).glob("consult-export-*")) <= before  # removed
    details = audit_details(app)
    assert [d[1].split(" labels=")[0] for d in details] == [
        "format=csv rows=3",
        "format=xlsx rows=3",
        "format=sav rows=3",
    ]
    assert all("via=web" in d[1] and d[2] is not None for d in details)


@pytest.mark.parametrize("fmt", ["csv", "codebook", "units"])
def test_csv_downloads_declare_their_charset_once(app, client, fmt):
    seed(app, [answers(0)])
    sign_in(client, *RESEARCHER)
    token = csrf_from(client.get(EXPORT_URL + "?lang=en").text)
    download = client.post(EXPORT_URL, data={"csrf_token": token, "format": fmt, "labels": "en"})
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert download.get_data()  # read to the end, as a browser does: the stream lets go
    download.close()  # of its database connection only when it ends or is closed


def test_export_form_refuses_bad_choices_and_missing_csrf(app, client):
    sign_in(client, *RESEARCHER)
    token = csrf_from(client.get(EXPORT_URL).text)
    bad = client.post(EXPORT_URL, data={"csrf_token": token, "format": "pdf", "labels": "de"})
    assert bad.status_code == 400
    assert 'class="error-summary"' in bad.text
    assert client.post(EXPORT_URL, data={"format": "csv", "labels": "codes"}).status_code == 400
    assert audit_details(app) == []


# --- streaming ---------------------------------------------------------------------------


def test_csv_streams_batch_by_batch(app, monkeypatch):
    seed(app, [answers(i) for i in range(7)])
    monkeypatch.setattr(export_source, "BATCH_SIZE", 2)
    queries: list[str] = []
    answers_of = export_source._answers_of

    def counted_answers_of(connection, decode, ids):
        queries.append(f"answers of {len(ids)}")
        return answers_of(connection, decode, ids)

    monkeypatch.setattr(export_source, "_answers_of", counted_answers_of)
    with app.app_context():
        session = db.session()
        survey = survey_by_slug(session, SLUG)
        job = prepare(session, survey, ExportOptions())
        assert job.snapshot.count == 7
        engine = session.get_bind()

        def count(_conn, _cursor, statement, *_args):
            queries.append("responses")

        event.listen(engine, "before_cursor_execute", count)
        try:
            chunks = stream_csv(job)
            header = next(chunks)
            assert queries == [] and b"reference" in header
            first = next(chunks)
            assert queries == ["responses", "answers of 2"]
            assert first.count(b"\r\n") == 2 and job.rows == 2
            rest = list(chunks)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert len(rest) == 3 and job.rows == 7
    assert queries == ["responses", "answers of 2"] * 3 + ["responses", "answers of 1"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sav"])
def test_an_empty_survey_exports_a_header(runner, tmp_path, fmt):
    out = export(runner, tmp_path, fmt)
    assert out.stat().st_size > 0


def test_row_by_row_answers_give_the_same_file(app, runner, tmp_path, monkeypatch):
    """Databases without JSON grouping read a row per answer: same result."""
    seed(app, [answers(i) for i in range(5)])
    seed_roster(app)
    grouped = [read_csv(export(runner, tmp_path, "csv", slug=s)) for s in (SLUG, "roster")]
    monkeypatch.setattr(export_source, "_GROUPED", {})
    row_by_row = [read_csv(export(runner, tmp_path, "csv", slug=s)) for s in (SLUG, "roster")]
    assert row_by_row == grouped
    assert grouped[1][0]["household"].startswith('[{"member":')
