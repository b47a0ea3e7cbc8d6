"""The audit log in words: every action as a sentence, plurals from the catalogue,
theme names from the codebook, older entries (no data) read from their detail."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from consult.admin.audit_words import Event, action_name, describe
from consult.auth.services import record
from consult.models import Partnership
from tests.conftest import sign_in


def _label(pid, key):
    return {"housing": "Housing", "employment": "Employment"}.get(key, key)


def _say(event: Event) -> str:
    return describe(event, _label)


@pytest.mark.parametrize(
    ("event", "words"),
    [
        (Event("approve_quote", "housing unit 12", "", 1), "approved a quote for Housing"),
        (
            Event("approve_quote_override", "x", "", 1, {"theme": "employment"}),
            "approved a quote for Employment despite unresolved flags",
        ),
        (
            Event("export_responses", "needs-2026", "format=xlsx rows=1 labels=en via=web"),
            "exported 1 row of needs-2026 as XLSX",
        ),
        (
            Event("export_responses", "needs-2026", "format=csv rows=40 labels=en via=web"),
            "exported 40 rows of needs-2026 as CSV",
        ),
        (Event("survey_status", "needs-2026", "draft -> open"), "opened the survey needs-2026"),
        (Event("survey_status", "needs-2026", "open -> closed"), "closed the survey needs-2026"),
        (
            Event("retention_delete_responses", "demo", "1 responses submitted before ..."),
            "deleted 1 response past its retention period",
        ),
        (
            Event("retention_delete_responses", "demo", "", 1, {"count": 3}),
            "deleted 3 responses past their retention period",
        ),
        (Event("retention_delete_drafts", "drafts", "1 drafts"), "deleted 1 expired draft"),
        (
            Event("retention_change", "demo", "response_retention_days: none -> 1"),
            "kept survey responses for 1 day instead of until deleted by hand",
        ),
        (
            Event("retention_change", "demo", "contact_retention_days: 30 -> 14"),
            "kept focus-group contact details for 14 days instead of 30 days",
        ),
        (
            Event("role_change", "a@b.org", "researcher"),
            "gave a@b.org the role Researcher",
        ),
        (
            Event("role_change", "a@b.org", "", 1, {"role": "admin", "old": "committee"}),
            "changed the role of a@b.org from Committee member to Admin",
        ),
        (Event("sign_in_failed", "who@x.org", ""), "failed to sign in as who@x.org"),
        (Event("view_response", "K7QM3X", ""), "opened the response K7QM3X"),
        (Event("publish_summary", "7", "Spring report"), "published the summary “Spring report”"),
        (Event("archive_survey", "needs-2026", ""), "archived the survey needs-2026"),
        (Event("update_summary", "7", "Spring report"), "updated the summary “Spring report”"),
        (
            Event("close_priority_round", "priority_round:3", "1 of 12 ballots"),
            "closed a priority round: 1 ballot of 12",
        ),
        (
            Event("import_services", "services.xlsx", "added 40, updated 2"),
            "imported the service inventory from services.xlsx: 40 added, 2 updated",
        ),
        (Event("export_services", "xlsx", ""), "exported the service inventory as XLSX"),
    ],
)
def test_each_action_reads_as_a_sentence(app, event, words):
    with app.test_request_context():
        assert _say(event) == words


def test_an_unknown_action_or_unreadable_detail_is_shown_as_stored(app):
    with app.test_request_context():
        assert _say(Event("something_new", "t", "d")) == "something_new — t — d"
        assert _say(Event("export_responses", "s", "garbled")) == "export_responses — s — garbled"
        assert action_name("approve_quote") == "Quotes approved"
        assert action_name("something_new") == "something_new"


def test_words_and_plurals_come_from_the_catalogue(app):
    with app.test_request_context(), force_locale("fr"):
        assert _say(Event("sign_out", "", "")) == "s'est déconnecté·e"
        one = _say(Event("retention_delete_drafts", "", "", None, {"count": 1}))
        many = _say(Event("retention_delete_drafts", "", "", None, {"count": 4}))
        assert one != many and "1" in one and "4" in many


def test_the_audit_page_counts_events_with_plurals_and_says_who(app, client):
    from consult import db

    sign_in(client, "admin@demo.consult.local", "demo-admin-password")
    page = client.get("/admin/audit?action=sign_in")
    assert "1 event ·" in page.text and "1 events" not in page.text
    assert "signed in" in page.text and "<code>sign_in</code>" not in page.text
    with app.app_context():
        pid = db.session().scalar(select(Partnership.id))
        record(
            db.session(),
            "retention_delete_responses",
            partnership_id=pid,
            target="demo",
            data={"count": 2},
        )
        db.commit()
    # An event without a person: Consult did it.
    shown = client.get("/admin/audit?action=retention_delete_responses").text
    assert "Consult (automatic)" in shown
    assert "deleted 2 responses past their retention period" in shown


def test_a_quote_approval_names_the_theme_by_its_codebook_label(app, client):
    from consult import db
    from consult.coding.models import TextUnitRow
    from tests.conftest import csrf_from
    from tests.consult.walker import complete

    complete(client, "needs-assessment", "en", text="The rent is too high for a family like ours")
    sign_in(client, "researcher@demo.consult.local", "demo-researcher-password")
    page = client.get("/research/quotes")
    with app.app_context():
        unit_id = db.session().scalars(select(TextUnitRow.id)).first()
    data = {
        "csrf_token": csrf_from(page.text),
        "unit_id": unit_id,
        "theme": "housing",
        "text": "The rent is too high",
    }
    assert client.post("/research/quotes/approve", data=data).status_code == 302
    admin = app.test_client()
    sign_in(admin, "admin@demo.consult.local", "demo-admin-password")
    shown = admin.get("/admin/audit?action=approve_quote").text
    assert "approved a quote for Housing" in shown and "housing unit" not in shown
