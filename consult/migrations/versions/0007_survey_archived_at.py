"""surveys can be archived

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 21:15:00

``survey.archived_at`` is set when a researcher archives a survey (closed,
kept with its responses, listed apart). A plain ``ADD COLUMN``, nullable:
no table copy on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("survey", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("survey", "archived_at")
