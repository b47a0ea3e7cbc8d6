"""A seeded dataset whose true counts are known, for report and summary tests."""

from __future__ import annotations

import uuid

from consult import db
from consult.survey.services import store_response, survey_by_slug

# (count, language, years_in_canada, area, text) -> themes known in advance
GROUPS = (
    (20, "en", "lt1", "downtown", "The rent is too high"),  # housing
    (12, "fr", "gt10", "north", "Je cherche un emploi"),  # employment
    (2, "en", "y1_3", "rural", "People were racist to me"),  # discrimination
)
TRUE_COUNTS = {"housing": 20, "employment": 12, "discrimination": 2}
TOTAL = 34


def seed(app, slug: str = "needs-assessment") -> None:
    """Store the responses of :data:`GROUPS` (each with three identical open answers)."""
    with app.app_context():
        session = db.session()
        survey = survey_by_slug(session, slug)
        for count, language, years, area, text in GROUPS:
            for _ in range(count):
                answers = {
                    "years_in_canada": years,
                    "age_band": "a25_34",
                    "area": area,
                    "hardest_part": text,
                }
                store_response(
                    session, survey, survey.current_version_id, str(uuid.uuid4()), language, answers
                )
        db.commit()
