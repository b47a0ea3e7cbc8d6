"""publication parts and renamed choices

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 03:40:00

A publication version also keeps the groups of people it compares (the
waves of a study, audiences), each protected on its own, as ``parts``
(in the ledger with its counts); a wave of a study maps choices renamed,
split or merged since the first wave (``choice_names``). See docs/waves.md.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publication_version") as batch:
        batch.add_column(sa.Column("parts", sa.JSON(), nullable=True))
    with op.batch_alter_table("study_wave") as batch:
        batch.add_column(sa.Column("choice_names", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("study_wave") as batch:
        batch.drop_column("choice_names")
    with op.batch_alter_table("publication_version") as batch:
        batch.drop_column("parts")
