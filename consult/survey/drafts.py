"""Drafts: a respondent's answers so far, kept between pages and resumed with a code.

Every write is one Core statement on the request's connection (the view commits);
a draft is read as a :class:`consult.survey.records.DraftRecord`.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import timedelta

from sqlalchemy import Connection, bindparam, delete, insert, update
from sqlalchemy.orm import Session

from consult.models import Draft, utcnow
from consult.survey import records
from consult.survey.codes import derived_code, normalise_code
from consult.survey.records import DraftRecord, SurveyRecord
from forms.repeats import MAX_ENTRIES

RESUME_CODE_LENGTH = 10
"""Characters in a resume code: 30**10 (about 49 bits) possible codes."""

_draft = Draft.__table__.c
_INSERT = insert(Draft.__table__)
_SAVE = (
    update(Draft.__table__)
    .where(_draft.id == bindparam("draft_id"))
    .values(answers=bindparam("answers"), page=bindparam("page"), language=bindparam("language"))
)
_SET_LANGUAGE = (
    update(Draft.__table__)
    .where(_draft.id == bindparam("draft_id"))
    .values(language=bindparam("language"))
)
_SET_RESUME_CODE = (
    update(Draft.__table__)
    .where(_draft.id == bindparam("draft_id"))
    .values(resume_code_hash=bindparam("digest"))
)
_DELETE = delete(Draft.__table__).where(_draft.id == bindparam("draft_id"))


def start_draft(connection: Connection, survey: SurveyRecord, language: str, days: int) -> str:
    """A new draft after consent, with the instance id its submission will carry;
    returns its token."""
    token = uuid.uuid4().hex
    connection.execute(
        _INSERT,
        {
            "token": token,
            "survey_id": survey.id,
            "survey_version_id": survey.current_version_id,
            "instance_id": str(uuid.uuid4()),
            "language": language,
            "answers": {},
            "page": 0,
            "expires_at": utcnow() + timedelta(days=days),
        },
    )
    return token


def save_draft(connection: Connection, draft: DraftRecord) -> None:
    """Write the draft's answers, page and language."""
    connection.execute(
        _SAVE,
        {
            "draft_id": draft.id,
            "answers": draft.answers,
            "page": draft.page,
            "language": draft.language,
        },
    )


def save_language(connection: Connection, draft: DraftRecord) -> None:
    """Write the draft's language only (a page shown in another language)."""
    connection.execute(_SET_LANGUAGE, {"draft_id": draft.id, "language": draft.language})


def delete_draft(connection: Connection, draft: DraftRecord) -> None:
    """The draft is gone (its answers were submitted)."""
    connection.execute(_DELETE, {"draft_id": draft.id})


def with_entries_changed(answers: dict, action: str, repeats: set[str]) -> dict:
    """The answers after adding an entry to a repeat (``add:<name>``) or removing one
    (``remove:<name>:<i>``). Only repeats in ``repeats`` (those on the page) change."""
    kind, _, rest = action.partition(":")
    name, _, index = rest.partition(":")
    if name not in repeats:
        return answers
    entries = list(answers.get(name) or [{}])
    if kind == "add" and len(entries) < MAX_ENTRIES:
        entries.append({})
    elif kind == "remove" and index.isdigit() and int(index) < len(entries) and len(entries) > 1:
        del entries[int(index)]
    return {**answers, name: entries}


def _code_digest(code: str, secret: str) -> str:
    return hmac.new(secret.encode(), normalise_code(code).encode(), hashlib.sha256).hexdigest()


def issue_resume_code(connection: Connection, draft: DraftRecord, secret: str) -> str:
    """The draft's resume code (only its keyed hash is stored).

    A draft has one code, derived from its token with the secret key, so showing
    it again (a reload of the "saved" page) shows the same code and the one
    written down first keeps working until the draft is submitted or expires.
    """
    code = derived_code(secret, f"resume:{draft.token}", RESUME_CODE_LENGTH)
    digest = _code_digest(code, secret)
    if draft.resume_code_hash != digest:
        connection.execute(_SET_RESUME_CODE, {"draft_id": draft.id, "digest": digest})
    return code


def draft_by_resume_code(
    connection: Connection, code: str, secret: str
) -> tuple[SurveyRecord, DraftRecord] | None:
    """The unexpired draft this resume code belongs to, with its survey, if any."""
    if not code or len(code) > 40:
        return None
    return records.survey_and_draft_by_digest(connection, _code_digest(code, secret))


def purge_expired_drafts(db: Session) -> int:
    """Delete drafts past their expiry; return how many."""
    result = db.execute(delete(Draft.__table__).where(_draft.expires_at < utcnow()))
    return result.rowcount or 0
