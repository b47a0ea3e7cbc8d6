"""Database tables (SQLAlchemy 2.0 declarative mapping).

Every row of data belongs to a partnership. Personal contact data never
lives in these answer tables.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, object_session, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored moment, timezone-aware: SQLite hands back naive datetimes, stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _enum(enum_class: type[enum.Enum]) -> Enum:
    """Stored as its value (``"open"``), checked by the database."""
    return Enum(
        enum_class,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        create_constraint=True,
        name=enum_class.__name__.lower(),
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: DateTime(timezone=True)}


class Role(enum.StrEnum):
    ADMIN = "admin"
    RESEARCHER = "researcher"
    COMMITTEE = "committee"
    UMBRELLA = "umbrella"
    """An umbrella analyst (a provincial body): only the partnership's protected core
    indicators, when it shares them (see consult/umbrella); never a member's pages."""


class SurveyStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Partnership(Base):
    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Days a submitted response is kept (None: until deleted by hand), and days
    # focus-group contact details are kept after the session; see consult.retention.
    response_retention_days: Mapped[int | None] = mapped_column(Integer)
    contact_retention_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # Who runs its surveys and how newcomers reach it, shown on every consent page:
    # names and notes per language ({"ar": "..."}), translated like survey wording.
    public_names: Mapped[dict | None] = mapped_column(JSON, default=dict)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_url: Mapped[str | None] = mapped_column(String(300))
    contact_notes: Mapped[dict | None] = mapped_column(JSON, default=dict)
    # Set while its admin shares its core indicators with umbrella analysts (consult/umbrella).
    umbrella_shared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column()
    # Set with a temporary password: every page asks for a new one until it is changed.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())

    memberships: Mapped[list[Membership]] = relationship(back_populates="user")


class Invitation(Base):
    """A one-time link that lets a new (or reset) account choose its password.

    Only the SHA-256 of the link's token is stored; the link works once, until
    ``expires_at``; a newer invitation of the same account replaces older ones.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "partnership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(_enum(Role))

    user: Mapped[User] = relationship(back_populates="memberships")
    partnership: Mapped[Partnership] = relationship()


class Survey(Base):
    __tablename__ = "survey"
    __table_args__ = (UniqueConstraint("slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    status: Mapped[SurveyStatus] = mapped_column(_enum(SurveyStatus), default=SurveyStatus.DRAFT)
    default_language: Mapped[str] = mapped_column(String(20))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Languages offered to respondents although below the coverage threshold.
    languages_allowed: Mapped[list[str]] = mapped_column(JSON, default=list)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_version.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a researcher archives the survey: closed, listed apart, responses kept.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    partnership: Mapped[Partnership] = relationship()
    current_version: Mapped[SurveyVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )

    @property
    def definition(self):
        """The parsed definition of the current version (``None`` without one), as a
        :class:`consult.survey.records.SurveyRecord` holds it."""
        from consult.definitions import definition_by_id

        if self.current_version_id is None:
            return None
        return definition_by_id(object_session(self).connection(), self.current_version_id)


class SurveyVersion(Base):
    """One imported form. Responses point at the version they answered."""

    __tablename__ = "survey_version"
    __table_args__ = (UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    form_version: Mapped[str] = mapped_column(String(80))
    source_name: Mapped[str] = mapped_column(String(255))
    source: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship(foreign_keys=[survey_id])


class Response(Base):
    __tablename__ = "response"
    __table_args__ = (
        Index("ix_response_survey_submitted", "survey_id", "submitted_at"),
        Index("ix_response_withdrawn_at", "withdrawn_at"),  # publications to re-derive
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    survey_version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id"))
    instance_id: Mapped[str] = mapped_column(String(64), unique=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    language: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10), default="web")
    started_at: Mapped[datetime | None] = mapped_column()
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    # The answers to breakdown questions, kept with the response for fast summaries.
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.position"
    )
    survey: Mapped[Survey] = relationship()
    survey_version: Mapped[SurveyVersion] = relationship()


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[object] = mapped_column(JSON)

    response: Mapped[Response] = relationship(back_populates="answers")


class Draft(Base):
    """Answers in progress, saved at every page; found again by token or resume code."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    resume_code_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    survey_version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id"))
    instance_id: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    page: Mapped[int] = mapped_column(Integer, default=0)
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column()

    survey: Mapped[Survey] = relationship()
    survey_version: Mapped[SurveyVersion] = relationship()


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnership.id", ondelete="SET NULL")
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    # What the log needs to say it in words in any language ({"theme": "housing",
    # "count": 3}); see consult/admin/audit_words.py. Older events have none.
    data: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class JobRun(Base):
    """A scheduled job (retention): who holds it now, and what its last run did.

    Servers take the lease with one conditional UPDATE (see consult/jobs.py), so
    however many servers try, one runs the job each time it is due.
    """

    __tablename__ = "job_run"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    lease_holder: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None] = mapped_column()
    last_started_at: Mapped[datetime | None] = mapped_column()
    last_finished_at: Mapped[datetime | None] = mapped_column()
    last_result: Mapped[dict | None] = mapped_column(JSON)
    last_error: Mapped[str | None] = mapped_column(Text)
