"""What the respondent's requests read: surveys and drafts as plain records.

Every request of the respondent wing (survey pages, consent, resume, the API)
reads a survey, and a draft when it has one, with the Core statements here, on
the request's connection (:func:`consult.db.connection`): no ORM object, one
shape for GET and POST alike. A record carries its parsed definition (from the
one cache, :mod:`consult.definitions`). The statements are built once: building
a select costs more than running it on SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC

from sqlalchemy import Connection, bindparam, select

from consult.coding.services import latest_codebook_version_of
from consult.definitions import definition_by_id
from consult.models import Draft, Partnership, Survey, SurveyStatus, SurveyVersion, utcnow
from forms.model import Survey as SurveyDefinition


@dataclass(frozen=True, slots=True)
class SurveyRecord:
    """A survey as the respondent's requests read it: plain values, no ORM object."""

    id: int
    partnership_id: int
    slug: str
    status: SurveyStatus
    default_language: str
    languages: list
    languages_allowed: list
    current_version_id: int | None
    version_number: int | None  # of the current version
    form_version: str | None  # of the current version
    definition: SurveyDefinition | None  # of the current version

    @property
    def is_open(self) -> bool:
        """Open, with a version to answer."""
        return self.status == SurveyStatus.OPEN and self.current_version_id is not None


@dataclass(frozen=True, slots=True)
class DraftRecord:
    """A respondent's draft: plain values, no ORM object."""

    id: int
    token: str
    survey_version_id: int
    instance_id: str
    language: str
    answers: dict
    page: int
    consented_at: object
    expires_at: object
    resume_code_hash: str | None
    definition: SurveyDefinition  # of the version the draft was started on


_survey, _draft = Survey.__table__.c, Draft.__table__.c
_version = SurveyVersion.__table__.c
_SURVEY_FIELDS = tuple(f.name for f in fields(SurveyRecord) if f.name != "definition")
_DRAFT_FIELDS = tuple(f.name for f in fields(DraftRecord) if f.name != "definition")
_OF_VERSION = {"version_number": _version.number, "form_version": _version.form_version}
# Selected in the order of the records' fields, each column named after its field: a
# row's values are a record's, in order, without a lookup by name per value.
_SURVEY_COLUMNS = tuple(
    (_OF_VERSION[name] if name in _OF_VERSION else _survey[name]).label(name)
    for name in _SURVEY_FIELDS
)
_DRAFT_COLUMNS = tuple(_draft[name].label(f"draft_{name}") for name in _DRAFT_FIELDS)
_SURVEY_END = len(_SURVEY_FIELDS)
_DRAFT_END = _SURVEY_END + len(_DRAFT_FIELDS)
_SURVEYS = Survey.__table__.outerjoin(
    SurveyVersion.__table__, _version.id == _survey.current_version_id
)


def _surveys(*more):
    return select(*_SURVEY_COLUMNS, *more).select_from(_SURVEYS)


_BY_SLUG = _surveys().where(_survey.slug == bindparam("slug"))
_OPEN = _surveys().where(_survey.status == SurveyStatus.OPEN).order_by(_survey.slug)
_WITH_DRAFT = (
    _surveys(*_DRAFT_COLUMNS)
    .outerjoin(
        Draft.__table__, (_draft.survey_id == _survey.id) & (_draft.token == bindparam("token"))
    )
    .where(_survey.slug == bindparam("slug"))
)
_FOR_SUBMISSION = _surveys(
    latest_codebook_version_of(_survey.partnership_id).label("codebook_version")
).where(_survey.slug == bindparam("slug"))
_BY_RESUME_CODE = _surveys(*_DRAFT_COLUMNS).join(
    Draft.__table__,
    (_draft.survey_id == _survey.id) & (_draft.resume_code_hash == bindparam("digest")),
)
_partnership = Partnership.__table__.c
_CONTACT = select(
    _partnership.name,
    _partnership.public_names,
    _partnership.contact_notes,
    _partnership.contact_email,
    _partnership.contact_phone,
    _partnership.contact_url,
).where(_partnership.id == bindparam("partnership_id"))


def _survey_of(connection: Connection, row) -> SurveyRecord:
    """The survey in the row's first columns (:data:`_SURVEY_COLUMNS`)."""
    values = row[:_SURVEY_END]
    version_id = row.current_version_id
    definition = None if version_id is None else definition_by_id(connection, version_id)
    return SurveyRecord(*values, definition)


def _draft_of(connection: Connection, row) -> DraftRecord | None:
    """The draft in the row's ``draft_*`` columns, unless there is none or it expired."""
    if row.draft_id is None or is_expired(row.draft_expires_at):
        return None
    definition = definition_by_id(connection, row.draft_survey_version_id)
    return DraftRecord(*row[_SURVEY_END:_DRAFT_END], definition)


def is_expired(expires_at) -> bool:
    """True when a draft's expiry has passed (SQLite gives it back without a zone)."""
    aware = expires_at if expires_at.tzinfo else expires_at.replace(tzinfo=UTC)
    return aware < utcnow()


def survey_by_slug(connection: Connection, slug: str) -> SurveyRecord | None:
    """The survey with this slug, any status."""
    row = connection.execute(_BY_SLUG, {"slug": slug}).first()
    return None if row is None else _survey_of(connection, row)


def open_surveys(connection: Connection) -> list[SurveyRecord]:
    """Surveys newcomers can answer now, by slug."""
    surveys = (_survey_of(connection, row) for row in connection.execute(_OPEN))
    return [survey for survey in surveys if survey.is_open]


def survey_and_draft(
    connection: Connection, slug: str, token: str | None
) -> tuple[SurveyRecord | None, DraftRecord | None]:
    """The survey with this slug and its unexpired draft with this token, in one
    statement: what every survey page reads (the busiest request in Consult)."""
    row = connection.execute(_WITH_DRAFT, {"slug": slug, "token": token}).first()
    if row is None:
        return None, None
    return _survey_of(connection, row), _draft_of(connection, row)


def survey_for_submission(
    connection: Connection, slug: str
) -> tuple[SurveyRecord | None, int | None]:
    """The survey with this slug and its partnership's latest codebook version, in
    one statement."""
    row = connection.execute(_FOR_SUBMISSION, {"slug": slug}).first()
    return (None, None) if row is None else (_survey_of(connection, row), row.codebook_version)


def survey_and_draft_by_digest(
    connection: Connection, digest: str
) -> tuple[SurveyRecord, DraftRecord] | None:
    """The unexpired draft whose resume code has this keyed hash, with its survey."""
    row = connection.execute(_BY_RESUME_CODE, {"digest": digest}).first()
    draft = None if row is None else _draft_of(connection, row)
    return None if draft is None else (_survey_of(connection, row), draft)


def public_contact_of(connection: Connection, partnership_id: int):
    """The partnership's name and public contact, as :func:`consult.public_contact.public_contact`
    reads them."""
    return connection.execute(_CONTACT, {"partnership_id": partnership_id}).one()
