"""The background queue: work that must never run inside a request (Huey).

Embedding a text costs tens of milliseconds and retraining a partnership's
coder seconds: both run in a worker (``consult worker``), which ``make run``
starts beside the web server and production runs as a service of its own
(docs/operations.md). The queue is a SQLite file under the instance folder
(``instance/queue.sqlite3``) unless ``CONSULT_QUEUE_URL`` names a Redis
server (``redis://host:6379/0``), which several servers then share.

Tasks are declared at import on the module's :data:`huey`; :func:`init_app`
points it at the app's storage, and :func:`in_app_context` gives a task's
body an application context (and so a database session) of its own. In
tests (``TESTING`` without a ``QUEUE_URL``) the queue is immediate: a task
enqueued runs at once in the caller, and a task scheduled for later waits in
memory until :func:`run_due` runs it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app, has_app_context
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

QUEUE_NAME = "consult"
QUEUE_FILE = "queue.sqlite3"

huey = Huey(QUEUE_NAME, results=False, immediate=True)
_worker_app: Flask | None = None


def storage_for(url: str, instance_path: str) -> tuple[type, dict]:
    """The storage class and its arguments for ``CONSULT_QUEUE_URL`` (empty: SQLite)."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStorage, {"url": url}
    if url.startswith("sqlite:///"):
        return SqliteStorage, {"filename": url.removeprefix("sqlite:///")}
    if url:
        raise ValueError(f"CONSULT_QUEUE_URL must be redis://… or sqlite:///…, not {url!r}")
    return SqliteStorage, {"filename": str(Path(instance_path) / QUEUE_FILE)}


def where() -> str:
    """The queue's storage and where it is, without a password (the worker's first line)."""
    options = huey.storage_kwargs
    place = options.get("filename") or without_password(options.get("url", ""))
    return f"{type(huey.storage).__name__} {place}".rstrip()


def without_password(url: str) -> str:
    """``url`` with its password, if any, shown as ``***``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username or ''}:***@{host}").geturl()


def init_app(app: Flask) -> None:
    """Point the queue at the app's storage (memory, immediate, in tests)."""
    global _worker_app
    _worker_app = app
    immediate = bool(app.config.get("TESTING")) and not app.config.get("QUEUE_URL")
    if immediate:
        huey.storage_class, huey.storage_kwargs = MemoryStorage, {}
    else:
        huey.storage_class, huey.storage_kwargs = storage_for(
            app.config.get("QUEUE_URL", ""), app.instance_path
        )
    huey.immediate = immediate
    huey.storage = huey.create_storage()  # a fresh one for every app


def in_app_context(task: Callable) -> Callable:
    """Run ``task`` in an application context of its own: its own ``g`` and database
    session, closed (rolled back if uncommitted) when it returns."""

    @wraps(task)
    def with_context(*args, **kwargs):
        app = current_app._get_current_object() if has_app_context() else _worker_app
        if app is None:
            raise RuntimeError("the queue has no app: start it with `consult worker`")
        with app.app_context():
            return task(*args, **kwargs)

    return with_context


def run_due(until: datetime.datetime | None = None) -> int:
    """Run every scheduled task due by ``until`` (default: any time in the next day),
    in the caller; how many ran. For tests and the immediate queue."""
    moment = until or datetime.datetime.now(datetime.UTC).replace(tzinfo=None) + datetime.timedelta(
        days=1
    )
    ran = 0
    for task in huey.read_schedule(moment):
        huey.execute(task, timestamp=moment)
        ran += 1
    return ran
