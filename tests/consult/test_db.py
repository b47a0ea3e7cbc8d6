"""Reads in autocommit, records for the survey page, and pinging only idle connections.

A survey page's GET must hold no transaction (on PostgreSQL: no BEGIN, no ROLLBACK,
prepared statements kept), must show exactly what the ORM would have loaded, and must
still save a change of language; a POST stays one transaction. A pooled connection
is pinged only after sitting idle, and one that fails its ping is replaced.
"""

import time

import pytest
from sqlalchemy import event, select, text, update

from consult import db
from consult.db import make_engine, ping_when_idle
from consult.definitions import definition_by_id
from consult.models import Draft, utcnow
from consult.survey import records, services
from tests.consult.survey.test_engine_web import consent, post

SLUG = "needs-assessment"


def _in_transaction(dbapi_connection) -> bool:
    info = getattr(dbapi_connection, "info", None)
    if info is not None and hasattr(info, "transaction_status"):  # psycopg
        return info.transaction_status.name != "IDLE"
    return dbapi_connection.in_transaction  # sqlite3


class _Statements:
    """Every statement a request runs, and whether a transaction was open after it."""

    def __init__(self, app):
        self.engines = {
            app.extensions["consult.engine"],
            app.extensions["consult.autocommit_engine"],
        }
        self.seen: list[tuple[str, bool]] = []

    def _after(self, conn, _cursor, statement, *_args):
        dbapi_connection = conn.connection.driver_connection
        self.seen.append((statement.split()[0].upper(), _in_transaction(dbapi_connection)))

    def __enter__(self):
        for engine in self.engines:
            event.listen(engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *_exc):
        for engine in self.engines:
            event.remove(engine, "after_cursor_execute", self._after)


def _draft_of(app, client) -> Draft:
    with client.session_transaction() as browser:
        token = browser["drafts"][SLUG]
    with app.app_context():
        return db.session().scalar(select(Draft).where(Draft.token == token))


def test_a_survey_page_get_reads_outside_any_transaction(app, client):
    consent(client, SLUG)
    with _Statements(app) as statements:
        page = client.get(f"/s/{SLUG}/p/1")
    assert page.status_code == 200
    assert statements.seen, "the page read nothing"
    assert [kind for kind, _ in statements.seen] == ["SELECT"]  # survey and draft, once
    assert not any(open_ for _kind, open_ in statements.seen)


def test_a_survey_page_post_is_one_transaction(app, client):
    page = consent(client, SLUG)
    with _Statements(app) as statements:
        saved = post(client, SLUG, 1, {"action": "save"}, page)
    assert saved.status_code == 302
    writes = [open_ for kind, open_ in statements.seen if kind == "UPDATE"]
    assert writes == [True]  # the draft's answers, inside the request's transaction


def test_changing_language_on_a_get_is_saved(app, client):
    consent(client, SLUG)
    french = client.get(f"/s/{SLUG}/p/1?lang=fr")
    assert french.status_code == 200 and 'lang="fr"' in french.text
    assert _draft_of(app, client).language == "fr"
    again = client.get(f"/s/{SLUG}/p/1")  # no ?lang: the draft's language now
    assert 'lang="fr"' in again.text


def test_page_records_hold_what_is_stored(app, client):
    consent(client, SLUG)
    draft = _draft_of(app, client)
    with app.app_context():
        session = db.session()
        stored = services.survey_by_slug(session, SLUG)
        connection = db.connection()
        survey, record = records.survey_and_draft(connection, SLUG, draft.token)
        for name in ("id", "partnership_id", "slug", "status", "default_language"):
            assert getattr(survey, name) == getattr(stored, name), name
        assert survey.languages == stored.languages
        assert survey.current_version_id == stored.current_version_id
        assert survey.version_number == stored.current_version.number
        assert survey.form_version == stored.current_version.form_version
        assert survey.definition is stored.definition
        for name in ("id", "token", "survey_version_id", "instance_id", "language", "answers"):
            assert getattr(record, name) == getattr(draft, name), name
        assert record.definition is definition_by_id(connection, draft.survey_version_id)
        assert records.survey_and_draft(connection, "no-such-survey", draft.token) == (None, None)
        assert records.survey_and_draft(connection, SLUG, "not-a-token")[1] is None
        assert records.survey_and_draft(connection, SLUG, None)[1] is None
        assert records.survey_by_slug(connection, SLUG) == survey


def test_an_expired_draft_is_not_a_record(app, client):
    consent(client, SLUG)
    draft = _draft_of(app, client)
    with app.app_context():
        session = db.session()
        session.execute(update(Draft).where(Draft.id == draft.id).values(expires_at=utcnow()))
        db.commit()
        survey, record = records.survey_and_draft(db.connection(), SLUG, draft.token)
    assert survey is not None and record is None
    assert client.get(f"/s/{SLUG}/p/1").status_code == 302  # back to consent


class _Pings:
    def __init__(self, engine, fail_first: bool = False):
        self.count, self.fail_first, self.real = 0, fail_first, engine.dialect.do_ping
        self.error = engine.dialect.loaded_dbapi.OperationalError

    def __call__(self, dbapi_connection):
        self.count += 1
        if self.fail_first and self.count == 1:
            raise self.error("server closed the connection unexpectedly")
        return self.real(dbapi_connection)


def _sqlite_engine(tmp_path, after_seconds: float):
    engine = make_engine(f"sqlite:///{tmp_path / 'ping.sqlite3'}")
    ping_when_idle(engine, after_seconds)
    return engine


def test_a_connection_in_steady_use_is_not_pinged(tmp_path, monkeypatch):
    engine = _sqlite_engine(tmp_path, after_seconds=60)
    pings = _Pings(engine)
    monkeypatch.setattr(engine.dialect, "do_ping", pings)
    for _ in range(5):
        with engine.connect() as connection:
            assert connection.execute(text("select 1")).scalar() == 1
    assert pings.count == 0
    engine.dispose()


def test_an_idle_connection_is_pinged_and_a_dead_one_replaced(tmp_path, monkeypatch):
    engine = _sqlite_engine(tmp_path, after_seconds=0.05)
    with engine.connect() as connection:
        first = connection.connection.driver_connection
    time.sleep(0.1)
    pings = _Pings(engine, fail_first=True)
    monkeypatch.setattr(engine.dialect, "do_ping", pings)
    with engine.connect() as connection:
        assert connection.execute(text("select 1")).scalar() == 1
        replaced = connection.connection.driver_connection
    assert pings.count == 1  # the idle connection was pinged, failed, and was replaced
    assert replaced is not first
    engine.dispose()


@pytest.mark.postgres
def test_a_server_connection_killed_while_idle_is_replaced_unseen(database_url):
    engine = make_engine(database_url)
    ping_when_idle(engine, 0.05)
    with engine.connect() as connection:
        pid = connection.execute(text("select pg_backend_pid()")).scalar()
    killer = make_engine(database_url, autocommit=True)
    with killer.connect() as connection:
        assert connection.execute(text("select pg_terminate_backend(:p)"), {"p": pid}).scalar()
    killer.dispose()
    time.sleep(0.2)
    with engine.connect() as connection:  # no error: the dead connection never reaches us
        assert connection.execute(text("select pg_backend_pid()")).scalar() != pid
    engine.dispose()


def test_requests_return_every_connection_to_its_pool(app, client):
    page = consent(client, SLUG)
    client.get(f"/s/{SLUG}/p/1?lang=fr")  # a read and a one-statement write
    post(client, SLUG, 1, {"action": "save"}, page)
    client.post(
        f"/api/v1/surveys/{SLUG}/responses",
        json={"instance_id": "leak-check", "answers": {"years_in_canada": "y1_3"}},
    )
    for name in ("consult.engine", "consult.autocommit_engine"):
        assert app.extensions[name].pool.checkedout() == 0, name
