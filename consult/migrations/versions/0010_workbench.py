"""the staff workbench: invitations, temporary passwords, last sign-in, audit data

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 09:00:00

Admins manage users in the browser: ``invitation`` holds one-time links (the
SHA-256 of their token), ``user_account.must_change_password`` marks a
temporary password and ``last_sign_in_at`` when the account last signed in.
``audit_event.data`` keeps what the audit log needs to say an event in words.
Plain ``ADD COLUMN`` (no batch table copy): on SQLite a copy of a table would
cascade deletes to everything that belongs to it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "user_account", sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column(
        "user_account",
        sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column("audit_event", sa.Column("data", sa.JSON(), nullable=True))
    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_invitation_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_invitation_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    op.create_index(op.f("ix_invitation_user_id"), "invitation", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_invitation_user_id"), table_name="invitation")
    op.drop_table("invitation")
    op.drop_column("audit_event", "data")
    op.drop_column("user_account", "must_change_password")
    op.drop_column("user_account", "last_sign_in_at")
