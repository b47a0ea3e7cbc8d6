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


EXAMPLES = [
    ("We live in a tent because there are no apartments.", "housing"),
    ("Our landlord wants to evict us next month.", "housing"),
    ("The apartment is too small for six people.", "housing"),
    ("We sleep at a friend's place, we have no home.", "housing"),
    ("There is mould on the walls of our flat.", "housing"),
    ("I have no car and it takes me two hours to get to work.", "transportation"),
    ("We need a ride to the hospital, nobody can drive us.", "transportation"),
    ("The metro does not go to our neighbourhood.", "transportation"),
    ("Getting around town without a vehicle is very hard.", "transportation"),
    ("Thank you for this survey.", ""),
    ("My son likes his new school.", "education"),
    ("I would like to meet other mothers.", ""),
]


def _write_examples(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["answer", "codes"])
        writer.writerows(rows)


def test_code_file_learns_from_examples_before_coding(runner, tmp_path):
    examples = tmp_path / "examples.csv"
    _write_examples(examples, EXAMPLES)
    source = tmp_path / "in.csv"
    source.write_text(
        "id,comment\n1,Nous n'avons nulle part où dormir cette nuit.\n2,Merci!\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    args = ["code-file", str(source), "--text-column", "comment", "--lang", "fr"]
    args += ["--out", str(out), "--examples", str(examples)]
    args += ["--examples-text-column", "answer", "--examples-themes-column", "codes"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["themes"] == "housing"
    assert rows[0]["evidence"] == "housing:~similar to reviewed answers"
    assert rows[1]["themes"] == ""


def test_code_file_names_an_unknown_theme_in_the_examples(runner, tmp_path):
    examples = tmp_path / "examples.csv"
    _write_examples(examples, [("Rent is high", "housing"), ("No bus", "transport")])
    source = tmp_path / "in.csv"
    source.write_text("id,comment\n1,hello\n", encoding="utf-8")
    args = ["code-file", str(source), "--text-column", "comment", "--lang", "en"]
    args += ["--out", str(tmp_path / "o.csv"), "--examples", str(examples)]
    args += ["--examples-text-column", "answer", "--examples-themes-column", "codes"]
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "Row 3, column 'codes': 'transport' is not a theme key" in result.output
    assert not (tmp_path / "o.csv").exists()
