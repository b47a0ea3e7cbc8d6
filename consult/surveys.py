"""Stored surveys as researchers' pages find them: a partnership's, or one by slug.

Used by every researcher-facing package (research, coding, exports), so it sits
below them all rather than in one of them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.models import Survey


def surveys_of(db: Session, partnership_ids: set[int]) -> list[Survey]:
    """Surveys of these partnerships, by slug."""
    query = select(Survey).where(Survey.partnership_id.in_(partnership_ids)).order_by(Survey.slug)
    return list(db.scalars(query))


def survey_for(db: Session, slug: str, partnership_ids: set[int]) -> Survey | None:
    """The survey with this slug if it belongs to one of these partnerships."""
    return db.scalar(
        select(Survey).where(Survey.slug == slug, Survey.partnership_id.in_(partnership_ids))
    )
