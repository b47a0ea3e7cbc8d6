"""survey.current_version_id gets its foreign key on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:20:00

0001 declared this foreign key with ``use_alter`` inside ``create_table``:
SQLite received it in its ``CREATE TABLE``, PostgreSQL never did. This adds it
there (``ON DELETE SET NULL``, as the model says). A survey pointing at a
version that no longer exists is first set to no current version, which is
what the key would have done when that version was deleted.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NAME = "fk_survey_current_version_id_survey_version"


def _needs_the_key() -> bool:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return False  # its CREATE TABLE holds the key already
    return NAME not in {fk["name"] for fk in sa.inspect(bind).get_foreign_keys("survey")}


def upgrade() -> None:
    if not _needs_the_key():
        return
    op.execute(
        "UPDATE survey SET current_version_id = NULL WHERE current_version_id IS NOT NULL "
        "AND current_version_id NOT IN (SELECT id FROM survey_version)"
    )
    op.create_foreign_key(
        NAME, "survey", "survey_version", ["current_version_id"], ["id"], ondelete="SET NULL"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(NAME, "survey", type_="foreignkey")
