"""A held session's notes and transcripts, segment by segment; their text units are
synced as segments change (services take the session, never commit)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.focusgroups.models import (
    FocusGroupSegment,
    FocusGroupSession,
)
from consult.focusgroups.text import Turn
from consult.focusgroups.units import sync_units

# --- notes and transcripts ------------------------------------------------------------


def segments_of(db: Session, session: FocusGroupSession) -> list[FocusGroupSegment]:
    """The session's segments in order."""
    query = (
        select(FocusGroupSegment)
        .where(FocusGroupSegment.session_id == session.id)
        .order_by(FocusGroupSegment.position, FocusGroupSegment.id)
    )
    return list(db.scalars(query))


def segment_for(db: Session, session: FocusGroupSession, segment_id: int):
    """One of the session's segments."""
    segment = db.get(FocusGroupSegment, segment_id)
    if segment is None or segment.session_id != session.id:
        return None
    return segment


def _next_position(db: Session, session: FocusGroupSession) -> int:
    query = select(func.max(FocusGroupSegment.position)).where(
        FocusGroupSegment.session_id == session.id
    )
    return (db.scalar(query) or 0) + 1


@dataclass(frozen=True)
class SegmentValues:
    prompt_id: int | None
    participant_code: str
    language: str
    text: str
    translation: str | None
    translation_language: str | None


def add_segment(
    db: Session, session: FocusGroupSession, values: SegmentValues, source: str = "notes"
) -> FocusGroupSegment:
    """A new segment at the end of the session's notes, coded as a text unit."""
    segment = _new_segment(db, session, values, source)
    sync_units(db, session.partnership_id)
    return segment


def _new_segment(
    db: Session, session: FocusGroupSession, values: SegmentValues, source: str
) -> FocusGroupSegment:
    segment = FocusGroupSegment(
        partnership_id=session.partnership_id,
        session_id=session.id,
        position=_next_position(db, session),
        source=source,
    )
    _set_values(segment, values)
    db.add(segment)
    db.flush()
    return segment


def update_segment(db: Session, segment: FocusGroupSegment, values: SegmentValues) -> None:
    """Correct a segment (its text unit is recoded)."""
    _set_values(segment, values)
    sync_units(db, segment.partnership_id)


def _set_values(segment: FocusGroupSegment, values: SegmentValues) -> None:
    segment.prompt_id = values.prompt_id
    segment.participant_code = values.participant_code
    segment.language = values.language
    segment.text = values.text.strip()
    translation = (values.translation or "").strip()
    segment.translation = translation or None
    segment.translation_language = values.translation_language if translation else None


def delete_segment(db: Session, segment: FocusGroupSegment) -> None:
    """Remove a segment (a facilitator's correction), and its text unit."""
    db.delete(segment)
    db.flush()
    sync_units(db, segment.partnership_id)


def add_transcript(
    db: Session,
    session: FocusGroupSession,
    turns: list[Turn],
    prompt_id: int | None,
    language: str,
) -> list[FocusGroupSegment]:
    """One segment per transcript turn, for the facilitator to correct."""
    segments = [
        _new_segment(
            db,
            session,
            SegmentValues(prompt_id, turn.participant_code, language, turn.text, None, None),
            "transcript",
        )
        for turn in turns
    ]
    sync_units(db, session.partnership_id)
    return segments
