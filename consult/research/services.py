"""What researchers read: surveys of their partnerships, counts, responses."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.models import Response, Survey


def surveys_of(db: Session, partnership_ids: set[int]) -> list[Survey]:
    """Surveys of these partnerships, by slug."""
    query = select(Survey).where(Survey.partnership_id.in_(partnership_ids)).order_by(Survey.slug)
    return list(db.scalars(query))


def survey_for(db: Session, slug: str, partnership_ids: set[int]) -> Survey | None:
    """The survey with this slug if it belongs to one of these partnerships."""
    return db.scalar(
        select(Survey).where(Survey.slug == slug, Survey.partnership_id.in_(partnership_ids))
    )


def responses_page(db: Session, survey: Survey, page: int, per_page: int = 50):
    """One page of a survey's responses, newest first, with the total count."""
    total = db.scalar(select(func.count()).where(Response.survey_id == survey.id)) or 0
    rows = db.scalars(
        select(Response)
        .where(Response.survey_id == survey.id)
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return list(rows), total


def response_for(db: Session, response_id: int, partnership_ids: set[int]) -> Response | None:
    """A response if it belongs to one of these partnerships."""
    response = db.get(Response, response_id)
    if response is None or response.partnership_id not in partnership_ids:
        return None
    return response
