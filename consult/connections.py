"""A session or a bare connection: what the services that accept either need of it.

The busiest requests (a survey page's GET, an API submission) run on the request's
read connection with no ORM session (:func:`consult.db.read_connection`); the
services they call also serve views that hold a session.
"""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.orm import Session

SessionOrConnection = Session | Connection


def connection_of(db: SessionOrConnection) -> Connection:
    """The connection statements run on (a session's, begun on first use)."""
    return db if isinstance(db, Connection) else db.connection()


def database_of(db: SessionOrConnection | None):
    """The URL of the database ``db`` works on (a cache key: one process may serve many)."""
    if db is None:
        return ""
    return db.engine.url if isinstance(db, Connection) else db.get_bind().url


def orm_session(db: SessionOrConnection) -> Session:
    """A session for ORM work: ``db`` itself, or one on the connection (it joins the
    connection's transaction, if any, and leaves committing to its owner)."""
    return db if isinstance(db, Session) else Session(bind=db)
