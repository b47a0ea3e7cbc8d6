"""The true counts of one wave (or audience), counted in SQL.

:func:`count_wave` returns the respondents, how many raised each theme,
how many gave each answer to each indicator, and who they are (the ledger's
:class:`~consult.ledger.Members`). Each respondent's theme keys are joined in
SQL and the themes counted once per distinct joined string (a few thousand
for 100,000 people); answers are counted by a GROUP BY.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Text, and_, cast, func, select
from sqlalchemy.orm import Session

from consult.coding.models import TextUnitRow
from consult.coding.summary import theme_set
from consult.ledger import Members
from consult.models import Answer, Response

if TYPE_CHECKING:
    from consult.waves.services import WaveSpec


def count_wave(db: Session, partnership_id: int, spec: WaveSpec, until: datetime | None):
    """The true counts of a wave: respondents, per theme, per indicator answer; and its members.

    ``until`` (exclusive) leaves out responses submitted since; withdrawn
    responses count nowhere.
    """
    conditions = [
        Response.partnership_id == partnership_id,
        Response.survey_id == spec.survey_id,
        Response.withdrawn_at.is_(None),
    ]
    if spec.version_id is not None:
        conditions.append(Response.survey_version_id == spec.version_id)
    if until is not None:
        conditions.append(Response.submitted_at < until)
    people = (
        select(Response.id, func.aggregate_strings(TextUnitRow.theme_keys, ","))
        .outerjoin(
            TextUnitRow, and_(TextUnitRow.response_id == Response.id, TextUnitRow.theme_keys != "")
        )
        .where(*conditions)
        .group_by(Response.id)
        .order_by(Response.id)
    )
    # the themes counted once per distinct joined string (a few thousand for 100,000 people)
    ids, raised = [], Counter()
    for response_id, keys in db.execute(people):
        ids.append(response_id)
        raised[keys] += 1
    themes: Counter = Counter()
    for keys, count in raised.items():
        for theme in theme_set(keys):
            themes[theme] += count
    return len(ids), themes, _answers(db, conditions, spec), Members.of(ids, ())


def _answers(db: Session, conditions, spec: WaveSpec) -> dict[str, Counter]:
    """Respondents per indicator answer, under the first wave's names and choices."""
    first_name = {local: first for first, local in spec.names.items()}
    value = cast(Answer.value, Text)
    answered = (
        select(Answer.question, value, func.count())
        .join(Response, Response.id == Answer.response_id)
        # the name compared as an expression: SQLite reads each response's answers along the
        # (response_id, question) index instead of searching it once per indicator (26 in the
        # demo survey)
        .where(*conditions, (Answer.question + "").in_(list(first_name)))
        .group_by(Answer.question, value)
    )
    answers: dict[str, Counter] = {}
    for question, text, count in db.execute(answered):
        chosen = json.loads(text) if text is not None else None
        first = first_name[question]
        mapping = spec.choices.get(first, {})
        tally = answers.setdefault(first, Counter())
        if isinstance(chosen, str):
            tally[mapping.get(chosen, chosen)] += count
        elif isinstance(chosen, list):
            for choice in {mapping.get(c, c) for c in chosen if isinstance(c, str)}:
                tally[choice] += count
    return answers
