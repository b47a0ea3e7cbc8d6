"""Focus-group segments as analysis text units, next to the survey's free-text answers.

A unit carries the anonymous participant code as its respondent
(``fg<session id>:<code>``; ``fg<session id>:group`` for what no one person
said) and, when the code belongs to a sign-up, that sign-up's make-up answers
as attributes. Contact details are never read here.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.records import SOURCE_FOCUS_GROUP, TextUnit
from consult.focusgroups.models import FocusGroupSegment, FocusGroupSignup

UNATTRIBUTED = "group"

ATTRIBUTE_COLUMNS = ("years_in_canada", "age_band", "gender")


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
