import csv

from sqlalchemy import select

from consult import db
from consult.coding.models import TextUnitRow
from consult.coding.services import code_passage
from consult.models import AuditEvent
from tests.consult.walker import complete


def read(path):
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_coded_units_export_with_themes_evidence_and_formulas_neutralised(
    app, client, runner, tmp_path
):
    complete(client, "needs-assessment", "en", text="=HYPERLINK(1) the rent is too high")
    out = tmp_path / "units.csv"
    result = runner.invoke(
        args=["export", "needs-assessment", "--format", "units", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = read(out)
    assert len(rows) == 3
    assert all(r["text"].startswith("'=HYPERLINK") for r in rows)
    assert all("housing" in r["themes"].split(";") for r in rows)
    assert all("housing:rent" in r["evidence"] for r in rows)
    assert all(r["chosen_evidence"] == "" for r in rows)
    with app.app_context():  # a passage a researcher chose is exported as its evidence
        unit = db.session().scalars(select(TextUnitRow).order_by(TextUnitRow.id)).first()
        start = unit.text.index("rent is too high")
        code_passage(db.session(), unit, "income", (start, start + 16), None)
        db.commit()
    assert (
        runner.invoke(
            args=["export", "needs-assessment", "--format", "units", "--out", str(out)]
        ).exit_code
        == 0
    )
    assert read(out)[0]["chosen_evidence"] == "income:rent is too high"
    with app.app_context():
        actions = [
            e.detail
            for e in db.session().scalars(select(AuditEvent))
            if e.action == "export_responses"
        ]
    assert any("format=units" in a for a in actions)


def test_codebook_export_lists_every_theme_in_every_language(runner, tmp_path):
    out = tmp_path / "codebook.csv"
    result = runner.invoke(
        args=["export", "needs-assessment", "--format", "codebook", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = read(out)
    keys = {r["key"] for r in rows}
    assert len(keys) == 18 and {"employment", "legal_status"} <= keys
    languages = {r["language"] for r in rows if r["key"] == "housing"}
    assert {"en", "fr", "ar", "zh-Hans", "ti", "so"} <= languages
