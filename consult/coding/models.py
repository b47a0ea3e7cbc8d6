"""Tables of the thematic analysis: codebook versions, text units, codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from consult.models import Base, utcnow


class CodebookVersion(Base):
    """One version of a partnership's codebook; every edit adds a version."""

    __tablename__ = "codebook_version"
    __table_args__ = (UniqueConstraint("partnership_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TextUnitRow(Base):
    """A piece of free text to analyse: a survey answer or a focus-group segment."""

    __tablename__ = "text_unit"
    __table_args__ = (
        UniqueConstraint("response_id", "question"),
        Index("ix_text_unit_partnership_coded", "partnership_id", "coded_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(20))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(120), default="")
    segment_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    respondent_key: Mapped[str] = mapped_column(String(80))
    language: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)
    translation: Mapped[str | None] = mapped_column(Text)
    translation_language: Mapped[str | None] = mapped_column(String(20))
    sentiment: Mapped[float | None] = mapped_column(Float)
    sentiment_basis: Mapped[str | None] = mapped_column(String(20))
    coded_version: Mapped[int | None] = mapped_column(Integer)
    theme_keys: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The unit's effective themes (the coder's, overruled by researchers' decisions),
    sorted and comma-separated, "" for none: what summaries read. Derived data, kept
    by :func:`consult.coding.services.refresh_theme_keys` whenever codes or decisions change."""
    learned_training: Mapped[int | None] = mapped_column(Integer)
    """The ``coder_training`` whose learned model coded the unit; ``None`` while it is
    coded by keywords only (a new answer, waiting for the worker)."""
    review_priority: Mapped[float | None] = mapped_column(Float)
    """How much reviewing the unit would teach the learned coder (higher first: its least
    certain themes, weighted to the themes with fewest examples); ``None`` until the
    worker's model coded it (:func:`analysis.review.review_priority`)."""
    vector: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    """The text's sentence vector (``float32`` bytes) from ``vector_encoder``, embedded
    once by the worker (:mod:`consult.coding.vectors`) and deleted with the unit."""
    vector_encoder: Mapped[str | None] = deferred(mapped_column(String(80)))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    auto_codes: Mapped[list[AutoCode]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", passive_deletes=True
    )
    decisions: Mapped[list[CodeDecision]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", passive_deletes=True
    )


class AutoCode(Base):
    """A theme the coder found in a unit, with its evidence and codebook version."""

    __tablename__ = "auto_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("text_unit.id", ondelete="CASCADE"), index=True)
    theme: Mapped[str] = mapped_column(String(60))
    codebook_version: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    similar: Mapped[list | None] = mapped_column(JSON)
    """Where the learned model (not keywords) found the theme: the nearest reviewed
    examples that have it (``unit-<id>``, ``example-<id>``), shown as its evidence."""

    unit: Mapped[TextUnitRow] = relationship(back_populates="auto_codes")


class CodeDecision(Base):
    """A researcher's decision on a theme for a unit; it wins over the coder."""

    __tablename__ = "code_decision"
    __table_args__ = (UniqueConstraint("unit_id", "theme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("text_unit.id", ondelete="CASCADE"))
    theme: Mapped[str] = mapped_column(String(60))
    present: Mapped[bool] = mapped_column()
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    evidence: Mapped[list | None] = mapped_column(JSON)
    """Passages the researcher chose for a present theme (coding a selected span), in the
    shape of :attr:`AutoCode.evidence`: ``[start, end, passage, false]``, offsets into the
    unit's text; ``None`` for a decision made without one."""

    unit: Mapped[TextUnitRow] = relationship(back_populates="decisions")


class ApprovedQuote(Base):
    """A quote a researcher approved for committees: scrubbed text, one theme."""

    __tablename__ = "approved_quote"
    __table_args__ = (UniqueConstraint("unit_id", "theme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("text_unit.id", ondelete="CASCADE"))
    theme: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(20))
    translation: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)


class CodingSample(Base):
    """A sample of units that two or more researchers code independently."""

    __tablename__ = "coding_sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    unit_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SampleCoding(Base):
    """One researcher's blind coding of one unit of a sample (themes may be empty)."""

    __tablename__ = "sample_coding"
    __table_args__ = (UniqueConstraint("sample_id", "unit_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("coding_sample.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("text_unit.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    themes: Mapped[list] = mapped_column(JSON, default=list)
    coded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CodingExample(Base):
    """A labelled example a partnership imported (past hand-coding) for its coder to learn.

    ``themes`` are codebook keys; an empty list means that none of the themes applies.
    """

    __tablename__ = "coding_example"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(20))
    themes: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(300), default="")
    vector: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    vector_encoder: Mapped[str | None] = deferred(mapped_column(String(80)))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CoderTraining(Base):
    """One retraining of a partnership's coder: what it learned from and how good it is.

    ``quality`` holds, per theme key, the rule that decides it (``model`` or
    ``keywords``) and the cross-validated counts on the reviewed examples
    (``tp``, ``fp``, ``fn``): precision and recall shown to researchers.
    """

    __tablename__ = "coder_training"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )
    codebook_version: Mapped[int] = mapped_column(Integer)
    reviewed: Mapped[int] = mapped_column(Integer)
    imported: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    quality: Mapped[dict] = mapped_column(JSON, default=dict)
    recoded: Mapped[int] = mapped_column(Integer, default=0)
    trained_at: Mapped[datetime] = mapped_column(default=utcnow)
