"""The attacks of issue #13, played against the real app: API submissions, publishing through
the researcher pages, reading the committee HTML, PDF and CSV, then an exact integer attack
(tests/consult/reports/attacker.py) on every number the pages show.

Each attack sets up the data that broke the old reports:

1. sums across sources (total 21, survey 20: the one focus-group participant), and the
   timeline minus the total;
2. bounds inside one table (Downtown 32, North 5: the one rural respondent);
3. two summaries whose periods differ by one day (the day's two people);
4. quotes from outside the summary's scope or under a theme too small to show;
5. labels: "fewer than 5" only ever on counts below 5;
6. a withdrawal after publishing: the response leaves every output, and the two
   versions together do not give away the one who left.
"""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader
from sqlalchemy import select, update

from analysis.disclosure import (
    TOTAL,
    HiddenCount,
    ProtectedCounts,
    Protection,
    cell_id,
    group_id,
    theme_id,
)
from analysis.report import report_from_dict
from consult import db
from consult.coding.models import TextUnitRow
from consult.models import Response
from consult.reports.models import Publication
from tests.conftest import csrf_from, sign_in
from tests.consult.focusgroups.helpers import make_session
from tests.consult.focusgroups.test_coding import add_segments
from tests.consult.reports.attacker import Observation, exposed, page_counts, reduced, restricted

RESEARCHER = ("researcher@demo.consult.local", "demo-researcher-password")
COMMITTEE = ("committee@demo.consult.local", "demo-committee-password")
SLUG = "needs-assessment"
RENT, RACISM, JOB = "The rent is too high", "People were racist to me", "Je cherche un emploi"


def submit(client, text=RENT, language="en", area="downtown", years="lt1"):
    """One response through the public API; its reference code."""
    body = {
        "instance_id": str(uuid.uuid4()),
        "language": language,
        "answers": {
            "years_in_canada": years,
            "age_band": "a25_34",
            "area": area,
            "hardest_part": text,
        },
    }
    reply = client.post(f"/api/v1/surveys/{SLUG}/responses", json=body)
    assert reply.status_code == 201, reply.text
    return reply.json["reference"]


def publish(client, title, breakdowns=(), since="", until="", focus_groups=True):
    """Publish through the researcher page; the publication's id."""
    sign_in(client, *RESEARCHER)
    page = client.get("/research/publications")
    data = {
        "csrf_token": csrf_from(page.text),
        "title": title,
        "surveys": ["1"],
        "breakdowns": list(breakdowns),
        "since": since,
        "until": until,
        "action": "publish",
    }
    if focus_groups:
        data["focus_groups"] = "yes"
    reply = client.post("/research/publications", data=data)
    assert reply.status_code == 302, reply.text[:500]
    return int(reply.headers["Location"].rsplit("/", 1)[1])


def committee(app):
    reader = app.test_client()
    sign_in(reader, *COMMITTEE)
    return reader


def read(app, reader, publication_id):
    """What the committee reads (HTML, PDF text, CSV) and the stored protected counts."""
    html = reader.get(f"/committee/{publication_id}?lang=en").text
    pdf = reader.get(f"/committee/{publication_id}/report.pdf?lang=en").data
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    csv_text = reader.get(f"/committee/{publication_id}/report.csv?lang=en").text
    with app.app_context():
        publication = db.session().get(Publication, publication_id)
        stored = ProtectedCounts.from_dict(publication.versions[-1].counts)
        report = report_from_dict(publication.snapshot["en"])
    return html, text, csv_text, page_counts(html, stored, report)


def past_focus_group(app, lines, days_ago=40):
    """A focus-group session held ``days_ago`` with one segment per (code, text)."""
    session_id = make_session(app, starts_at=datetime.now(UTC) - timedelta(days=days_ago))
    add_segments(app, session_id, lines)


def what_the_few_had(before, after, few_in, few):
    """What the ``few`` people counted only in the ``few_in`` publication ("before" or
    "after") had that can be pinned: housing, discrimination, downtown, both.

    Atom 0 is the people counted in both, atom 1 the few; the attacker knows how many.
    """
    shape = reduced(before, after, keep={"housing", "discrimination"})
    observations = [
        Observation(restricted(before, shape), (0, 1) if few_in == "before" else (0,)),
        Observation(restricted(after, shape), (0, 1) if few_in == "after" else (0,)),
    ]
    theirs = [
        (1, theme_id("housing")),
        (1, theme_id("discrimination")),
        (1, group_id("area", "downtown")),
        (1, cell_id("discrimination", "area", "downtown")),
    ]
    return exposed(observations, 2, {1: few}, theirs, shape)


def asked(questions):
    return {cell[1] for _atom, cell in questions if cell[0] in ("theme", "cell", "mood")}


def pinned_alone(counts, questions):
    shape = reduced(counts, keep=asked(questions))
    return exposed([Observation(restricted(counts, shape))], 1, {}, questions, shape)


def test_sums_across_sources_and_the_timeline_do_not_give_away_one_participant(app, client):
    for _ in range(20):
        submit(client)
    past_focus_group(app, [("P1", "The rent is too high for my family")])
    publication_id = publish(client, "Sources")
    html, pdf_text, csv_text, counts = read(app, committee(app), publication_id)
    assert "Focus groups" in html and "fewer than 5" in pdf_text + csv_text or "5" in csv_text
    participant = [
        (0, group_id("source", "focus_group")),
        (0, cell_id("housing", "source", "focus_group")),
    ]
    assert pinned_alone(counts, participant) == []  # total − survey, months − total: no 1


def test_bounds_inside_a_table_do_not_pin_the_one_rural_respondent(app, client):
    for _ in range(32):
        submit(client, area="downtown")
    for _ in range(5):
        submit(client, JOB, language="fr", area="north")
    submit(client, RACISM, area="rural")
    publication_id = publish(client, "Areas", breakdowns=("area",))
    _html, _pdf, _csv, counts = read(app, committee(app), publication_id)
    rural = [
        (0, group_id("area", "rural")),
        (0, cell_id("discrimination", "area", "rural")),
        (0, theme_id("discrimination")),
    ]
    assert pinned_alone(counts, rural) == []


def test_two_periods_a_day_apart_do_not_give_away_the_days_two_people(app, client):
    day = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=3)
    early = [submit(client) for _ in range(20)]
    late = [submit(client), submit(client, "The rent is too high and people were racist to me")]
    with app.app_context():
        for references, moment in ((early, day - timedelta(days=1)), (late, day)):
            db.session().execute(
                update(Response)
                .where(Response.reference.in_(references))
                .values(submitted_at=moment)
            )
        db.commit()
    start = (day - timedelta(days=5)).date().isoformat()
    first = publish(client, "Up to the day", ("area",), start, day.date().isoformat(), False)
    second = publish(
        client,
        "Up to the day after",
        ("area",),
        start,
        (day + timedelta(days=1)).date().isoformat(),
        False,
    )
    reader = committee(app)
    *_, before = read(app, reader, first)
    *_, after = read(app, reader, second)
    assert what_the_few_had(before, after, few_in="after", few=2) == []  # the day's two


def test_quotes_come_only_from_the_scope_and_only_under_themes_shown(app, client):
    day = datetime.now(UTC) - timedelta(days=10)
    old = submit(client, "The rent is too high, I pay two thirds of my pay")
    for _ in range(9):
        submit(client)
    racist = submit(client, RACISM)
    kept = submit(client, "The rent is too high and nothing is left for food")
    with app.app_context():
        db.session().execute(
            update(Response).where(Response.reference == old).values(submitted_at=day)
        )
        db.commit()
    approve(app, client, old, "housing", "I pay two thirds of my pay for rent")
    approve(app, client, racist, "discrimination", "People were racist to me")
    approve(app, client, kept, "housing", "Nothing is left for food")
    since = (day + timedelta(days=2)).date().isoformat()
    publication_id = publish(client, "Recent", since=since)
    reader = committee(app)
    html, pdf_text, _csv, counts = read(app, reader, publication_id)
    download = reader.get(f"/committee/{publication_id}/report.html?lang=en").text
    for output in (html, pdf_text, download):
        assert "Nothing is left for food" in output
        assert "two thirds" not in output  # answered before the summary's period
    if counts.theme("discrimination") == 0:  # one person: shown as "fewer than 5"
        assert all("racist" not in output for output in (html, pdf_text, download))


def approve(app, client, reference, theme, text):
    sign_in(client, *RESEARCHER)
    page = client.get("/research/quotes")
    with app.app_context():
        unit_id = db.session().scalar(
            select(TextUnitRow.id)
            .join(Response, Response.id == TextUnitRow.response_id)
            .where(Response.reference == reference)
        )
    reply = client.post(
        "/research/quotes/approve",
        data={"csrf_token": csrf_from(page.text), "unit_id": unit_id, "theme": theme, "text": text},
    )
    assert reply.status_code == 302


def test_fewer_than_5_is_only_ever_said_of_counts_below_5(app, client, monkeypatch):
    import consult.reports.build as build
    from consult.reports.services import scope_of

    for _ in range(34):
        submit(client)
    for _ in range(2):
        submit(client, RACISM, area="rural")
    honest = publish(client, "Honest", ("area",))
    reader = committee(app)
    *_, counts = read(app, reader, honest)
    with app.app_context():
        scope = scope_of(db.session().get(Publication, honest))
        truth = build.prepare(db.session(), scope).cube.counts
    said_fewer = [cell for cell, value in counts.values.items() if value == 0]
    assert said_fewer and all(truth[cell] < 5 for cell in said_fewer)
    real = build.protect

    def hide_housing(cube, threshold, **kwargs):
        protection = real(cube, threshold, **kwargs)
        values = dict(protection.counts.values)
        values[theme_id("housing")] = None  # as if hidden to protect a small group
        counts = ProtectedCounts(cube.shape, values, protection.counts.base, threshold)
        hidden = HiddenCount(theme_id("housing"), TOTAL, 3)
        return Protection(counts, protection.draws, (hidden,))

    monkeypatch.setattr(build, "protect", hide_housing)
    publication_id = publish(client, "Labels")
    html = reader.get(f"/committee/{publication_id}?lang=en").text
    housing = html.split(">Housing<", 1)[1].split("</td>", 1)[0]
    assert "hidden to protect a small group" in housing and "fewer than" not in housing
    csv_text = reader.get(f"/committee/{publication_id}/report.csv?lang=en").text
    assert "Housing,hidden to protect a small group" in csv_text
    pdf = reader.get(f"/committee/{publication_id}/report.pdf?lang=en").data
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "hidden to protect a small group" in pdf_text
    assert "would let someone work out a group of fewer than" in html  # the methods say why


def test_a_withdrawal_reaches_every_output_and_the_versions_hide_who_left(app, client):
    for _ in range(24):
        submit(client)
    leaving = submit(client, "The rent is too high and people were racist to me")
    approve(app, client, leaving, "housing", "The rent is too high, said the one who left")
    publication_id = publish(client, "Before and after", ("area",))
    reader = committee(app)
    html, _pdf, _csv, before = read(app, reader, publication_id)
    assert "said the one who left" in html
    answer = client.post("/api/v1/responses/withdraw", json={"reference": leaving})
    assert answer.status_code == 200
    html, pdf_text, csv_text, after = read(app, reader, publication_id)
    download = reader.get(f"/committee/{publication_id}/report.html?lang=en").text
    french = reader.get(f"/committee/{publication_id}?lang=fr").text
    for output in (html, pdf_text, download, french):
        assert "said the one who left" not in output
    with app.app_context():
        publication = db.session().get(Publication, publication_id)
        assert publication.version == 2 and publication.versions[-1].reason == "withdrawal"
        assert all("one who left" not in str(r) for r in publication.snapshot.values())
    assert what_the_few_had(before, after, few_in="before", few=1) == []  # the one who left


def test_a_summary_left_with_too_few_people_is_withdrawn_not_shown(app, client):
    references = [submit(client) for _ in range(5)]
    publication_id = publish(client, "Five")
    reader = committee(app)
    assert reader.get(f"/committee/{publication_id}?lang=en").status_code == 200
    client.post("/api/v1/responses/withdraw", json={"reference": references[0]})
    page = reader.get(f"/committee/{publication_id}?lang=en")
    assert page.status_code == 410 and "no longer available" in page.text
    assert "Housing" not in page.text
    for kind in ("pdf", "csv", "html"):
        assert reader.get(f"/committee/{publication_id}/report.{kind}").status_code == 410
    with app.app_context():
        assert db.session().get(Publication, publication_id).snapshot == {}
