"""the coder learns in the background

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 03:40:00

The worker (``consult worker``) embeds each text once and keeps its sentence
vector on its row (``text_unit.vector``, ``coding_example.vector``, with the
encoder's name), so a retraining never embeds a text twice; it deletes with
the row. ``text_unit.learned_training`` names the training whose learned
model coded the unit (``NULL``: keywords only, waiting for the worker), and
``text_unit.review_priority`` how much reviewing it would teach that model
(the review queue's "least certain first"). ``auto_code.similar`` names the
nearest reviewed examples where the model, not keywords, found a theme. Plain
``ADD COLUMN`` (no batch copy: on SQLite a copy of ``text_unit`` would
cascade the delete to its codes).
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("text_unit", sa.Column("learned_training", sa.Integer(), nullable=True))
    op.add_column("text_unit", sa.Column("review_priority", sa.Float(), nullable=True))
    op.add_column("auto_code", sa.Column("similar", sa.JSON(), nullable=True))
    for table in ("text_unit", "coding_example"):
        op.add_column(table, sa.Column("vector", sa.LargeBinary(), nullable=True))
        op.add_column(table, sa.Column("vector_encoder", sa.String(length=80), nullable=True))


def downgrade() -> None:
    for table in ("coding_example", "text_unit"):
        op.drop_column(table, "vector_encoder")
        op.drop_column(table, "vector")
    op.drop_column("auto_code", "similar")
    op.drop_column("text_unit", "review_priority")
    op.drop_column("text_unit", "learned_training")
