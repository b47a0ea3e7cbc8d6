"""The database: one engine per app, one session per request.

Services take the session and never commit; a view or CLI command commits
once, at its boundary. SQLite runs with WAL, foreign keys and a busy timeout.

Reads need no transaction. The respondent's views (survey pages, the API) run
Core statements on :func:`connection` with no ORM session at all, and their GET
and HEAD requests in autocommit, as Django runs every request by default: a
request that only reads sends its statements alone, with no BEGIN and ROLLBACK
around them (on PostgreSQL that is two round trips of three, and psycopg
forgets its prepared statements at every ROLLBACK). Every other request is one
transaction that the view commits once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import wraps
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from consult.writelock import lock_for


def make_engine(url: str, busy_timeout_ms: int = 5000, *, autocommit: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets its pragmas on every connection.

    ``autocommit`` (database servers only): every connection of the engine's own
    pool is in autocommit from the start, so none is switched per request, and
    none is rolled back on its return (it never holds a transaction).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, busy_timeout_ms)
    if autocommit:
        engine = create_engine(url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None)
    else:
        engine = create_engine(url)
    ping_when_idle(engine, PING_AFTER_IDLE_SECONDS)
    return engine


PING_AFTER_IDLE_SECONDS = 5.0
"""A pooled server connection unused this long is pinged before it is handed out."""


def ping_when_idle(engine: Engine, after_seconds: float) -> None:
    """Ping a pooled connection before use only when it sat idle ``after_seconds``.

    SQLAlchemy's ``pool_pre_ping`` pings before every use: a round trip per
    request. A connection in steady use was alive a moment ago; one that sat
    idle (a restarted server, a dropped link) is the one that may be dead. A
    failed ping raises ``DisconnectionError``, on which the pool discards the
    connection and hands out a fresh one. A connection lost while in use fails
    that one request, and SQLAlchemy then replaces every older pooled connection.
    """

    @event.listens_for(engine, "checkin")
    def _note_idle_since(_dbapi_connection, record):
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < after_seconds:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error
        if not alive:
            raise exc.DisconnectionError("the database did not answer a ping")


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Checkpoint every 4,000 WAL pages (16 MB) rather than SQLite's 1,000: pages that
        # every submission touches are copied into the database once per checkpoint, so
        # fewer checkpoints copy less, and under load a commit runs one less often.
        cursor.execute("PRAGMA wal_autocheckpoint=4000")
        cursor.close()

    return engine


def init_app(app: Flask) -> None:
    """Create the app's engine and session factory; close sessions after requests."""
    engine = make_engine(app.config["DATABASE_URL"], app.config["SQLITE_BUSY_TIMEOUT_MS"])
    app.extensions["consult.engine"] = engine
    app.extensions["consult.write_lock"] = (
        lock_for(engine.url.database) if engine.url.get_backend_name() == "sqlite" else None
    )
    app.extensions["consult.sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)
    # pysqlite sends BEGIN only before a write: SQLite's reads are in autocommit already.
    autocommit = (
        engine
        if engine.url.get_backend_name() == "sqlite"
        else make_engine(app.config["DATABASE_URL"], autocommit=True)
    )
    app.extensions["consult.autocommit_engine"] = autocommit
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["consult.engine"]


def dispose(app: Flask | None = None) -> None:
    """Close every pooled connection of the app's engines (before a restore, say)."""
    extensions = (app or current_app).extensions
    extensions["consult.engine"].dispose()
    extensions["consult.autocommit_engine"].dispose()


def session() -> Session:
    """The session of the current request or command, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["consult.sessionmaker"]()
    return g.db_session


def writing() -> AbstractContextManager:
    """Hold the database's write lock (SQLite only; see :mod:`consult.writelock`).

    Enter it before the transaction's first write (nothing pending, nothing
    flushed) and leave it after the commit: a request that already holds
    SQLite's own lock must not wait for this one.
    """
    lock = current_app.extensions.get("consult.write_lock")
    return lock if lock is not None else nullcontext()


def commit() -> None:
    """Commit the request's work: call once, at the request or command boundary."""
    session().commit()


def connection() -> Connection:
    """The request's connection for Core statements (no ORM session), opened on first
    use and closed after the request.

    GET and HEAD requests, and views marked :func:`one_statement_writes`, get one in
    autocommit on a database server: each statement is its own transaction (a read
    sent alone; a write that is one statement is atomic by itself). Other requests
    get one whose statements form one transaction, which the view commits once
    (``connection().commit()``; SQLite needs it in every case). Outside a request:
    one transaction."""
    if "db_connection" not in g:
        autocommit = has_request_context() and (
            request.method in ("GET", "HEAD") or g.get("db_one_statement_writes", False)
        )
        engine = "consult.autocommit_engine" if autocommit else "consult.engine"
        g.db_connection = current_app.extensions[engine].connect()
    return g.db_connection


def one_statement_writes(view: Callable) -> Callable:
    """Give the view's requests, whatever their method, the connection in autocommit
    (:func:`connection`): for views whose every write is one statement, atomic alone
    (an API submission on PostgreSQL), which then costs no BEGIN and COMMIT."""

    @wraps(view)
    def in_autocommit(*args, **kwargs):
        g.db_one_statement_writes = True
        return view(*args, **kwargs)

    return in_autocommit


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()  # rolls back whatever was not committed
    connection = g.pop("db_connection", None)
    if connection is not None:
        connection.close()
