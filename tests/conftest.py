"""Shared fixtures: a fresh database per test (SQLite, or PostgreSQL when configured).

Set ``CONSULT_TEST_DATABASE_URL`` to a PostgreSQL URL (a role that may create
databases) to run the suite on PostgreSQL; each test then gets its own
database cloned from a migrated template. Tests marked ``sqlite_only`` or
``postgres`` are about one kind of database and deselected on the other. Under
``CI=true`` a missing PostgreSQL or browser is a failure, never a skip.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import uuid
import warnings

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from consult import create_app, db
from consult.db import make_engine
from consult.demo import create_demo_database

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("CONSULT_TEST_DATABASE_URL", "")


def pytest_collection_modifyitems(config, items):
    """Leave out the tests about the other kind of database (deselected, not skipped):
    ``sqlite_only`` on PostgreSQL, ``postgres`` on SQLite."""
    other = "sqlite_only" if POSTGRES_URL else "postgres"
    dropped = [item for item in items if item.get_closest_marker(other) is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item.get_closest_marker(other) is None]


def _build_template(url: str) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test"})
    with app.app_context():
        create_demo_database(audiences=False)  # one survey, the default codebook
    db.dispose(app)


class SqliteDatabases:
    def __init__(self, tmp_path_factory) -> None:
        self.template = tmp_path_factory.mktemp("template") / "template.sqlite3"
        _build_template(f"sqlite:///{self.template}")

    def new(self, tmp_path) -> str:
        target = tmp_path / "consult.sqlite3"
        shutil.copy(self.template, target)
        return f"sqlite:///{target}"

    def drop(self, url: str) -> None:
        pass


class PostgresDatabases:
    def __init__(self, url: str) -> None:
        self.admin_url = make_url(url).set(database="postgres")
        self.base = make_url(url)
        self.template_name = f"consult_tpl_{uuid.uuid4().hex[:8]}"
        self._admin(f'CREATE DATABASE "{self.template_name}"')
        _build_template(self.base.set(database=self.template_name).render_as_string(False))

    def _admin(self, statement: str) -> None:
        engine = make_engine(self.admin_url.render_as_string(False))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(statement))
        engine.dispose()

    def new(self, tmp_path) -> str:
        name = f"consult_t_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template_name}"')
        return self.base.set(database=name).render_as_string(False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.template_name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    if POSTGRES_URL:
        pg = PostgresDatabases(POSTGRES_URL)
        yield pg
        pg.close()
    else:
        yield SqliteDatabases(tmp_path_factory)


@pytest.fixture
def database_url(databases, tmp_path):
    url = databases.new(tmp_path)
    yield url
    if isinstance(databases, PostgresDatabases):
        # An engine a test made and dropped still holds pooled connections until the
        # garbage collector finalises it. Finalised after DROP DATABASE ... WITH (FORCE)
        # ended them, each logs a failed rollback with a traceback, and Python 3.11's
        # traceback formatting calls ast.parse: if that collection ran inside another
        # ast.parse (werkzeug compiles every URL rule with it), CPython 3.11 raises
        # "SystemError: AST constructor recursion depth mismatch" (cpython#106905).
        # Collect them now, while their database still exists (quietly: an unclosed
        # connection's ResourceWarning would otherwise land on whichever test ran last).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
    databases.drop(url)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "RATELIMIT_ENABLED": False,
        }
    )
    yield app
    db.dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client, email: str, password: str):
    """Sign in through the real form."""
    page = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
    )
