"""The service inventory, priority rounds and their ballots."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.models import Base, _enum, utcnow
from consult.reports.models import Publication


class Service(Base):
    """One service of the community's inventory ("asset map")."""

    __tablename__ = "service"
    __table_args__ = (UniqueConstraint("partnership_id", "organisation", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    organisation: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_language: Mapped[str] = mapped_column(String(20), default="en")
    # Confirmed codebook theme keys; the gap map counts only these.
    themes: Mapped[list] = mapped_column(JSON, default=list)
    # Keys the coder found in the description that nobody confirmed or dismissed yet.
    suggested_themes: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    # Area keys (choices of the area question); empty: the whole community.
    areas: Mapped[list] = mapped_column(JSON, default=list)
    eligibility: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class RoundStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class PriorityRound(Base):
    """Committee members rank or give points to a publication's themes and gaps."""

    __tablename__ = "priority_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    publication_id: Mapped[int] = mapped_column(ForeignKey("publication.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(10))  # analysis.priorities.RANK or POINTS
    budget: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[RoundStatus] = mapped_column(_enum(RoundStatus), default=RoundStatus.OPEN)
    # The breakdown question used as the area dimension of the gap map (None: language only).
    area_question: Mapped[str | None] = mapped_column(String(120))
    # Offered options (analysis.strategy.option_to_dict), and the inventory as it was when
    # the round opened (analysis.gaps.supply_to_dict), so every reader sees the same gaps.
    options: Mapped[list] = mapped_column(JSON, default=list)
    supply: Mapped[list] = mapped_column(JSON, default=list)
    # analysis.priorities.result_to_dict, frozen at close.
    result: Mapped[dict | None] = mapped_column(JSON)
    opened_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column()

    publication: Mapped[Publication] = relationship()


class Ballot(Base):
    """One committee member's secret ballot in one round (changeable until it closes).

    ``voter`` is a keyed hash of the round and the member (see
    ``consult.strategy.rounds.voter_key``): a ballot row does not name its
    voter, yet the member finds and changes their own.
    """

    __tablename__ = "priority_ballot"
    __table_args__ = (UniqueConstraint("round_id", "voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("priority_round.id", ondelete="CASCADE"))
    voter: Mapped[str] = mapped_column(String(64))
    # A ranking (list of option keys, most important first) or {option key: points}.
    # No time is kept: it could be matched against sign-ins in the audit log.
    choices: Mapped[object] = mapped_column(JSON)
