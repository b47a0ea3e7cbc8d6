"""The service inventory from the command line and the web: all or nothing, row and column
for every problem, edits, suggested themes to confirm, export that reads back."""

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from consult import db
from consult.strategy.models import Service
from tests.consult.strategy.seed import (
    INVENTORY,
    RESEARCHER,
    inventory_csv,
    signed_in,
)


def services(app):
    with app.app_context():
        return {
            (s.organisation, s.name): s
            for s in db.session().scalars(select(Service).order_by(Service.id))
        }


def count(app):
    with app.app_context():
        return db.session().scalar(select(func.count(Service.id)))


def test_cli_imports_every_row_with_keys_codes_and_suggestions(app, runner, tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(inventory_csv())
    result = runner.invoke(args=["services", "import", str(path), "--partnership", "demo-lip"])
    assert result.exit_code == 0, result.output
    assert "4 added, 0 updated" in result.output
    stored = services(app)
    tenant = stored[("Arab Community Association", "Tenant rights")]
    assert (tenant.themes, tenant.languages, tenant.areas) == (["housing"], ["ar"], ["north"])
    assert stored[("Riverside Welcome Centre", "Housing help desk")].areas == []
    circles = stored[("Library", "Conversation circles")]
    assert circles.themes == [] and circles.suggested_themes == ["language_training"]


def test_cli_refuses_the_whole_file_and_names_row_and_column(app, runner, tmp_path):
    rows = [*INVENTORY, ["Clinic", "Walk-in", "health", "Klingonese", "uptown", ""]]
    rows.insert(1, ["", "Orphan service", "housing", "en", "", ""])
    path = tmp_path / "bad.csv"
    path.write_bytes(inventory_csv(rows))
    result = runner.invoke(args=["services", "import", str(path), "--partnership", "demo-lip"])
    assert result.exit_code == 1
    assert "Nothing imported: 3 problem(s)" in result.output
    assert "row 3, column A organisation: This cell is required." in result.output
    assert "row 7, column D languages:" in result.output and "Klingonese" in result.output
    assert "row 7, column E areas:" in result.output and "uptown" in result.output
    assert count(app) == 0


def test_cli_reimport_updates_and_export_reads_back(app, runner, tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(inventory_csv())
    runner.invoke(args=["services", "import", str(path), "--partnership", "demo-lip"])
    exported = tmp_path / "out.xlsx"
    result = runner.invoke(args=["services", "export", str(exported), "--partnership", "demo-lip"])
    assert result.exit_code == 0 and "4 services" in result.output
    sheet = load_workbook(exported).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["organisation", "service", "description"]
    again = runner.invoke(args=["services", "import", str(exported), "--partnership", "demo-lip"])
    assert again.exit_code == 0, again.output
    assert "0 added, 4 updated" in again.output
    assert count(app) == 4


def test_cli_unknown_partnership_and_unreadable_file(runner, tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe\x00\x01")
    result = runner.invoke(args=["services", "import", str(path), "--partnership", "nope"])
    assert result.exit_code != 0 and "No partnership" in result.output
    result = runner.invoke(args=["services", "import", str(path), "--partnership", "demo-lip"])
    assert result.exit_code != 0 and "UTF-8" in result.output


def test_web_import_lists_problems_in_the_users_language_and_imports_nothing(app):
    client = signed_in(app, *RESEARCHER)
    rows = [*INVENTORY, ["Clinic", "Walk-in", "parks", "en", "", ""]]
    page = client.post(
        "/research/services/import?lang=fr",
        data={"csrf_token": client.csrf, "file": (io.BytesIO(inventory_csv(rows)), "inv.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200
    assert "Rien n’a été importé : 1 problème" in page.text
    assert "« parks » n’est pas un thème du livre de codes" in page.text
    assert "<td>6</td>" in page.text and "C · themes" in page.text and "parks" in page.text
    assert count(app) == 0
    good = client.post(
        "/research/services/import",
        data={"csrf_token": client.csrf, "file": (io.BytesIO(inventory_csv()), "inv.csv")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 302 and count(app) == 4
    listing = client.get("/research/services/?lang=en").text
    assert "4 services ajoutés, 0 mis à jour." in listing  # worded when it was done, in French
    assert "Conversation circles" in listing and "Suggested from the description" in listing


def test_web_edit_confirm_suggestion_delete_and_export(app, runner, tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(inventory_csv())
    runner.invoke(args=["services", "import", str(path), "--partnership", "demo-lip"])
    circles = services(app)[("Library", "Conversation circles")]
    client = signed_in(app, *RESEARCHER)
    answer = client.post(
        f"/research/services/{circles.id}/suggestions",
        data={"csrf_token": client.csrf, "theme": "language_training", "decision": "confirm"},
    )
    assert answer.status_code == 302
    circles = services(app)[("Library", "Conversation circles")]
    assert circles.themes == ["language_training"] and circles.suggested_themes == []

    form = {
        "csrf_token": client.csrf,
        "organisation": "Library",
        "service": "Conversation circles",
        "languages": "English; العربية; Somali",
        "themes": ["language_training", "social_inclusion"],
        "areas": ["north", "south"],
        "description": "",
        "description_language": "en",
        "eligibility": "Everyone",
        "contact": '=HYPERLINK("x")',
    }
    assert client.post(f"/research/services/{circles.id}", data=form).status_code == 302
    edited = services(app)[("Library", "Conversation circles")]
    assert edited.languages == ["en", "ar", "so"] and edited.areas == ["north", "south"]
    assert edited.themes == ["language_training", "social_inclusion"]

    bad = client.post(
        f"/research/services/{circles.id}?lang=en",
        data={
            **form,
            "languages": "",
            "organisation": "Riverside Welcome Centre",
            "service": "Job club",
        },
    )
    assert bad.status_code == 200 and "This cell is required." in bad.text
    assert 'aria-invalid="true"' in bad.text and "Riverside Welcome Centre" in bad.text
    clash = client.post(
        f"/research/services/{circles.id}?lang=en",
        data={**form, "organisation": "Riverside Welcome Centre", "service": "Job club"},
    )
    assert "Another service of this organisation already has this name." in clash.text
    assert services(app)[("Library", "Conversation circles")].eligibility == "Everyone"

    csv_text = client.get("/research/services/export.csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("organisation,service,description")
    assert "'=HYPERLINK" in csv_text  # a formula is neutralised
    xlsx = client.get("/research/services/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"

    new = client.post("/research/services/new", data={**form, "service": "Homework club"})
    assert new.status_code == 302 and count(app) == 5
    doomed = services(app)[("Library", "Homework club")]
    assert (
        client.post(
            f"/research/services/{doomed.id}/delete", data={"csrf_token": client.csrf}
        ).status_code
        == 302
    )
    assert count(app) == 4
