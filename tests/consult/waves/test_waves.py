"""Waves through the real app: two waves of the demo survey, a renamed question, the trend from
protected counts, the web pages and the CLI."""

from __future__ import annotations

import random
import re
import uuid

import pytest

from consult import create_app, db
from consult.auth.services import find_partnership
from consult.demo import demo_form_bytes
from consult.models import SurveyStatus
from consult.survey.services import import_survey, store_response, survey_by_slug
from consult.waves import services
from consult.waves.models import Study
from tests.consult.strategy.seed import RESEARCHER, publish, signed_in

RENT = "The rent is too high and I cannot find housing"


@pytest.fixture(scope="module")
def app(databases, tmp_path_factory):
    url = databases.new(tmp_path_factory.mktemp("waves"))
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        session = db.session()
        partnership = find_partnership(session, "demo-lip")
        renamed = _renamed(demo_form_bytes(), b"employment_status", b"work_status")
        second = import_survey(session, partnership, renamed, "wave2.md", slug="needs-2028")
        second.survey.status = SurveyStatus.OPEN
        db.commit()
    _respond(app, "needs-assessment", seed=1, n=120, housing=0.30, employed=0.40)
    _respond(app, "needs-2028", seed=2, n=120, housing=0.65, employed=0.42, status="work_status")
    yield app
    db.dispose(app)
    databases.drop(url)


def _renamed(form: bytes, old: bytes, new: bytes) -> bytes:
    """The form with a question renamed, no longer marked core (the bank has no ``new``)."""
    lines = form.replace(old, new).split(b"\n")
    return b"\n".join(
        line.replace(b"| yes |", b"|  |") if f"| {new.decode()} |".encode() in line else line
        for line in lines
    )


def _respond(app, slug, *, seed, n, housing, employed, status="employment_status"):
    """``n`` generated responses: rent troubles and a paid job with the given chances."""
    rng = random.Random(seed)
    with app.app_context():
        session = db.session()
        survey = survey_by_slug(session, slug)
        for _ in range(n):
            answers = {"years_in_canada": "y1_3", "age_band": "a25_34", "area": "downtown"}
            answers[status] = "employed" if rng.random() < employed else "looking"
            if rng.random() < housing:
                answers["hardest_part"] = RENT
            store_response(
                session, survey, survey.current_version_id, str(uuid.uuid4()), "en", answers
            )
        db.commit()


@pytest.fixture(scope="module")
def researcher(app):
    return signed_in(app, *RESEARCHER)


def _study_id(researcher, title: str) -> int:
    made = researcher.post("/research/waves/", data={"csrf_token": researcher.csrf, "title": title})
    assert made.status_code == 302
    return int(made.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _add(researcher, study_id: int, survey_id: int, label: str):
    return researcher.post(
        f"/research/waves/{study_id}/waves",
        data={"csrf_token": researcher.csrf, "survey": str(survey_id), "label": label},
    )


def _survey_ids(app) -> tuple[int, int]:
    with app.app_context():
        session = db.session()
        return (
            survey_by_slug(session, "needs-assessment").id,
            survey_by_slug(session, "needs-2028").id,
        )


def _trend(app, study_id: int):
    with app.app_context(), app.test_request_context():
        study = db.session().get(Study, study_id)
        return services.trend_of(db.session(), study)


def _row(found, question: str, choice: str):
    return next(r for r in found.trend.rows if r.question == question and r.choice == choice)


def test_two_waves_show_a_significant_change_and_a_non_significant_one(app, researcher):
    first, second = _survey_ids(app)
    study_id = _study_id(researcher, "Needs 2026 and 2028")
    assert _add(researcher, study_id, first, "2026").status_code == 302
    assert _add(researcher, study_id, second, "2028").status_code == 302
    before = _trend(app, study_id)
    # the renamed question is not compared until it is mapped
    assert _row(before, "employment_status", "employed").points[1].count is None
    with app.app_context():
        wave_id = db.session().get(Study, study_id).waves[1].id
    mapped = researcher.post(
        f"/research/waves/{study_id}/waves/{wave_id}/questions",
        data={"csrf_token": researcher.csrf, "first": "employment_status", "later": "work_status"},
    )
    assert mapped.status_code == 302
    found = _trend(app, study_id)
    housing = _row(found, "", "housing").points[1].change
    employed = _row(found, "employment_status", "employed").points[1].change
    assert housing.significant and housing.statistic > 0
    assert employed is not None and not employed.significant
    for counts in found.counts:  # every figure comes from rounded counts
        assert all(v is None or v % counts.base == 0 for v in counts.values.values())
    page = researcher.get(f"/research/waves/{study_id}")
    assert page.status_code == 200
    assert "2026" in page.text and "2028" in page.text
    assert "significant" in page.text and "z = " in page.text
    published = re.findall(r"<td>(\d+)<br>", page.text)
    assert published and all(int(v) % 5 == 0 for v in published)


def test_each_wave_is_audited_with_the_ledger(app, researcher, monkeypatch):
    first, _second = _survey_ids(app)
    publish(researcher, first)  # a committee summary of the first wave's people
    study_id = _study_id(researcher, "Audited")
    _add(researcher, study_id, first, "2026")
    seen = []
    real = services.protect

    def spy(cube, threshold, *, secret, earlier):
        seen.append(list(earlier))
        return real(cube, threshold, secret=secret, earlier=earlier)

    monkeypatch.setattr(services, "protect", spy)
    found = _trend(app, study_id)
    (earlier,) = seen
    assert earlier, "the summary of the same people was not audited against"
    assert all(e.only_new == 0 for e in earlier)  # the same 120 people
    again = _trend(app, study_id)
    assert again.counts == found.counts  # keyed draws: the same data shows the same numbers


def test_bad_requests_are_refused_with_a_message_and_change_nothing(app, researcher):
    first, _ = _survey_ids(app)
    empty = researcher.post("/research/waves/", data={"csrf_token": researcher.csrf, "title": " "})
    assert empty.status_code == 422 and "Give the study a title." in empty.text
    study_id = _study_id(researcher, "Refusals")
    assert _add(researcher, study_id, first, "a").status_code == 302
    again = _add(researcher, study_id, first, "b")
    assert again.status_code == 422 and "already part of this study" in again.text
    unknown = researcher.post(
        f"/research/waves/{study_id}/waves",
        data={"csrf_token": researcher.csrf, "survey": str(first), "version": "9"},
    )
    assert unknown.status_code == 422 and "no version with this number" in unknown.text
    with app.app_context():
        assert len(db.session().get(Study, study_id).waves) == 1


def test_the_cli_builds_a_study_and_prints_the_trend(app):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["waves", "create", "CLI study", "--partnership", "demo-lip"])
    assert made.exit_code == 0, made.output
    study_id = int(re.search(r"Study (\d+)", made.output).group(1))
    for slug, label in (("needs-assessment", "2026"), ("needs-2028", "2028")):
        added = runner.invoke(
            args=[
                "waves",
                "add",
                str(study_id),
                slug,
                "--partnership",
                "demo-lip",
                "--label",
                label,
            ]
        )
        assert added.exit_code == 0, added.output
    wrong = runner.invoke(
        args=["waves", "map", str(study_id), "2", "employment_status", "info_sources"]
        + ["--partnership", "demo-lip"]
    )
    assert wrong.exit_code != 0 and "different kinds" in wrong.output
    mapped = runner.invoke(
        args=["waves", "map", str(study_id), "2", "employment_status", "work_status"]
        + ["--partnership", "demo-lip"]
    )
    assert mapped.exit_code == 0, mapped.output
    shown = runner.invoke(args=["waves", "show", str(study_id), "--partnership", "demo-lip"])
    assert shown.exit_code == 0, shown.output
    housing = next(line for line in shown.output.splitlines() if ",Housing" in line)
    assert "z = " in housing
    assert "I have a paid job" in shown.output


def test_another_partnerships_study_is_not_found(app, researcher):
    with app.app_context():
        session = db.session()
        from consult.models import Partnership

        other = Partnership(slug="other-lip", name="Other")
        session.add(other)
        session.flush()
        study = services.create_study(session, other.id, "Theirs", None)
        db.commit()
        study_id = study.id
    assert researcher.get(f"/research/waves/{study_id}").status_code == 404
    removed = researcher.post(
        f"/research/waves/{study_id}/waves/1/remove", data={"csrf_token": researcher.csrf}
    )
    assert removed.status_code == 404


def test_renamed_split_and_merged_answers_map_onto_one_indicator(app, researcher):
    first, second = _survey_ids(app)
    study_id = _study_id(researcher, "Answers mapped")
    _add(researcher, study_id, first, "2026")
    _add(researcher, study_id, second, "2028")
    with app.app_context():
        first_wave, second_wave = (w.id for w in db.session().get(Study, study_id).waves)
    researcher.post(
        f"/research/waves/{study_id}/waves/{second_wave}/questions",
        data={"csrf_token": researcher.csrf, "first": "employment_status", "later": "work_status"},
    )
    before = _trend(app, study_id)
    looking = _row(before, "employment_status", "looking").points[1].count
    employed = _row(before, "employment_status", "employed").points[1].count

    def map_choice(wave_id, value, choice):
        return researcher.post(
            f"/research/waves/{study_id}/waves/{wave_id}/choices",
            data={
                "csrf_token": researcher.csrf,
                "question": "employment_status",
                "value": value,
                "choice": choice,
            },
        )

    # 2028's "looking" renamed: counted as the first wave's "employed" (as if renamed into it)
    assert map_choice(second_wave, "looking", "employed").status_code == 302
    renamed = _trend(app, study_id)
    assert _row(renamed, "employment_status", "looking").points[1].count == 0
    assert _row(renamed, "employment_status", "employed").points[1].count >= employed
    assert _row(renamed, "employment_status", "employed").points[1].count >= looking
    # the first wave merges "looking" into "employed": one indicator in both waves
    assert map_choice(first_wave, "looking", "employed").status_code == 302
    merged = _trend(app, study_id)
    choices = [r.choice for r in merged.trend.rows if r.question == "employment_status"]
    assert "looking" not in choices and "employed" in choices
    total = merged.counts[0].total
    assert abs(_row(merged, "employment_status", "employed").points[0].count - total) <= 5
    page = researcher.get(f"/research/waves/{study_id}")
    assert "employment_status: looking → employed" in page.text
    assert "I have a paid job (full-time, part-time or self-employed) / " in page.text
    # refusals: an answer the wave does not have, a choice that is not the first wave's
    bad = map_choice(second_wave, "nonsense", "employed")
    assert bad.status_code == 422 and "answers this question has in this wave" in bad.text
    worse = map_choice(second_wave, "employed", "looking")  # merged away in the first wave
    assert worse.status_code == 422 and "another answer of the first wave" in worse.text
    # removing the mappings restores the answers
    assert map_choice(first_wave, "looking", "").status_code == 302
    assert map_choice(second_wave, "looking", "").status_code == 302
    again = _trend(app, study_id)
    assert _row(again, "employment_status", "looking").points[1].count == looking


def test_the_cli_maps_answers(app):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["waves", "create", "CLI answers", "--partnership", "demo-lip"])
    study_id = re.search(r"Study (\d+)", made.output).group(1)
    for slug in ("needs-assessment", "needs-2028"):
        runner.invoke(args=["waves", "add", study_id, slug, "--partnership", "demo-lip"])
    mapped = runner.invoke(
        args=["waves", "map", study_id, "2", "employment_status", "work_status"]
        + ["--choice", "looking=employed", "--partnership", "demo-lip"]
    )
    assert mapped.exit_code == 0, mapped.output
    assert "employment_status: looking -> employed in wave 2." in mapped.output
    refused = runner.invoke(
        args=["waves", "map", study_id, "1", "employment_status"]
        + ["--choice", "looking=looking", "--partnership", "demo-lip"]
    )
    assert refused.exit_code != 0 and "another answer of the first wave" in refused.output
    with app.app_context():
        study = db.session().get(Study, int(study_id))
        assert study.waves[1].choice_names == {"employment_status": {"looking": "employed"}}
