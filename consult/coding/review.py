"""Bulk review: one theme confirmed or rejected on many units at once, and undone
(services take the session, never commit).

A bulk review decides the theme only where the coder found it and nobody has
decided it yet. It is written to the audit log with the units it decided;
that entry is what "Undo" reads, so an undo (by any researcher of the
partnership, itself audited) takes back exactly those decisions, where they
still stand as the bulk review left them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from consult.auth.services import record
from consult.coding import queries, services
from consult.models import AuditEvent

BULK = "bulk_review"
UNDO = "undo_bulk_review"


@dataclass(frozen=True)
class Bulk:
    """A bulk review as its audit entry keeps it."""

    event_id: int
    partnership_id: int
    user_id: int | None  # who made it
    theme: str
    present: bool
    unit_ids: tuple[int, ...]


def apply(
    db: Session, pid: int, unit_ids: list[int], theme: str, present: bool, user_id: int
) -> Bulk:
    """Decide ``theme`` on those of ``unit_ids`` (of partnership ``pid``) where the coder
    found it undecided; audited with the units decided."""
    units = queries.units_for(db, unit_ids, {pid})
    decided = services.decide_many(db, units, theme, present, user_id)
    event = record(
        db,
        BULK,
        user_id=user_id,
        partnership_id=pid,
        target=theme,
        detail=f"{'confirmed' if present else 'rejected'} {len(decided)}",
        data={"theme": theme, "present": present, "count": len(decided), "units": decided},
    )
    db.flush()
    return Bulk(event.id, pid, user_id, theme, present, tuple(decided))


def find(db: Session, event_id: int, partnership_ids: set[int]) -> Bulk | None:
    """The bulk review ``event_id`` if it was made in one of these partnerships."""
    event = db.get(AuditEvent, event_id)
    if event is None or event.action != BULK or not event.data:
        return None
    if event.partnership_id not in partnership_ids:
        return None
    data, pid = event.data, event.partnership_id
    units = tuple(data["units"])
    return Bulk(event.id, pid, event.user_id, data["theme"], bool(data["present"]), units)


def undo(db: Session, bulk: Bulk, user_id: int) -> int:
    """Take back the decisions of ``bulk`` that still stand; how many. Audited as
    ``user_id``'s."""
    pid = bulk.partnership_id
    units = queries.units_for(db, list(bulk.unit_ids), {pid})
    undone = services.undo_many(db, units, bulk.theme, bulk.present, bulk.user_id)
    record(
        db,
        UNDO,
        user_id=user_id,
        partnership_id=pid,
        target=bulk.theme,
        detail=f"undid {len(undone)}",
        data={"theme": bulk.theme, "present": bulk.present, "count": len(undone)},
    )
    return len(undone)
