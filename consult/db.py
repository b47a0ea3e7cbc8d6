"""The database: one engine per app, one session per request.

Services take the session and never commit; a view or CLI command commits
once, at its boundary. SQLite runs with WAL, foreign keys and a busy timeout.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from consult.writelock import lock_for


def make_engine(url: str, busy_timeout_ms: int = 5000) -> Engine:
    """An engine for ``url``; SQLite gets its pragmas on every connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, busy_timeout_ms)
    return create_engine(url, pool_pre_ping=True, future=True)


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
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["consult.engine"]


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


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()  # rolls back whatever was not committed
