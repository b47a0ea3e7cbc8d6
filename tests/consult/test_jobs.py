"""Scheduled jobs: a due job is claimed by one caller however many ask, a held lease
keeps the others out until it expires, and what the last run did is kept and shown."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consult import db
from consult.jobs import RETENTION, claim, finish, last_run
from consult.models import Partnership, utcnow
from tests.conftest import sign_in
from tests.consult.test_retention import _age_responses
from tests.consult.walker import complete

DAY = timedelta(hours=24)


def test_one_caller_claims_a_due_job_and_the_others_wait(app):
    now = utcnow()
    with app.app_context():
        session = db.session()
        assert claim(session, "demo-job", "server-a", now, DAY)
        db.commit()
        # a second server at the same moment: the lease is held
        assert not claim(session, "demo-job", "server-b", now, DAY)
        finish(session, "demo-job", "server-a", now + timedelta(minutes=5), {"done": 1}, None)
        db.commit()
        # finished: not due again until a day after it finished
        assert not claim(session, "demo-job", "server-b", now + timedelta(hours=23), DAY)
        assert claim(session, "demo-job", "server-b", now + timedelta(hours=25), DAY)
        db.commit()
        assert last_run(session, "demo-job").lease_holder == "server-b"


def test_a_lease_left_by_a_dead_server_expires(app):
    now = utcnow()
    with app.app_context():
        session = db.session()
        assert claim(session, "demo-job", "server-a", now, DAY, lease=timedelta(hours=1))
        db.commit()
        assert not claim(session, "demo-job", "server-b", now + timedelta(minutes=59), DAY)
        assert claim(session, "demo-job", "server-b", now + timedelta(minutes=61), DAY)
        # the dead server's late finish frees nothing of the new holder's
        finish(session, "demo-job", "server-a", now + timedelta(minutes=62), {}, None)
        db.commit()
        assert last_run(session, "demo-job").lease_holder == "server-b"


def test_scheduled_retention_runs_once_and_admins_see_what_it_deleted(app, client, runner):
    for _ in range(2):
        complete(client, "needs-assessment")
    _age_responses(app, [400, 0])
    with app.app_context():
        db.session().scalar(select(Partnership)).response_retention_days = 365
        db.commit()
    admin = app.test_client()
    sign_in(admin, "admin@demo.consult.local", "demo-admin-password")
    assert "Retention has not run yet" in admin.get("/admin/settings").text

    first = runner.invoke(args=["retention", "scheduled"])
    assert first.exit_code == 0, first.output
    assert "Deleted 1 responses" in first.output
    second = runner.invoke(args=["retention", "scheduled"])  # another server, or too soon
    assert second.exit_code == 0 and "not due yet" in second.output
    with app.app_context():
        run = last_run(db.session(), RETENTION)
        assert run.last_result["responses"] == 1 and run.last_error is None
        assert run.lease_holder is None  # the lease is free again

    page = admin.get("/admin/settings").text
    assert "Retention last ran at" in page and "1 response deleted" in page
    assert "0 focus-group contacts deleted" in page
    assert "Every night" not in page


def test_a_manual_run_is_recorded_too(app, runner):
    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert last_run(db.session(), RETENTION).last_result["drafts"] == 0
