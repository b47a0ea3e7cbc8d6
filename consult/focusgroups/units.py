"""Focus-group segments as analysis text units, next to the survey's free-text answers.

The stored units follow the segments: every change of a segment, or of the
participant codes that give units their make-up attributes, calls
:func:`sync_units` (from :mod:`consult.focusgroups.transcripts` and
:mod:`consult.focusgroups.rosters`), which adds, recodes or removes units
through :func:`consult.coding.services.code_unit`. Nothing is synced while a
report is built or the review queue is shown.

A unit carries the anonymous participant code as its respondent
(``fg<session id>:<code>``; ``fg<session id>:group`` for what no one person
said) and, when the code belongs to a sign-up, that sign-up's make-up answers
as attributes. Contact details are never read here.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from analysis.records import SOURCE_FOCUS_GROUP, TextUnit
from consult.coding.models import TextUnitRow
from consult.coding.services import code_unit, coder_for
from consult.focusgroups.models import FocusGroupSegment, FocusGroupSignup

UNATTRIBUTED = "group"

ATTRIBUTE_COLUMNS = ("years_in_canada", "age_band", "gender")


def session_of(respondent_id: str) -> int | None:
    """The session id of a participant's respondent id (``fg<session id>:<code>``), else None."""
    head, _colon, _code = respondent_id.partition(":")
    if not head.startswith("fg") or not head[2:].isdigit():
        return None
    return int(head[2:])


def segment_units(session_db: Session, partnership_id: int) -> Iterator[TextUnit]:
    """Every note or transcript segment of the partnership's sessions, as ``TextUnit``s.

    ``unit_id`` is ``fgseg<segment id>``; ``attributes`` holds the linked
    sign-up's ``preferred_language``, ``years_in_canada``, ``age_band`` and
    ``gender`` (the ones answered), or nothing for a code without a sign-up.
    """
    attributes = _attributes_by_code(session_db, partnership_id)
    query = (
        select(FocusGroupSegment)
        .where(FocusGroupSegment.partnership_id == partnership_id)
        .order_by(FocusGroupSegment.session_id, FocusGroupSegment.position, FocusGroupSegment.id)
    )
    for segment in session_db.scalars(query):
        code = segment.participant_code or UNATTRIBUTED
        yield TextUnit(
            unit_id=f"fgseg{segment.id}",
            text=segment.text,
            language=segment.language,
            respondent_id=f"fg{segment.session_id}:{code}",
            source=SOURCE_FOCUS_GROUP,
            attributes=dict(attributes.get((segment.session_id, segment.participant_code), {})),
            translation=segment.translation,
            translation_language=segment.translation_language if segment.translation else None,
        )


def _attributes_by_code(db: Session, partnership_id: int) -> dict[tuple[int, str], dict]:
    query = select(FocusGroupSignup).where(
        FocusGroupSignup.partnership_id == partnership_id,
        FocusGroupSignup.session_id.is_not(None),
        FocusGroupSignup.participant_code.is_not(None),
    )
    found = {}
    for signup in db.scalars(query):
        values = {"preferred_language": signup.preferred_language}
        for column in ATTRIBUTE_COLUMNS:
            value = getattr(signup, column)
            if value:
                values[column] = value
        found[(signup.session_id, signup.participant_code)] = values
    return found


def sync_units(db: Session, partnership_id: int) -> int:
    """Make the stored units match the partnership's segments; code new or changed ones.

    Returns how many units were added, recoded or removed (the units of deleted
    segments go, with their codes).
    """
    db.flush()
    stored = {
        row.segment_key: row
        for row in db.scalars(
            select(TextUnitRow)
            .options(selectinload(TextUnitRow.decisions))
            .where(
                TextUnitRow.partnership_id == partnership_id,
                TextUnitRow.segment_key.is_not(None),
            )
        )
    }
    coder, version = coder_for(db.connection(), partnership_id)
    changed, seen = 0, set()
    for unit in segment_units(db, partnership_id):
        seen.add(unit.unit_id)
        row = stored.get(unit.unit_id)
        if row is not None and _unchanged(row, unit, version):
            continue
        if row is None:
            row = TextUnitRow(partnership_id=partnership_id, segment_key=unit.unit_id)
            db.add(row)
        row.source, row.respondent_key = unit.source, unit.respondent_id
        row.attributes = dict(unit.attributes)
        row.text, row.language = unit.text, unit.language
        row.translation, row.translation_language = unit.translation, unit.translation_language
        code_unit(db, row, coder, version)
        changed += 1
    for key, row in stored.items():
        if key not in seen:
            db.delete(row)
            changed += 1
    return changed


def _unchanged(row: TextUnitRow, unit: TextUnit, version: int) -> bool:
    fresh = (unit.text, unit.language, unit.translation, unit.translation_language)
    stored = (row.text, row.language, row.translation, row.translation_language)
    return fresh == stored and row.attributes == unit.attributes and row.coded_version == version
