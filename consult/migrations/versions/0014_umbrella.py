"""umbrella analysts: a role, sharing core indicators, and their releases

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 04:00:00

``membership.role`` may be ``umbrella``; ``partnership.umbrella_shared_at``
is set while a partnership shares its core indicators; ``umbrella_release``
keeps every release of them (part of the disclosure ledger). See
docs/umbrella.md.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

OLD_ROLES = ("admin", "researcher", "committee")
NEW_ROLES = (*OLD_ROLES, "umbrella")


def _roles(names) -> sa.Enum:
    return sa.Enum(*names, name="role", native_enum=False, create_constraint=True, length=20)


def _allow_roles(old, new) -> None:
    """The check constraint of ``membership.role`` (named ``ck_membership_role``)."""
    if op.get_bind().dialect.name == "sqlite":  # the table is copied with the new constraint
        with op.batch_alter_table("membership") as batch:
            batch.alter_column("role", existing_type=_roles(old), type_=_roles(new))
        return
    op.drop_constraint(op.f("ck_membership_role"), "membership", type_="check")
    listed = ", ".join(f"'{name}'" for name in new)
    op.create_check_constraint(op.f("ck_membership_role"), "membership", f"role IN ({listed})")


def upgrade() -> None:
    _allow_roles(OLD_ROLES, NEW_ROLES)
    op.add_column("partnership", sa.Column("umbrella_shared_at", sa.DateTime(timezone=True)))
    op.create_table(
        "umbrella_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("derived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("refused", sa.String(length=20), nullable=True),
        sa.Column("draws", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnership.id"],
            name=op.f("fk_umbrella_release_partnership_id_partnership"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_umbrella_release")),
    )
    op.create_index(
        op.f("ix_umbrella_release_partnership_id"), "umbrella_release", ["partnership_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_umbrella_release_partnership_id"), table_name="umbrella_release")
    op.drop_table("umbrella_release")
    op.execute("DELETE FROM membership WHERE role = 'umbrella'")
    # never a copy of the partnership table: dropping it would cascade to every row
    op.execute("ALTER TABLE partnership DROP COLUMN umbrella_shared_at")
    _allow_roles(NEW_ROLES, OLD_ROLES)
