"""What researchers read: surveys of their partnerships, counts, responses."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.models import Partnership, Response, Survey, SurveyVersion


def responses_page(db: Session, survey: Survey, page: int, per_page: int = 50):
    """One page of a survey's responses, newest first, with the total count."""
    counted = (Response.survey_id == survey.id, Response.withdrawn_at.is_(None))
    total = db.scalar(select(func.count()).where(*counted)) or 0
    rows = db.scalars(
        select(Response)
        .where(*counted)
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


def responses_per_day(db: Session, survey: Survey) -> list[tuple[str, int]]:
    """(ISO date, responses) for every day with responses, oldest first."""
    rows = db.execute(
        select(Response.submitted_at).where(
            Response.survey_id == survey.id, Response.withdrawn_at.is_(None)
        )
    )
    days: dict[str, int] = {}
    for (moment,) in rows:
        day = moment.date().isoformat()
        days[day] = days.get(day, 0) + 1
    return sorted(days.items())


def where_people_stop(db: Session, survey: Survey) -> tuple[int, dict[int, int]]:
    """Unfinished drafts, and how many stopped on each page."""
    from consult.models import Draft

    pages = db.execute(
        select(Draft.page, func.count()).where(Draft.survey_id == survey.id).group_by(Draft.page)
    ).all()
    stops = {int(page or 1): count for page, count in pages}
    return sum(stops.values()), dict(sorted(stops.items()))


def response_count(db: Session, survey: Survey) -> int:
    """Every response the survey ever stored, withdrawn ones included."""
    query = select(func.count()).select_from(Response).where(Response.survey_id == survey.id)
    return db.scalar(query) or 0


def archive_survey(db: Session, survey: Survey) -> None:
    """Close the survey and list it apart; its responses stay."""
    from consult.models import SurveyStatus, utcnow

    survey.archived_at = utcnow()
    if survey.status == SurveyStatus.OPEN:
        survey.status = SurveyStatus.CLOSED


def unarchive_survey(survey: Survey) -> None:
    """List an archived survey with the others again (it stays closed)."""
    survey.archived_at = None


class HasResponses(ValueError):
    """A survey with responses cannot be deleted (archive it instead)."""


def delete_survey(db: Session, survey: Survey) -> None:
    """Delete a survey that never stored a response, with its versions and drafts."""
    if response_count(db, survey):
        raise HasResponses(survey.slug)
    survey.current_version_id = None
    db.flush()
    db.delete(survey)
    db.flush()


def partnerships_by_name(db: Session, ids) -> list[Partnership]:
    """The partnerships with these ids, by name."""
    query = select(Partnership).where(Partnership.id.in_(ids)).order_by(Partnership.name)
    return list(db.scalars(query))


def survey_version(db: Session, survey_id: int, number: int) -> SurveyVersion | None:
    """Version ``number`` of a survey, if it has one."""
    return db.scalar(
        select(SurveyVersion).where(
            SurveyVersion.survey_id == survey_id, SurveyVersion.number == number
        )
    )
