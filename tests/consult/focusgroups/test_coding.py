"""Focus-group segments are coded by the same codebook and reach summaries as counts."""

from datetime import timedelta

from sqlalchemy import select

from analysis.report import report_from_dict
from consult import db
from consult.coding.models import TextUnitRow
from consult.focusgroups import transcripts as fg_transcripts
from consult.focusgroups.models import FocusGroupSegment, FocusGroupSession
from consult.models import utcnow
from consult.reports.models import Publication
from tests.conftest import sign_in
from tests.consult.focusgroups.helpers import make_session
from tests.consult.reports.test_reports import RESEARCHER, publish
from tests.consult.seed import seed


def add_segments(app, session_id, lines):
    with app.app_context():
        session = db.session().get(FocusGroupSession, session_id)
        for code, text in lines:
            fg_transcripts.add_segment(
                db.session(),
                session,
                fg_transcripts.SegmentValues(None, code, "en", text, None, None),
            )
        db.commit()


def test_segments_are_coded_and_reviewed_with_survey_text(app, client):
    session_id = make_session(app)
    add_segments(
        app,
        session_id,
        [
            ("P1", "Finding an apartment with a fair rent is impossible"),
            ("P2", "I need English classes in the evening"),
        ],
    )
    sign_in(client, *RESEARCHER)
    page = client.get("/research/coding/?status=all&lang=en")
    assert "Finding an <mark" in page.text
    with app.app_context():
        units = {
            u.respondent_key: sorted(c.theme for c in u.auto_codes)
            for u in db.session().scalars(select(TextUnitRow))
        }
    assert "housing" in units[f"fg{session_id}:P1"]
    assert "language_training" in units[f"fg{session_id}:P2"]
    add_segments(app, session_id, [])
    with app.app_context():
        segment = db.session().scalars(select(FocusGroupSegment)).first()
        fg_transcripts.delete_segment(db.session(), segment)
        db.commit()
    client.get("/research/coding/?status=all")
    with app.app_context():
        assert len(db.session().scalars(select(TextUnitRow)).all()) == 1


def test_summary_puts_survey_and_focus_groups_side_by_side(app, client):
    seed(app)
    held = make_session(app, starts_at=utcnow() - timedelta(days=3))
    planned = make_session(app, title="Next month")  # in the future: outside the period
    add_segments(app, held, [(f"P{i}", "The rent is too high for my family") for i in range(1, 7)])
    add_segments(app, planned, [("P9", "The rent is too high")])
    publication_id = publish(client)
    with app.app_context():
        report = report_from_dict(db.session().get(Publication, publication_id).snapshot["en"])
    housing = next(f for f in report.findings if f.key == "housing")
    assert housing.survey_respondents == 20  # 20 is a multiple of 5: kept as it is
    assert housing.focus_group_respondents in (5, 10)  # 6, rounded
    assert housing.respondents in (25, 30)  # 26, rounded
    assert report.respondents == 34 + 6  # 40: the planned session's participant is not in it
