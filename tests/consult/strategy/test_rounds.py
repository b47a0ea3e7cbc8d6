"""Gap maps, priority rounds and the strategy draft through the real app."""

import io
import re
import uuid

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from analysis.report import every_count, report_from_dict
from consult import create_app, db
from consult.coding.models import ApprovedQuote, TextUnitRow
from consult.reports.build import Members
from consult.reports.models import Publication
from consult.strategy.models import Ballot, PriorityRound
from consult.survey.services import store_response, survey_by_slug
from consult.survey.submission import withdraw_response
from tests.consult.strategy.seed import (
    COMMITTEE,
    RESEARCHER,
    add_committee_members,
    inventory_csv,
    publish,
    seed_responses,
    signed_in,
    survey_id,
)


@pytest.fixture(scope="module")
def app(databases, tmp_path_factory):
    """One app and database for the module: every test opens rounds of its own."""
    url = databases.new(tmp_path_factory.mktemp("strategy-rounds"))
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "RATELIMIT_ENABLED": False,
        }
    )
    yield app
    db.dispose(app)
    databases.drop(url)


@pytest.fixture(scope="module")
def world(app, tmp_path_factory):
    seed_responses(app)
    add_committee_members(app)
    approve_a_quote(app)
    path = tmp_path_factory.mktemp("inventory") / "inventory.csv"
    path.write_bytes(inventory_csv())
    imported = app.test_cli_runner().invoke(
        args=["services", "import", str(path), "--partnership", "demo-lip"]
    )
    assert imported.exit_code == 0
    researcher = signed_in(app, *RESEARCHER)
    publication = publish(researcher, survey_id(app))
    members = [signed_in(app, email, password) for email, password in COMMITTEE]
    return researcher, publication, members


QUOTE = "الإيجار مرتفع جدا"
TRANSLATION = "The rent is very high"


def approve_a_quote(app) -> None:
    """An approved Arabic quote about housing, with its English translation."""
    with app.app_context():
        session = db.session()
        unit = session.scalars(
            select(TextUnitRow).where(TextUnitRow.language == "ar").order_by(TextUnitRow.id)
        ).first()
        session.add(
            ApprovedQuote(
                partnership_id=unit.partnership_id,
                unit_id=unit.id,
                theme="housing",
                text=QUOTE,
                language="ar",
                translation=TRANSLATION,
            )
        )
        db.commit()


def snapshot(app, publication_id, lang="en"):
    with app.app_context():
        return report_from_dict(db.session().get(Publication, publication_id).snapshot[lang])


def open_round(researcher, publication, method="rank", options=None, **extra):
    page = researcher.get(f"/research/rounds/new/{publication}?lang=en")
    assert page.status_code == 200
    offered = re.findall(r'name="options" value="([^"]+)"', page.text)
    data = {
        "csrf_token": researcher.csrf,
        "title": "Priorities 2027",
        "method": method,
        "budget": "100",
        "area": "area",
        "options": options or offered[:4],
        **extra,
    }
    answer = researcher.post(f"/research/rounds/new/{publication}", data=data)
    assert answer.status_code == 302, answer.text[:2000]
    return int(answer.headers["Location"].rsplit("/", 1)[1]), offered


def test_gap_map_shows_protected_need_beside_services(app, world):
    researcher, publication, members = world
    page = members[0].get(f"/committee/{publication}/gaps?lang=en")
    assert page.status_code == 200
    text = page.text
    assert "The largest gaps" in text and "data:image/svg+xml;base64," in text
    assert "Gap score = need ÷ (1 + services)" in text
    # Arabic speakers: all 24 raised housing (published rounded); one housing service in Arabic
    report = snapshot(app, publication)
    language = next(t for t in report.tables if t.attribute == "language")
    arabic = language.group_keys.index("ar")
    count = language.rows[language.theme_keys.index("housing")][1][arabic]
    total = language.group_totals[arabic]
    assert count in (20, 25) and total in (20, 25)
    share = f"{100 * min(count, total) / total:.0f}%"
    assert (
        f"Housing — Arabic: raised by {share} of the group ({count} of {total}); 1 service" in text
    )
    published = set(every_count(report))
    for count, total in re.findall(r"\((\d+) of (\d+)\)", text):
        assert int(count) in published and int(total) in published


def test_gap_map_hides_what_the_publication_hides(app, world):
    researcher, _publication, members = world
    with app.app_context():
        session = db.session()
        survey = survey_by_slug(session, "needs-assessment")
        for _ in range(2):
            answers = {
                "years_in_canada": "lt1",
                "age_band": "a25_34",
                "area": "rural",
                "hardest_part": "Rent",
            }
            store_response(
                session, survey, survey.current_version_id, str(uuid.uuid4()), "so", answers
            )
        db.commit()
    publication = publish(researcher, survey_id(app))
    report = snapshot(app, publication)
    language = next(t for t in report.tables if t.attribute == "language")
    somali = language.group_keys.index("so")
    # two Somali speakers: their counts are rounded to 0 ("fewer than 5") or 5, never 2
    assert language.group_totals[somali] in (0, 5, None)
    page = members[0].get(f"/committee/{publication}/gaps?lang=en").text
    table = page[page.index("By language of the answers") :]
    for count, total in re.findall(r"\((\d+) of (\d+)\)", page):
        assert int(count) % 5 == 0 and int(total) % 5 == 0 and int(total) > 0
    assert "(2 of" not in page and "of 2)" not in page
    somali_housing = language.rows[language.theme_keys.index("housing")][1][somali]
    if somali_housing == 0:
        assert "fewer than 5" in table  # said as the publication says it, never "0%"


def test_gap_map_is_refused_to_another_partnership_and_anonymous(app, world):
    _researcher, publication, _members = world
    assert app.test_client().get(f"/committee/{publication}/gaps").status_code == 302
    assert (
        signed_in(app, *RESEARCHER).get(f"/committee/{publication + 999}/gaps").status_code == 404
    )


def test_rank_round_secret_ballots_changeable_until_close_then_the_draft(app, world):
    researcher, publication, members = world
    round_id, offered = open_round(researcher, publication)
    options = offered[:4]
    votes = [  # places for options 1..4
        {"option-1": "2", "option-2": "1"},
        {"option-1": "1", "option-3": "2", "option-2": "3"},
        {"option-1": "1", "option-2": "2"},
    ]
    for member, places in zip(members, votes, strict=True):
        answer = member.post(
            f"/committee/rounds/{round_id}", data={"csrf_token": member.csrf, **places}
        )
        assert answer.status_code == 302, answer.text[:2000]
    # one member votes from the Arabic pages, and changes their mind there
    page = members[2].get(f"/committee/rounds/{round_id}?lang=ar")
    assert 'dir="rtl"' in page.text and 'name="option-1"' in page.text
    changed = members[2].post(
        f"/committee/rounds/{round_id}?lang=ar",
        data={"csrf_token": members[2].csrf, "option-2": "1", "option-4": "2"},
    )
    assert changed.status_code == 302
    duplicate = members[2].post(
        f"/committee/rounds/{round_id}?lang=en",
        data={"csrf_token": members[2].csrf, "option-2": "1", "option-4": "1"},
    )
    assert duplicate.status_code == 200 and "Your ballot was not saved" in duplicate.text

    # researchers see turnout, never a ballot; they cannot vote
    manage = researcher.get(f"/research/rounds/{round_id}?lang=en").text
    assert "3 of 3 committee members have voted" in manage
    refused = researcher.post(
        f"/committee/rounds/{round_id}", data={"csrf_token": researcher.csrf, "option-1": "1"}
    )
    assert refused.status_code == 403
    with app.app_context():
        ballots = db.session().scalars(select(Ballot).where(Ballot.round_id == round_id)).all()
        assert len(ballots) == 3
        assert all(len(b.voter) == 64 for b in ballots)

    assert (
        researcher.post(
            f"/research/rounds/{round_id}/close", data={"csrf_token": researcher.csrf}
        ).status_code
        == 302
    )
    late = members[0].post(
        f"/committee/rounds/{round_id}", data={"csrf_token": members[0].csrf, "option-3": "1"}
    )
    assert late.status_code == 200 and "This round is closed" in late.text
    with app.app_context():
        row = db.session().get(PriorityRound, round_id)
        scores = {o["option"]: o["score"] for o in row.result["options"]}
    # Borda with 4 options: place r earns 5 - r; ballots (2,1), (1,3,2), and the changed (option 2 first, option 4 second)
    assert scores == {
        options[0]: 3 + 4 + 0,
        options[1]: 4 + 2 + 4,
        options[2]: 0 + 3 + 0,
        options[3]: 3,
    }
    results = members[0].get(f"/committee/rounds/{round_id}?lang=en").text
    assert "3 of 3 committee members voted (100%)." in results
    assert ">1</td>" in results and "3=" in results  # options 3 and 4 tie on 3 points

    pdf = members[0].get(f"/committee/rounds/{round_id}/strategy.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Priority 1" in text and "Priority 3 (tied)" in text
    assert "Gap score" in text and "Borda" in text

    assert TRANSLATION in text  # the approved quote's translation (its Arabic is shaped)

    docx = members[1].get(f"/committee/rounds/{round_id}/strategy.docx?lang=ar")
    document = Document(io.BytesIO(docx.data))
    assert docx.status_code == 200 and document.core_properties.language == "ar"
    assert document.paragraphs and any("w:bidi" in p._p.xml for p in document.paragraphs)
    english = Document(
        io.BytesIO(members[1].get(f"/committee/rounds/{round_id}/strategy.docx?lang=en").data)
    )
    quote = next(p for p in english.paragraphs if QUOTE in p.text)
    translation = next(p for p in english.paragraphs if p.text == TRANSLATION)
    # in an English draft, the Arabic quote still reads right to left, its translation not
    assert (
        'w:val="ar"' in quote._p.xml and "<w:rtl/>" in quote._p.xml and "<w:bidi/>" in quote._p.xml
    )
    assert 'w:val="en"' in translation._p.xml and "<w:rtl/>" not in translation._p.xml

    html = members[1].get(f"/committee/rounds/{round_id}/strategy.html?lang=ar")
    assert '<html lang="ar" dir="rtl">' in html.text


def test_points_round_refuses_over_budget_and_counts_points(app, world):
    researcher, publication, members = world
    round_id, offered = open_round(researcher, publication, method="points", budget="10")
    over = members[0].post(
        f"/committee/rounds/{round_id}?lang=en",
        data={"csrf_token": members[0].csrf, "option-1": "8", "option-2": "5"},
    )
    assert over.status_code == 200 and "You gave more points than you have." in over.text
    assert 'value="8"' in over.text  # what was typed is kept
    arabic_digits = members[0].post(
        f"/committee/rounds/{round_id}",
        data={"csrf_token": members[0].csrf, "option-1": "٧", "option-2": "3"},
    )
    assert arabic_digits.status_code == 302
    members[1].post(
        f"/committee/rounds/{round_id}", data={"csrf_token": members[1].csrf, "option-2": "10"}
    )
    researcher.post(f"/research/rounds/{round_id}/close", data={"csrf_token": researcher.csrf})
    with app.app_context():
        row = db.session().get(PriorityRound, round_id)
        scores = {o["option"]: o["score"] for o in row.result["options"]}
        assert row.result["ballots"] == 2 and row.result["eligible"] == 3
    assert scores[offered[0]] == 7 and scores[offered[1]] == 13


def test_opening_a_round_checks_its_settings(app, world):
    researcher, publication, _members = world
    page = researcher.post(
        f"/research/rounds/new/{publication}?lang=en",
        data={
            "csrf_token": researcher.csrf,
            "title": "",
            "method": "points",
            "budget": "lots",
            "options": [],
        },
    )
    assert page.status_code == 200
    for message in (
        "Give the round a title.",
        "Give a whole number of points",
        "Choose between 2 and 20 options.",
    ):
        assert message in page.text


def test_the_draft_waits_for_the_round_to_close(app, world):
    researcher, publication, members = world
    round_id, _offered = open_round(researcher, publication)
    assert members[0].get(f"/committee/rounds/{round_id}/strategy.pdf").status_code == 409


def test_a_withdrawal_reaches_the_gap_map_and_rounds_before_anyone_reads_them(app, world):
    """A respondent who withdraws after a publication is counted nowhere: the gap map and
    a round on it re-derive the publication first (a new version), as committee pages do."""
    researcher, _publication, members = world
    with app.app_context():
        session = db.session()
        survey = survey_by_slug(session, "needs-assessment")
        answers = {"years_in_canada": "lt1", "age_band": "a25_34", "area": "north"}
        stored, _ = store_response(
            session, survey, survey.current_version_id, str(uuid.uuid4()), "en", answers
        )
        db.commit()
    publication = publish(researcher, survey_id(app))
    round_id, _offered = open_round(researcher, publication)
    with app.app_context():
        assert db.session().get(Publication, publication).version == 1
        withdraw_response(db.session(), stored.reference)
        db.commit()
    assert members[0].get(f"/committee/{publication}/gaps?lang=en").status_code == 200
    with app.app_context():
        row = db.session().get(Publication, publication)
        assert row.version == 2 and row.versions[-1].reason == "withdrawal"
        members_now = row.versions[-1].members
        assert not Members.from_dict(members_now).contains_response(stored.id)
        assert Members.from_dict(row.versions[0].members).contains_response(stored.id)
    assert members[0].get(f"/committee/rounds/{round_id}?lang=en").status_code == 200
