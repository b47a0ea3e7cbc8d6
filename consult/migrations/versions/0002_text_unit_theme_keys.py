"""text units keep their effective theme keys

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:30:00

``text_unit.theme_keys`` holds each unit's effective themes (automatic codes,
overruled by researchers' decisions), sorted and comma-separated, so that a
summary reads one column instead of joining codes and decisions. The upgrade
fills it for every unit already stored. Plain ``ADD``/``DROP COLUMN`` (no
batch table copy): on SQLite a copy would drop ``text_unit`` and cascade the
delete to its codes.
"""

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 5_000

_text_unit = sa.table("text_unit", sa.column("id"), sa.column("theme_keys"))
_auto_code = sa.table("auto_code", sa.column("unit_id"), sa.column("theme"))
_code_decision = sa.table(
    "code_decision", sa.column("unit_id"), sa.column("theme"), sa.column("present")
)


def upgrade() -> None:
    op.add_column(
        "text_unit", sa.Column("theme_keys", sa.Text(), server_default="", nullable=False)
    )
    _fill_theme_keys(op.get_bind())


def downgrade() -> None:
    op.drop_column("text_unit", "theme_keys")


def _effective_themes(connection) -> dict[int, set[str]]:
    """Unit id -> its automatic themes, with researchers' decisions applied (they win)."""
    themes: dict[int, set[str]] = defaultdict(set)
    for unit_id, theme in connection.execute(sa.select(_auto_code.c.unit_id, _auto_code.c.theme)):
        themes[unit_id].add(theme)
    decisions = sa.select(
        _code_decision.c.unit_id, _code_decision.c.theme, _code_decision.c.present
    )
    for unit_id, theme, present in connection.execute(decisions):
        if present:
            themes[unit_id].add(theme)
        else:
            themes[unit_id].discard(theme)
    return themes


def _fill_theme_keys(connection) -> None:
    rows = [
        {"unit": unit_id, "keys": ",".join(sorted(found))}
        for unit_id, found in _effective_themes(connection).items()
        if found
    ]
    update = (
        sa.update(_text_unit)
        .where(_text_unit.c.id == sa.bindparam("unit"))
        .values(theme_keys=sa.bindparam("keys"))
    )
    for start in range(0, len(rows), BATCH):
        connection.execute(update, rows[start : start + BATCH])
