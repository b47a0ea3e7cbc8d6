"""A study and its waves (a survey, or one version of a survey, each)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.models import Base, Survey, SurveyVersion, utcnow


class Study(Base):
    """The same needs measured again: waves compared over time."""

    __tablename__ = "study"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    waves: Mapped[list[StudyWave]] = relationship(
        back_populates="study", cascade="all, delete-orphan", order_by="StudyWave.position"
    )


class StudyWave(Base):
    """One wave: every response to a survey, or only those to one of its versions.

    ``question_names`` maps a question's name in the study's first wave to
    its name in this wave, where it was renamed; ``choice_names`` maps answers.
    """

    __tablename__ = "study_wave"
    __table_args__ = (UniqueConstraint("study_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(120))
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    survey_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_version.id", ondelete="CASCADE")
    )
    question_names: Mapped[dict] = mapped_column(JSON, default=dict)
    choice_names: Mapped[dict | None] = mapped_column(JSON, default=dict)
    """First-wave question -> {answer in this wave: the first wave's choice it counts as}:
    choices renamed or split since the first wave; in the first wave itself, choices merged."""

    study: Mapped[Study] = relationship(back_populates="waves")
    survey: Mapped[Survey] = relationship()
    survey_version: Mapped[SurveyVersion | None] = relationship()
