"""code_decision.evidence: the passages a researcher chose when coding a selected span

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 04:00:00

A researcher who selects part of a text and codes it with a theme records a
decision like any other (the theme is present), with the passage's character
offsets into the unit's text, in the shape of an automatic code's evidence
(``[start, end, passage, false]``). Empty (NULL) for every other decision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("code_decision", sa.Column("evidence", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("code_decision", schema=None) as batch_op:
        batch_op.drop_column("evidence")
