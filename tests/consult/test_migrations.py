from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, func, inspect, select

import consult.all_models  # noqa: F401  (every table)
from consult import migrate
from consult.coding.models import AutoCode, TextUnitRow
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


def test_migrated_schema_matches_the_models_in_detail(databases, tmp_path):
    """Types, nullability, indexes and foreign keys too: Alembic's comparison finds nothing."""
    url = databases.new(tmp_path)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        engine.dispose()
        databases.drop(url)


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


def _insert_units_at_0001(connection) -> list[int]:
    """Three units stored before 0002: coded, coded then reviewed, and uncoded."""
    tables = MetaData()
    tables.reflect(connection, only=["partnership", "text_unit", "auto_code", "code_decision"])
    unit, auto, decision = (tables.tables[n] for n in ("text_unit", "auto_code", "code_decision"))
    assert "theme_keys" not in unit.c
    partnership_id = connection.scalar(select(tables.tables["partnership"].c.id).limit(1))
    common = {"partnership_id": partnership_id, "source": "focus_group", "language": "en"}
    ids = []
    for number in range(3):
        ids.append(
            connection.execute(
                unit.insert().values(
                    **common,
                    question="",
                    segment_key=f"old-{number}",
                    respondent_key=f"fg1:P{number}",
                    text="before the migration",
                    attributes={},
                    created_at=datetime.now(UTC),
                )
            ).inserted_primary_key[0]
        )
    coded, reviewed, _uncoded = ids
    connection.execute(
        auto.insert(),
        [
            {"unit_id": coded, "theme": "housing", "codebook_version": 1, "evidence": []},
            {"unit_id": coded, "theme": "employment", "codebook_version": 1, "evidence": []},
            {"unit_id": reviewed, "theme": "housing", "codebook_version": 1, "evidence": []},
        ],
    )
    connection.execute(
        decision.insert(),
        [
            {
                "unit_id": reviewed,
                "theme": "housing",
                "present": False,
                "decided_at": datetime.now(UTC),
            },
            {
                "unit_id": reviewed,
                "theme": "income",
                "present": True,
                "decided_at": datetime.now(UTC),
            },
        ],
    )
    return ids


def test_0002_fills_theme_keys_of_stored_units_and_downgrade_keeps_them(databases, tmp_path):
    url = databases.new(tmp_path)
    engine = make_engine(url)
    try:
        migrate.downgrade(engine, "0001")
        with engine.begin() as connection:
            ids = _insert_units_at_0001(connection)
        migrate.upgrade(engine)
        keys = select(TextUnitRow.id, TextUnitRow.theme_keys).where(TextUnitRow.id.in_(ids))
        with engine.connect() as connection:
            assert dict(connection.execute(keys).all()) == dict(
                zip(ids, ["employment,housing", "income", ""], strict=True)
            )
        migrate.downgrade(engine, "0001")
        assert "theme_keys" not in {c["name"] for c in inspect(engine).get_columns("text_unit")}
        with engine.connect() as connection:  # no table copy that cascaded to the codes
            units = select(func.count(TextUnitRow.id)).where(TextUnitRow.id.in_(ids))
            codes = select(func.count(AutoCode.id)).where(AutoCode.unit_id.in_(ids))
            assert (connection.scalar(units), connection.scalar(codes)) == (3, 3)
        migrate.upgrade(engine)
    finally:
        engine.dispose()
        databases.drop(url)


def test_0003_gives_the_survey_its_current_version_key(databases, tmp_path):
    url = databases.new(tmp_path)
    engine = make_engine(url)
    name = "fk_survey_current_version_id_survey_version"
    try:
        migrate.downgrade(engine, "0002")
        postgres = engine.dialect.name == "postgresql"
        if postgres:  # without the key, a survey could point at a version that is gone
            assert name not in {fk["name"] for fk in inspect(engine).get_foreign_keys("survey")}
            with engine.begin() as connection:
                connection.exec_driver_sql("UPDATE survey SET current_version_id = 999999")
        migrate.upgrade(engine)
        keys = {fk["name"]: fk for fk in inspect(engine).get_foreign_keys("survey")}
        assert keys[name]["referred_table"] == "survey_version"
        assert keys[name]["constrained_columns"] == ["current_version_id"]
        if postgres:
            with engine.connect() as connection:
                dangling = connection.exec_driver_sql(
                    "SELECT count(*) FROM survey WHERE current_version_id = 999999"
                ).scalar()
            assert dangling == 0
    finally:
        engine.dispose()
        databases.drop(url)
