"""`consult backup` / `consult restore`: every row of every table comes back.

Runs on SQLite, and on PostgreSQL when CONSULT_TEST_DATABASE_URL is set
(the `database_url` fixture gives either).
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

import consult.all_models  # noqa: F401 - every table in Base.metadata
from consult import create_app, db
from consult.auth.services import record
from consult.backup import BackupError, libpq_uri, restore, tables_with_data
from consult.db import make_engine
from consult.models import AuditEvent, Base, Response
from tests.conftest import PostgresDatabases, sign_in
from tests.consult.walker import complete


@pytest.fixture
def empty_database_url(databases, tmp_path):
    """A new database with nothing in it (not even the schema)."""
    if isinstance(databases, PostgresDatabases):
        name = f"consult_empty_{uuid.uuid4().hex[:12]}"
        databases._admin(f'CREATE DATABASE "{name}"')
        url = databases.base.set(database=name).render_as_string(False)
        yield url
        databases.drop(url)
    else:
        yield f"sqlite:///{tmp_path / 'restored' / 'empty.sqlite3'}"


def _app(url: str):
    return create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test", "RATELIMIT_ENABLED": False}
    )


def _all_rows(url: str) -> dict[str, list[tuple]]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = {}
            for table in Base.metadata.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                rows[table.name] = [
                    tuple(row) for row in connection.execute(select(table).order_by(*order))
                ]
            return rows
    finally:
        engine.dispose()


def _fill(app, client) -> None:
    for lang, words in [("en", "Rent is too high."), ("fr", "Le loyer."), ("ar", "الإيجار")]:
        complete(client, "needs-assessment", lang=lang, text=words)
    sign_in(client, "researcher@demo.consult.local", "demo-researcher-password")
    with app.app_context():
        session = db.session()
        response = session.scalars(select(Response)).first()
        client.get(f"/research/responses/{response.id}")
        record(session, "export", user_id=None, target="needs-assessment", detail="csv, 3 rows")
        record(session, "publish", target="summary", detail="naïve <b>bold</b> ✓")
        db.commit()


def test_backup_then_restore_into_an_empty_database_keeps_every_row(
    app, client, runner, database_url, empty_database_url, tmp_path
):
    _fill(app, client)
    before = _all_rows(database_url)
    assert len(before["response"]) == 3
    assert len(before["audit_event"]) >= 4

    backup_file = tmp_path / "backups" / "consult.backup"
    result = runner.invoke(args=["backup", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert backup_file.stat().st_size > 0

    target = _app(empty_database_url)
    try:
        restored = target.test_cli_runner().invoke(args=["restore", str(backup_file)])
        assert restored.exit_code == 0, restored.output
    finally:
        db.dispose(target)

    after = _all_rows(empty_database_url)
    assert set(after) == set(before)
    for table_name, rows in before.items():
        assert after[table_name] == rows, f"table {table_name} differs after restore"

    # The restored database works: sign in and see the responses.
    target = _app(empty_database_url)
    try:
        web = target.test_client()
        assert (
            sign_in(web, "researcher@demo.consult.local", "demo-researcher-password").status_code
            == 302
        )
        assert web.get("/research/surveys/needs-assessment/responses").status_code == 200
        with target.app_context():
            assert len(db.session().scalars(select(AuditEvent)).all()) > len(before["audit_event"])
    finally:
        db.dispose(target)


def test_restore_refuses_a_database_with_data_unless_forced(
    app, client, runner, database_url, tmp_path
):
    complete(client, "needs-assessment")
    backup_file = tmp_path / "one.backup"
    assert runner.invoke(args=["backup", str(backup_file)]).exit_code == 0
    complete(client, "needs-assessment")
    assert len(_all_rows(database_url)["response"]) == 2

    db.dispose(app)
    refused = runner.invoke(args=["restore", str(backup_file)])
    assert refused.exit_code != 0
    assert "already holds data" in refused.output and "--force" in refused.output
    assert len(_all_rows(database_url)["response"]) == 2

    forced = runner.invoke(args=["restore", "--force", str(backup_file)])
    assert forced.exit_code == 0, forced.output
    assert len(_all_rows(database_url)["response"]) == 1
    assert "response" in tables_with_data(database_url)


def test_restore_refuses_a_file_that_is_not_a_backup(database_url, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    with pytest.raises(BackupError, match="restore it into a database of the same kind"):
        restore(database_url, bogus, force=True)


@pytest.mark.sqlite_only
def test_backup_of_sqlite_is_consistent_while_the_app_writes(tmp_path, databases):
    import threading

    url = databases.new(tmp_path)
    app = _app(url)
    stop = threading.Event()
    written = []

    def writer():
        with app.app_context():
            while not stop.is_set():
                record(db.session(), "test_write", detail="x" * 200)
                db.commit()
                written.append(1)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for index in range(3):
            result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / f"b{index}")])
            assert result.exit_code == 0, result.output
    finally:
        stop.set()
        thread.join(10)
        db.dispose(app)
    assert written
    for index in range(3):
        engine = make_engine(f"sqlite:///{tmp_path / f'b{index}'}")
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert connection.execute(text("SELECT count(*) FROM partnership")).scalar() == 1
        engine.dispose()


def test_libpq_uri_keeps_the_password_out():
    url = make_url("postgresql+psycopg://lip user:s3cr%40t@db.example:5433/consult?sslmode=require")
    uri = libpq_uri(url)
    assert uri == "postgresql://lip%20user@db.example:5433/consult?sslmode=require"
    assert "s3cr" not in uri


def test_missing_pg_dump_is_a_clear_error(tmp_path, monkeypatch):
    from consult.backup import backup

    monkeypatch.setenv("CONSULT_PG_BINDIR", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump was not found"):
        backup("postgresql+psycopg://u:p@127.0.0.1:1/x", tmp_path / "b")
