from pathlib import Path

from tests.forms.inline import md_form

PARTIAL = md_form(
    """
    | survey |
    |        | type          | name     | label::English (en) | label::French (fr)  | label::Spanish (es) | hint::English (en) | hint::French (fr) |
    |        | select_one ab | age_band | How old are you?    | Quel âge avez-vous? | ¿Qué edad tiene?    | In years           |                   |
    |        | text          | comment  | Comment             | Commentaire         |                     |                    |                   |
    | choices |
    |         | list_name | name   | label::English (en) | label::French (fr) | label::Spanish (es) |
    |         | ab        | a18_24 | 18 to 24            | 18 à 24            |                     |
    |         | ab        | a25_34 | 25 to 34            |                    |                     |
    | settings |
    |          | form_title | form_id | draft_languages | title_translations |
    |          | Ages       | ages    | Spanish (es)    | fr=Âges            |
    """
)


def _rows(output: str) -> dict[str, str]:
    table = output.split("Translation coverage:", 1)[1].split("\n\n", 1)[0]
    return {line.split()[0]: line for line in table.splitlines()[2:] if line.strip()}


def test_forms_check_prints_coverage_per_language_and_missing_strings(runner, tmp_path: Path):
    path = tmp_path / "ages.md"
    path.write_bytes(PARTIAL)
    result = runner.invoke(args=["forms", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "ages.md would import." in result.output
    rows = _rows(result.output)
    assert set(rows) == {"en", "fr", "es"}
    assert "100.0%" in rows["en"] and "original" in rows["en"]
    # fr: 6 strings (title, 2 labels, hint, 2 choices), 4 translated
    assert "66.7%" in rows["fr"] and rows["fr"].split()[2] == "2"
    assert "draft" not in rows["fr"]
    # es: only one label of six
    assert "16.7%" in rows["es"] and rows["es"].split()[2] == "5"
    assert "draft — needs review" in rows["es"]
    french = result.output.split("Missing in fr:", 1)[1].split("\n\n", 1)[0]
    assert "age_band (hint): In years" in french
    assert "age_band (choice:a25_34): 25 to 34" in french
    assert "Missing in en" not in result.output


def test_forms_check_lists_ten_missing_strings_then_says_how_many_more(runner, tmp_path):
    rows = "\n".join(f"| | text | q{i} | Question {i} | |" for i in range(14))
    form = f"""
| survey |
| | type | name | label::English (en) | label::French (fr) |
{rows}
| settings |
| | form_title | form_id | title_translations |
| | Many | many | fr=Beaucoup |
"""
    path = tmp_path / "many.md"
    path.write_text(form)
    result = runner.invoke(args=["forms", "check", str(path)])
    assert result.exit_code == 0, result.output
    french = result.output.split("Missing in fr:", 1)[1]
    assert french.count("  - q") == 10
    assert "and 4 more" in french


def test_forms_check_with_problems_prints_no_coverage_and_exits_1(runner, tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes(PARTIAL.replace(b"| text          | comment ", b"| geopoint      | comment "))
    result = runner.invoke(args=["forms", "check", str(path)])
    assert result.exit_code == 1
    assert "geopoint" in result.output
    assert "Translation coverage" not in result.output
    result = runner.invoke(args=["forms", "check", "--drop-unsupported", str(path)])
    assert result.exit_code == 0, result.output
    assert "Translation coverage" in result.output
