import csv

from sqlalchemy import select

from analysis.codebook import set_patterns
from consult import db
from consult.coding.models import TextUnitRow
from consult.coding.services import current_codebook, save_codebook
from tests.consult.walker import complete


def test_code_file_keeps_columns_and_adds_themes(runner, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        "id,comment,lang\n1,The rent is too high,en\n2,Je cherche un emploi,fr\n3,,en\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = runner.invoke(
        args=[
            "code-file",
            str(source),
            "--text-column",
            "comment",
            "--lang-column",
            "lang",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["themes"] == "housing" and "rent" in rows[0]["evidence"]
    assert rows[1]["themes"] == "employment"
    assert rows[0]["sentiment"] != "" and rows[2]["themes"] == ""


def test_code_file_names_a_missing_column(runner, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,text\n1,hello\n", encoding="utf-8")
    result = runner.invoke(
        args=[
            "code-file",
            str(source),
            "--text-column",
            "comment",
            "--lang",
            "en",
            "--out",
            str(tmp_path / "o.csv"),
        ]
    )
    assert result.exit_code != 0
    assert "no column named 'comment'" in result.output


def test_recode_applies_a_new_codebook_version_and_resumes(app, client, runner):
    complete(client, "needs-assessment", "en", text="We miss the mosque and the halal shop.")
    with app.app_context():
        codebook = current_codebook(db.session(), 1)
        edited = set_patterns(codebook, "social_inclusion", "en", ["mosque"])
        save_codebook(db.session(), 1, edited, None, "mosque is belonging")
        db.commit()
    result = runner.invoke(args=["recode", "--partnership", "demo-lip", "--batch", "1"])
    assert result.exit_code == 0, result.output
    assert "Recoded 3 text units" in result.output
    with app.app_context():
        units = db.session().scalars(select(TextUnitRow)).all()
        assert all(u.coded_version == edited.version for u in units)
        assert all("social_inclusion" in {c.theme for c in u.auto_codes} for u in units)
    again = runner.invoke(args=["recode", "--partnership", "demo-lip"])
    assert "Recoded 0 text units" in again.output
