"""partnerships say who they are and how to reach them, in every language

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 21:10:00

The consent page names the partnership running a survey and how to reach it,
in the respondent's language: ``public_names`` and ``contact_notes`` hold
``{language: text}`` (translated like survey wording, falling back to the
partnership's ``name`` or the first note given), ``contact_email``,
``contact_phone`` and ``contact_url`` one value each. Plain ``ADD COLUMN``
(no batch table copy): on SQLite a copy of ``partnership`` would cascade
deletes to everything that belongs to it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = (
    ("public_names", sa.JSON),
    ("contact_email", lambda: sa.String(254)),
    ("contact_phone", lambda: sa.String(40)),
    ("contact_url", lambda: sa.String(300)),
    ("contact_notes", sa.JSON),
)


def upgrade() -> None:
    for name, kind in COLUMNS:
        op.add_column("partnership", sa.Column(name, kind(), nullable=True))


def downgrade() -> None:
    for name, _kind in reversed(COLUMNS):
        op.drop_column("partnership", name)
