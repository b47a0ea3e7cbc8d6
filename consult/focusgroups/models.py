"""Focus-group tables: sessions, prompts, sign-ups, contacts and note segments.

Every row belongs to a partnership. Contact details (name, phone or email,
availability notes, accessibility needs) live only in ``focus_group_contact``,
one row per sign-up, so they can be shown to researchers only, exported in a
logged action and deleted by the retention rule without touching anything else.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.models import Base, _enum, utcnow


class SessionStatus(enum.StrEnum):
    OPEN = "open"
    FULL = "full"
    HELD = "held"
    CANCELLED = "cancelled"


class SessionMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"


class SignupStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"


class ContactMethod(enum.StrEnum):
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"


class FocusGroupSession(Base):
    """One focus group: when, where, in which languages, for how many people."""

    __tablename__ = "focus_group_session"
    __table_args__ = (
        Index("ix_focus_group_session_partnership_starts", "partnership_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column()
    timezone: Mapped[str] = mapped_column(String(64))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=120)
    mode: Mapped[SessionMode] = mapped_column(_enum(SessionMode), default=SessionMode.IN_PERSON)
    place: Mapped[str] = mapped_column(String(500), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    interpretation_offered: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int] = mapped_column(Integer)
    childcare_notes: Mapped[str] = mapped_column(Text, default="")
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SessionStatus] = mapped_column(_enum(SessionStatus), default=SessionStatus.OPEN)
    closed_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    prompts: Mapped[list[FocusGroupPrompt]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        order_by="FocusGroupPrompt.position",
    )
    signups: Mapped[list[FocusGroupSignup]] = relationship(
        back_populates="session", order_by="FocusGroupSignup.id", passive_deletes=True
    )


class FocusGroupPrompt(Base):
    """A discussion prompt, its wording per language: ``{"en": "...", "fr": "..."}``."""

    __tablename__ = "focus_group_prompt"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        ForeignKey("focus_group_session.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[dict] = mapped_column(JSON, default=dict)

    session: Mapped[FocusGroupSession] = relationship(back_populates="prompts")


class FocusGroupSignup(Base):
    """Someone who wants to take part: needs and make-up answers, never contact details.

    ``session_id`` is empty for "tell me about the next one". ``response_id`` is
    set only when the person ticked "link my survey answers to my sign-up".
    """

    __tablename__ = "focus_group_signup"
    __table_args__ = (
        UniqueConstraint("session_id", "participant_code"),
        Index("ix_focus_group_signup_partnership_session", "partnership_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("focus_group_session.id", ondelete="CASCADE")
    )
    status: Mapped[SignupStatus] = mapped_column(
        _enum(SignupStatus), default=SignupStatus.CONFIRMED
    )
    interface_language: Mapped[str] = mapped_column(String(20))
    preferred_language: Mapped[str] = mapped_column(String(20))
    needs_interpretation: Mapped[bool] = mapped_column(default=False)
    needs_childcare: Mapped[bool] = mapped_column(default=False)
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    years_in_canada: Mapped[str | None] = mapped_column(String(20))
    age_band: Mapped[str | None] = mapped_column(String(20))
    gender: Mapped[str | None] = mapped_column(String(20))
    consent_contact: Mapped[bool] = mapped_column(default=False)
    consent_purpose: Mapped[bool] = mapped_column(default=False)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="SET NULL"))
    participant_code: Mapped[str | None] = mapped_column(String(10))
    attended: Mapped[bool] = mapped_column(default=False)
    contact_deleted_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[FocusGroupSession | None] = relationship(back_populates="signups")
    contact: Mapped[FocusGroupContact | None] = relationship(
        back_populates="signup", cascade="all, delete-orphan", uselist=False
    )


class FocusGroupContact(Base):
    """Personal data of one sign-up, kept apart and deleted after the session."""

    __tablename__ = "focus_group_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    signup_id: Mapped[int] = mapped_column(
        ForeignKey("focus_group_signup.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    method: Mapped[ContactMethod] = mapped_column(_enum(ContactMethod))
    value: Mapped[str] = mapped_column(String(254))
    match_key: Mapped[str] = mapped_column(String(300), index=True)
    availability_notes: Mapped[str] = mapped_column(Text, default="")
    accessibility_needs: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    signup: Mapped[FocusGroupSignup] = relationship(back_populates="contact")


class FocusGroupSegment(Base):
    """A piece of what was said, attributed to an anonymous participant code."""

    __tablename__ = "focus_group_segment"
    __table_args__ = (Index("ix_focus_group_segment_session_position", "session_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        ForeignKey("focus_group_session.id", ondelete="CASCADE")
    )
    prompt_id: Mapped[int | None] = mapped_column(
        ForeignKey("focus_group_prompt.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    participant_code: Mapped[str] = mapped_column(String(10), default="")
    language: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    translation: Mapped[str | None] = mapped_column(Text)
    translation_language: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20), default="notes")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[FocusGroupSession] = relationship()
    prompt: Mapped[FocusGroupPrompt | None] = relationship()
