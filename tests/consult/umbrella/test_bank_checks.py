"""`consult forms check`/`import` and the web import report core indicators and refuse changed ones."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from sqlalchemy import select

from consult import db
from consult.models import Survey
from tests.conftest import sign_in

CHANGED = """
| survey |
| | type | name | label | core |
| | select_one yes_no | family_doctor | Doctor? | yes |
| choices |
| | list_name | name | label |
| | yes_no | yes | Yes |
| | yes_no | maybe | Maybe |
| settings |
| | form_id |
| | changed |
"""


def test_forms_check_lists_the_core_indicators_of_a_form(runner):
    result = runner.invoke(args=["forms", "check", "forms/demo/needs_assessment.md"])
    assert result.exit_code == 0, result.output
    assert "Core indicator: family_doctor" in result.output
    assert "Core indicator: info_sources" in result.output


def test_a_changed_core_question_is_refused_by_check_and_import(runner, app, tmp_path: Path):
    path = tmp_path / "changed.md"
    path.write_text(CHANGED)
    result = runner.invoke(args=["forms", "check", str(path)])
    assert result.exit_code == 1
    assert "core question 'family_doctor' must keep the bank's choices" in result.output
    result = runner.invoke(args=["forms", "import", str(path), "--partnership", "demo-lip"])
    assert result.exit_code != 0
    with app.app_context():
        assert db.session().scalar(select(Survey).where(Survey.slug == "changed")) is None


def test_the_web_import_refuses_it_in_the_researchers_language(app, client):
    sign_in(client, "researcher@demo.consult.local", "demo-researcher-password")
    page = client.get("/research/surveys/import?lang=fr")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        "/research/surveys/import?lang=fr",
        data={"csrf_token": token, "file": (BytesIO(CHANGED.encode()), "changed.md")},
        content_type="multipart/form-data",
    )
    assert "doit garder les choix de la banque de questions" in answer.text


def test_researchers_see_the_bank_and_their_core_questions(client):
    sign_in(client, "researcher@demo.consult.local", "demo-researcher-password")
    page = client.get("/research/bank")
    assert page.status_code == 200
    assert "Do you have a family doctor or nurse practitioner?" in page.text
    assert page.text.count("a core indicator") == 6
