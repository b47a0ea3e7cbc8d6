from sqlalchemy import inspect

import consult.all_models  # noqa: F401  (every table)
from consult import migrate
from consult.db import make_engine
from consult.models import Base


def test_migrations_create_exactly_the_models_schema(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/m.sqlite3")
    migrate.upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    for name, table in Base.metadata.tables.items():
        columns = {c["name"] for c in inspect(engine).get_columns(name)}
        assert columns == {c.name for c in table.columns}, name
    engine.dispose()


def test_downgrade_to_base_removes_everything_and_upgrade_restores(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/d.sqlite3")
    migrate.upgrade(engine)
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert "response" in inspect(engine).get_table_names()
    engine.dispose()


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/p.sqlite3", busy_timeout_ms=4321)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
    engine.dispose()


def test_upgrade_and_downgrade_on_the_suites_database(databases, tmp_path):
    """On PostgreSQL when the suite runs there (CONSULT_TEST_DATABASE_URL), else SQLite."""
    url = databases.new(tmp_path)
    engine = make_engine(url)
    try:
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert set(inspect(engine).get_table_names()) == set(Base.metadata.tables) | {
            "alembic_version"
        }
    finally:
        engine.dispose()
        databases.drop(url)
