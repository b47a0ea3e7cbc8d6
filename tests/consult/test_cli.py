from pathlib import Path

from sqlalchemy import select

from consult import db
from consult.auth.passwords import verify_password
from consult.models import Membership, Survey, SurveyVersion, User

FORM = """
| survey |
|        | type | name | label::English (en) | label::French (fr) |
|        | text | t    | Text                | Texte              |
| settings |
|          | form_id | version |
|          | other   | 1       |
"""


def test_demo_is_idempotent_and_prints_accounts(runner, app):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "researcher@demo.consult.local" in first.output
    assert "demo-researcher-password" in first.output
    again = runner.invoke(args=["demo"])
    assert "already present" in again.output
    with app.app_context():
        assert len(db.session().scalars(select(Survey)).all()) == 1


def test_forms_check_exit_codes(runner, tmp_path: Path):
    good = tmp_path / "good.md"
    good.write_text(FORM)
    result = runner.invoke(args=["forms", "check", str(good)])
    assert result.exit_code == 0
    assert "would import" in result.output
    bad = tmp_path / "bad.md"
    bad.write_text(FORM.replace("| text | t ", "| geopoint | t "))
    result = runner.invoke(args=["forms", "check", str(bad)])
    assert result.exit_code == 1
    assert "geopoint" in result.output
    assert runner.invoke(args=["forms", "check", "--drop-unsupported", str(bad)]).exit_code == 1


def test_forms_import_creates_survey_then_new_version(runner, app, tmp_path: Path):
    path = tmp_path / "other.md"
    path.write_text(FORM)
    result = runner.invoke(args=["forms", "import", str(path), "--partnership", "demo-lip"])
    assert result.exit_code == 0, result.output
    assert "Imported other version 1" in result.output
    result = runner.invoke(args=["forms", "import", str(path), "--partnership", "demo-lip"])
    assert "Imported other-2 version 1" in result.output  # never a version unless asked
    args = ["forms", "import", str(path), "--partnership", "demo-lip", "--new-version-of", "other"]
    result = runner.invoke(args=args)
    assert "Imported other version 2" in result.output, result.output
    with app.app_context():
        survey = db.session().scalar(select(Survey).where(Survey.slug == "other"))
        versions = (
            db.session()
            .scalars(select(SurveyVersion.number).where(SurveyVersion.survey_id == survey.id))
            .all()
        )
        assert sorted(versions) == [1, 2]
        assert survey.languages == ["en", "fr"]


def test_forms_import_refuses_unknown_partnership(runner, tmp_path):
    path = tmp_path / "f.md"
    path.write_text(FORM)
    result = runner.invoke(args=["forms", "import", str(path), "--partnership", "nope"])
    assert result.exit_code != 0
    assert "No partnership" in result.output


def test_users_add_hashes_with_argon2(runner, app):
    result = runner.invoke(
        args=[
            "users",
            "add",
            "New@Example.org",
            "--role",
            "researcher",
            "--partnership",
            "demo-lip",
            "--password",
            "correct horse battery",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session().scalar(select(User).where(User.email == "new@example.org"))
        assert user.password_hash.startswith("$argon2id$")
        assert verify_password(user.password_hash, "correct horse battery")
        role = db.session().scalar(select(Membership.role).where(Membership.user_id == user.id))
        assert role.value == "researcher"


def test_users_add_refuses_short_passwords(runner):
    result = runner.invoke(
        args=[
            "users",
            "add",
            "a@b.org",
            "--role",
            "admin",
            "--partnership",
            "demo-lip",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0
    assert "at least 12" in result.output


def test_forms_without_form_id_never_collide(runner, app, tmp_path: Path):
    first, second = tmp_path / "a" / "data.md", tmp_path / "b" / "data.md"
    for path, label in ((first, "First"), (second, "Second")):
        path.parent.mkdir()
        path.write_text(f"| survey |\n| | type | name | label |\n| | text | q | {label} |\n")
    for path in (first, second):
        result = runner.invoke(args=["forms", "import", str(path), "--partnership", "demo-lip"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        slugs = db.session().scalars(select(Survey.slug).where(Survey.slug.like("data%"))).all()
        assert sorted(slugs) == ["data", "data-2"]
        versions = db.session().scalars(select(SurveyVersion.number)).all()
        assert max(versions) == 1


def test_an_explicit_slug_that_is_taken_is_refused(runner, tmp_path: Path):
    path = tmp_path / "form.md"
    path.write_text(FORM)
    args = ["forms", "import", str(path), "--partnership", "demo-lip", "--slug", "needs-assessment"]
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert "--new-version-of needs-assessment" in result.output


def test_forms_check_over_a_folder_prints_the_counts(runner, tmp_path: Path):
    (tmp_path / "good.md").write_text(FORM)
    (tmp_path / "bad.md").write_text(FORM.replace("| text | t ", "| text | t t "))
    result = runner.invoke(args=["forms", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "2 forms; imported: 1, refused clearly: 1, refused unclearly: 0, crashed: 0" in (
        result.output
    )
