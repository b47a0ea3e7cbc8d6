"""Committee publications that show a study's trend: two waves of the demo survey (generated
data) published with a summary, read by a committee member, audited with the ledger and
re-derived after a withdrawal."""

from __future__ import annotations

import io
import random
import re
import uuid

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from analysis.report import every_count, report_from_dict
from consult import create_app, db
from consult.auth.services import find_partnership
from consult.demo import demo_form_bytes, load_audiences
from consult.ledger import Members, ledger
from consult.models import Response, SurveyStatus
from consult.reports.models import Publication
from consult.survey.services import import_survey, store_response, survey_by_slug
from consult.survey.withdraw import withdraw_response
from tests.consult.strategy.seed import COMMITTEE, RESEARCHER, signed_in

RENT = "The rent is too high and I cannot find housing"


@pytest.fixture(scope="module")
def app(databases, tmp_path_factory):
    url = databases.new(tmp_path_factory.mktemp("comparisons"))
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
        for slug in ("needs-2028", "needs-tiny"):
            made = import_survey(session, partnership, demo_form_bytes(), f"{slug}.md", slug=slug)
            made.survey.status = SurveyStatus.OPEN
        load_audiences(session, partnership)  # the employer survey and the provider scan
        db.commit()
    _respond(app, "needs-assessment", seed=1, n=120, housing=0.30, employed=0.40)
    _respond(app, "needs-2028", seed=2, n=120, housing=0.65, employed=0.42)
    _respond(app, "needs-tiny", seed=3, n=3, housing=1.0, employed=1.0)
    yield app
    db.dispose(app)
    databases.drop(url)


def _respond(app, slug, *, seed, n, housing, employed):
    rng = random.Random(seed)
    with app.app_context():
        session = db.session()
        survey = survey_by_slug(session, slug)
        for _ in range(n):
            answers = {"years_in_canada": "y1_3", "age_band": "a25_34", "area": "downtown"}
            answers["employment_status"] = "employed" if rng.random() < employed else "looking"
            if rng.random() < housing:
                answers["hardest_part"] = RENT
            store_response(
                session, survey, survey.current_version_id, str(uuid.uuid4()), "en", answers
            )
        db.commit()


@pytest.fixture(scope="module")
def researcher(app):
    return signed_in(app, *RESEARCHER)


@pytest.fixture(scope="module")
def member(app):
    return signed_in(app, *COMMITTEE[0])


def _ids(app, *slugs) -> list[int]:
    with app.app_context():
        return [survey_by_slug(db.session(), slug).id for slug in slugs]


def _study(researcher, title: str, waves) -> int:
    made = researcher.post("/research/waves/", data={"csrf_token": researcher.csrf, "title": title})
    study_id = int(made.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    for survey_id, label in waves:
        added = researcher.post(
            f"/research/waves/{study_id}/waves",
            data={"csrf_token": researcher.csrf, "survey": str(survey_id), "label": label},
        )
        assert added.status_code == 302
    return study_id


def _publish(researcher, survey_ids, **extra) -> int:
    answer = researcher.post(
        "/research/publications",
        data={
            "csrf_token": researcher.csrf,
            "title": "Needs 2028, with the change since 2026",
            "surveys": [str(i) for i in survey_ids],
            "breakdowns": ["area"],
            "focus_groups": "yes",
            **extra,
        },
    )
    assert answer.status_code == 302, answer.text[:800]
    return int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _snapshot(app, publication_id: int, lang: str = "en"):
    with app.app_context():
        return report_from_dict(db.session().get(Publication, publication_id).snapshot[lang])


def _line(report, label: str):
    (section,) = report.comparisons
    return next(line for t in section.tables for line in t.lines if line.label == label)


def test_a_committee_member_reads_the_trend_in_words(app, researcher, member):
    first, second = _ids(app, "needs-assessment", "needs-2028")
    study_id = _study(researcher, "Needs 2026 and 2028", [(first, "2026"), (second, "2028")])
    publication_id = _publish(researcher, [second], study=str(study_id))
    report = _snapshot(app, publication_id)
    assert _line(report, "Housing").verdict == "rose"
    assert (
        _line(report, "I have a paid job (full-time, part-time or self-employed)").verdict == "same"
    )
    page = member.get(f"/committee/{publication_id}?lang=en")
    assert page.status_code == 200
    assert "Change over time: Needs 2026 and 2028" in page.text
    assert re.search(r"Rose from about \d+% to about \d+%; this change is unlikely", page.text)
    assert "a change this small could be chance" in page.text
    # questions nobody answered are named in one sentence, not drawn as empty tables
    note = re.search(r"Questions not shown, because [^<]*", page.text).group(0)
    assert "Is your job related to your education or work experience?" in note
    captions = re.findall(r"<caption>([^<(]*)", page.text)
    assert not any("Is your job related" in c for c in captions)
    french = member.get(f"/committee/{publication_id}?lang=fr")
    assert "Évolution dans le temps" in french.text
    pdf = member.get(f"/committee/{publication_id}/report.pdf?lang=en")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Rose from about" in " ".join(text.split())
    for count in every_count(report):  # the comparison's counts are published numbers
        assert count % 5 == 0


def test_a_wave_too_small_to_publish_shows_no_number(app, researcher, member):
    first, tiny = _ids(app, "needs-assessment", "needs-tiny")
    study_id = _study(researcher, "With a tiny wave", [(first, "2026"), (tiny, "pilot")])
    publication_id = _publish(researcher, [first], study=str(study_id))
    report = _snapshot(app, publication_id)
    (section,) = report.comparisons
    assert section.respondents[1] is None
    assert all(c not in (1, 2, 3, 4) for c in every_count(report))
    page = member.get(f"/committee/{publication_id}?lang=en")
    (table,) = re.findall(r'<table class="comparison">.*?</table>', page.text, re.S)[:1]
    numbers = [int(n) for n in re.findall(r"(?<![\d.])(\d+)(?![\d.%])", table)]
    assert numbers and all(n == 0 or n >= 5 for n in numbers), numbers


def test_the_published_waves_join_the_ledger(app, researcher):
    first, second = _ids(app, "needs-assessment", "needs-2028")
    study_id = _study(researcher, "Ledger", [(first, "2026"), (second, "2028")])
    publication_id = _publish(researcher, [second], study=str(study_id))
    with app.app_context():
        session = db.session()
        version = session.get(Publication, publication_id).versions[-1]
        assert len(version.parts) == 2  # each wave's protected counts and members
        first_wave = Members.from_dict(version.parts[0]["members"])
        wave_ids = list(
            session.scalars(
                select(Response.id).where(Response.survey_id == first).order_by(Response.id)
            )
        )
        assert first_wave.size() == len(wave_ids)
        audited = ledger(session, version.partnership_id, Members.of(wave_ids, ()))
        shapes = [e.counts.shape for e in audited]
        assert any("employment_status" in [d.name for d in s.dimensions] for s in shapes)


def test_a_withdrawal_from_a_wave_rederives_the_publication(app, researcher, member):
    first, second = _ids(app, "needs-assessment", "needs-2028")
    study_id = _study(researcher, "Withdrawal", [(first, "2026"), (second, "2028")])
    publication_id = _publish(researcher, [second], study=str(study_id))
    with app.app_context():
        session = db.session()
        row = session.execute(
            select(Response.reference, Response.id).where(
                Response.survey_id == first, Response.withdrawn_at.is_(None)
            )
        ).first()
        withdraw_response(session, row.reference)
        db.commit()
    page = member.get(f"/committee/{publication_id}?lang=en")
    assert page.status_code == 200 and "Change over time" in page.text
    with app.app_context():
        publication = db.session().get(Publication, publication_id)
        assert publication.version == 2  # the wave's withdrawal made it stale
        latest = publication.versions[-1]
        assert latest.reason == "withdrawal" and len(latest.parts) == 2
        assert not Members.from_dict(latest.parts[0]["members"]).contains_response(row.id)
        before = Members.from_dict(publication.versions[0].parts[0]["members"])
        assert before.contains_response(row.id)


CREDENTIALS = "Employers do not recognize foreign credentials"


def _say(app, slug, question, n, share, seed):
    """``n`` answers to ``slug``, a ``share`` of them about credentials in ``question``."""
    rng = random.Random(seed)
    with app.app_context():
        session = db.session()
        survey = survey_by_slug(session, slug)
        for _ in range(n):
            text = CREDENTIALS if rng.random() < share else "Nothing to add"
            store_response(
                session,
                survey,
                survey.current_version_id,
                str(uuid.uuid4()),
                "en",
                {question: text},
            )
        db.commit()


def test_newcomers_employers_and_providers_side_by_side(app, researcher, member):
    _say(app, "employer-survey", "hiring_challenge", 60, 0.6, seed=4)
    _say(app, "provider-scan", "service_gaps", 60, 0.1, seed=5)
    surveys = _ids(app, "needs-assessment", "employer-survey", "provider-scan")
    preview = researcher.post(
        "/research/publications",
        data={
            "csrf_token": researcher.csrf,
            "title": "Three audiences",
            "surveys": [str(i) for i in surveys],
            "audiences": "yes",
            "action": "preview",
        },
    )
    assert "What each audience says about the same themes" in preview.text
    publication_id = _publish(researcher, surveys, audiences="yes")
    report = _snapshot(app, publication_id)
    (section,) = report.comparisons
    assert section.kind == "audiences" and len(section.groups) == 3
    line = _line(report, "Credentials and experience recognition")
    assert line.verdict == "differ"
    shares = dict(zip(section.groups, line.shares, strict=True))
    employers = next(v for k, v in shares.items() if "mploy" in k)
    providers = next(v for k, v in shares.items() if "rovider" in k)
    assert employers[0] > 0.4 and providers[0] < 0.25  # shares of each audience's respondents
    assert all(c % 5 == 0 for c in every_count(report))
    page = member.get(f"/committee/{publication_id}?lang=en")
    assert "What each audience says about the same themes" in page.text
    assert "differences this large are unlikely to be chance" in page.text
    gaps = member.get(f"/committee/{publication_id}/gaps?lang=en")  # beside the gap map too
    assert gaps.status_code == 200
    assert "What each audience says about the same themes" in gaps.text
    with app.app_context():
        version = db.session().get(Publication, publication_id).versions[-1]
        assert len(version.parts) == 3  # each audience's counts are in the ledger


def test_one_survey_is_not_an_audience_comparison(app, researcher):
    (first,) = _ids(app, "needs-assessment")
    refused = researcher.post(
        "/research/publications",
        data={
            "csrf_token": researcher.csrf,
            "title": "One",
            "surveys": [str(first)],
            "audiences": "yes",
        },
    )
    assert refused.status_code == 200
    assert "Choose two surveys or more to compare their audiences." in refused.text


def test_the_cli_writes_the_trend_with_the_report(app, researcher, tmp_path):
    first, second = _ids(app, "needs-assessment", "needs-2028")
    study_id = _study(researcher, "For the CLI", [(first, "2026"), (second, "2028")])
    runner = app.test_cli_runner()
    args = ["report", "needs-2028", "--out", str(tmp_path), "--study", str(study_id)]
    written = runner.invoke(args=args)
    assert written.exit_code == 0, written.output
    table = (tmp_path / "comparison-1.csv").read_text(encoding="utf-8")
    housing = next(line for line in table.splitlines() if ",Housing," in line)
    assert "Rose from about" in housing
    refused = runner.invoke(args=[*args[:-1], "99999"])
    assert refused.exit_code != 0 and "two waves or more" in refused.output
