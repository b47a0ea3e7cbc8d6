"""Publication versions: the protected counts of every version ever shown, and whom it counted

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 10:00:00

Summaries published before this revision hold exact counts and no versions
(``version`` 0): Consult re-derives each, with the new disclosure control,
the first time it is opened.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy of the table is not needed on SQLite.
    op.add_column(
        "publication", sa.Column("version", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("publication", sa.Column("derived_at", sa.DateTime(timezone=True)))
    op.add_column("publication", sa.Column("withdrawn_reason", sa.String(20)))
    op.create_table(
        "publication_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "publication_id",
            sa.Integer(),
            sa.ForeignKey("publication.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "partnership_id",
            sa.Integer(),
            sa.ForeignKey("partnership.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("derived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("hidden", sa.JSON(), nullable=False),
        sa.Column("draws", sa.Integer(), nullable=False),
    )
    for column in ("publication_id", "partnership_id"):
        op.create_index(f"ix_publication_version_{column}", "publication_version", [column])
    op.create_index("ix_response_withdrawn_at", "response", ["withdrawn_at"])


def downgrade() -> None:
    op.drop_index("ix_response_withdrawn_at", "response")
    op.drop_table("publication_version")
    op.drop_column("publication", "withdrawn_reason")
    op.drop_column("publication", "derived_at")
    op.drop_column("publication", "version")
