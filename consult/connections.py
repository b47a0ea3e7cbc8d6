"""A session or a bare connection, for the two shared helpers that serve both.

The respondent's requests run Core statements on the request's connection
(:func:`consult.db.connection`); researchers' pages and commands hold an ORM
session. Two helpers below both wings take either: the one cache of parsed
definitions (:func:`consult.definitions.definition_by_id`) and the per-thread
coder (:func:`consult.coding.services.coder_for`, which loads a missing
codebook through the ORM).
"""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.orm import Session

SessionOrConnection = Session | Connection


def database_of(db: SessionOrConnection | None):
    """The URL of the database ``db`` works on (a cache key: one process may serve many)."""
    if db is None:
        return ""
    return db.engine.url if isinstance(db, Connection) else db.get_bind().url


def orm_session(db: SessionOrConnection) -> Session:
    """A session for ORM work: ``db`` itself, or one on the connection (it joins the
    connection's transaction, if any, and leaves committing to its owner)."""
    return db if isinstance(db, Session) else Session(bind=db)
