"""Backups of the whole database, and restoring one.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a
consistent snapshot while the app keeps serving; restoring copies a backup
back into the configured database through the same API, in one transaction
under SQLite's own locks (never by replacing the file under a live WAL).

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --if-exists
--no-owner --single-transaction``. The password goes to the child process in
``PGPASSWORD``, never on its command line. ``pg_dump`` must be at least the
server's major version (on Debian both come from the ``postgresql`` packages).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode

from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from consult.db import make_engine

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
BOOKKEEPING_TABLES = frozenset({"alembic_version", "sqlite_sequence"})


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why and what to do."""


def backup(database_url: str, target: Path) -> str:
    """Write a backup of the database at ``database_url`` to ``target``; return its kind."""
    url = make_url(database_url)
    target = Path(target)
    if target.is_dir():
        raise BackupError(f"{target} is a directory; give a file name for the backup.")
    target.parent.mkdir(parents=True, exist_ok=True)
    backend = url.get_backend_name()
    if backend == "sqlite":
        _sqlite_backup(_sqlite_path(url), target)
        return "sqlite"
    if backend == "postgresql":
        _pg_dump(url, target)
        return "postgresql"
    raise BackupError(f"Backups of {backend} databases are not supported.")


def restore(database_url: str, source: Path, *, force: bool = False) -> str:
    """Copy the backup at ``source`` into the database at ``database_url``; return its kind.

    Refuses when the database already holds data, unless ``force``.
    """
    url = make_url(database_url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    kind = _kind_of(source)
    backend = url.get_backend_name()
    if kind != backend:
        raise BackupError(
            f"{source} is a {kind or 'unknown kind of'} backup but the configured database "
            f"is {backend}; restore it into a database of the same kind."
        )
    if not force:
        tables = tables_with_data(database_url)
        if tables:
            raise BackupError(
                "The database already holds data (tables "
                + ", ".join(tables[:5])
                + (", ..." if len(tables) > 5 else "")
                + "). Restoring would replace all of it; add --force to do so."
            )
    if backend == "sqlite":
        _sqlite_restore(source, _sqlite_path(url))
    else:
        _pg_restore(url, source)
    return backend


def tables_with_data(database_url: str) -> list[str]:
    """Names of the tables (other than bookkeeping ones) that have at least one row."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = _sqlite_path(url)
        if not path.exists() or path.stat().st_size == 0:
            return []
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            names = [
                name
                for name in inspect(connection).get_table_names()
                if name not in BOOKKEEPING_TABLES
            ]
            return [
                name
                for name in sorted(names)
                if connection.scalar(select(func.count()).select_from(table(name)))
            ]
    finally:
        engine.dispose()


def _kind_of(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


# -- SQLite -------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError("Only an SQLite database in a file can be backed up or restored.")
    return Path(database)


def _sqlite_backup(database: Path, target: Path) -> None:
    if not database.exists():
        raise BackupError(f"No SQLite database at {database}.")
    handle, temporary = tempfile.mkstemp(prefix=".backup-", dir=target.parent)
    os.close(handle)
    try:
        source = sqlite3.connect(database, timeout=30)
        destination = sqlite3.connect(temporary)
        try:
            # One step: a single read transaction, so the copy is one consistent
            # snapshot; in WAL mode it does not block the app's writers.
            source.backup(destination, pages=-1)
            # A self-contained single file: no -wal beside the backup.
            destination.execute("PRAGMA journal_mode=DELETE")
            _check_integrity(destination, "the new backup")
        finally:
            destination.close()
            source.close()
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _sqlite_restore(source: Path, database: Path) -> None:
    backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        _check_integrity(backup_db, str(source))
        database.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(database, timeout=30)
        try:
            target.execute("PRAGMA busy_timeout=30000")
            # One step (pages=-1): the whole copy is one write transaction on the
            # live database, under its locks, so running servers see either the
            # old database or the restored one.
            backup_db.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode=WAL")
            _check_integrity(target, str(database))
        finally:
            target.close()
    finally:
        backup_db.close()


def _check_integrity(connection: sqlite3.Connection, what: str) -> None:
    result = connection.execute("PRAGMA integrity_check").fetchone()
    if not result or result[0] != "ok":
        raise BackupError(f"SQLite integrity check failed for {what}: {result}")


# -- PostgreSQL ---------------------------------------------------------------


def libpq_uri(url: URL) -> str:
    """A libpq connection URI for a SQLAlchemy URL, without the password."""
    user = quote(url.username or "", safe="")
    host = url.host or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = (f"{user}@" if user else "") + quote(host, safe="[]:")
    if url.port:
        netloc += f":{url.port}"
    query = {key: value for key, value in url.query.items() if isinstance(value, str)}
    uri = f"postgresql://{netloc}/{quote(url.database or '', safe='')}"
    return uri + ("?" + urlencode(query) if query else "")


def _pg_environment(url: URL) -> dict[str, str]:
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return env


def _pg_tool(name: str) -> str:
    bindir = os.environ.get("CONSULT_PG_BINDIR")
    found = shutil.which(name, path=bindir) if bindir else shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found{' in ' + bindir if bindir else ' on PATH'}. Install the "
            "PostgreSQL client tools of the same major version as the server (Debian: "
            "apt-get install postgresql-client) or set CONSULT_PG_BINDIR to their directory."
        )
    return found


def _run(command: list[str], url: URL, what: str) -> None:
    try:
        completed = subprocess.run(  # noqa: S603 - fixed program, arguments are not shell-parsed
            command,
            env=_pg_environment(url),
            capture_output=True,
            text=True,
            check=False,
            timeout=6 * 3600,
        )
    except OSError as error:
        raise BackupError(f"Could not run {command[0]}: {error}") from error
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip()
        hint = ""
        if "version mismatch" in detail:
            hint = (
                "\nThe client tools must be at least the server's major version; "
                "install the matching postgresql-client or set CONSULT_PG_BINDIR."
            )
        raise BackupError(f"{what} failed (exit {completed.returncode}):\n{detail}{hint}")


def _pg_dump(url: URL, target: Path) -> None:
    tool = _pg_tool("pg_dump")
    handle, temporary = tempfile.mkstemp(prefix=".backup-", dir=target.parent)
    os.close(handle)
    try:
        _run(
            [tool, "--format=custom", "--no-password", f"--file={temporary}", libpq_uri(url)],
            url,
            "pg_dump",
        )
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _pg_restore(url: URL, source: Path) -> None:
    tool = _pg_tool("pg_restore")
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--no-password",
            f"--dbname={libpq_uri(url)}",
            str(source),
        ],
        url,
        "pg_restore",
    )
