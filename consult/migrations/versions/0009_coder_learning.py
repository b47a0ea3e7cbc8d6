"""examples a partnership imported for its coder, and each retraining's quality

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 00:20:00

``coding_example`` keeps a partnership's past hand-coding (text, language,
theme keys) for its coder to learn from, beside the researchers' review
decisions; ``coder_training`` records each retraining (``consult coder
retrain``): how many examples, which kind of model, per-theme cross-validated
counts. See consult/coding/learning.py.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _partnership(table: str) -> list:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f(f"fk_{table}_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "coding_example",
        *_partnership("coding_example"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(op.f("ix_coding_example_partnership_id"), "coding_example", ["partnership_id"])
    op.create_table(
        "coder_training",
        *_partnership("coder_training"),
        sa.Column("codebook_version", sa.Integer(), nullable=False),
        sa.Column("reviewed", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("quality", sa.JSON(), nullable=False),
        sa.Column("recoded", sa.Integer(), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(op.f("ix_coder_training_partnership_id"), "coder_training", ["partnership_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_coder_training_partnership_id"), table_name="coder_training")
    op.drop_table("coder_training")
    op.drop_index(op.f("ix_coding_example_partnership_id"), table_name="coding_example")
    op.drop_table("coding_example")
