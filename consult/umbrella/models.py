"""What a partnership shared with umbrella analysts: every release of its core indicators.

A release holds the protected counts of the partnership's core indicators
and whom they counted, like a :class:`~consult.reports.models.PublicationVersion`;
every release is kept (it is part of the partnership's disclosure ledger,
:func:`consult.reports.services.ledger`), because an analyst may have kept
a copy, even after the partnership stops sharing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.models import Base, utcnow


class UmbrellaRelease(Base):
    """One release of a partnership's core indicators for umbrella analysts."""

    __tablename__ = "umbrella_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(20))
    """``shared`` (the admin shared or updated it) or ``withdrawal`` (re-derived)."""
    derived_at: Mapped[datetime] = mapped_column(default=utcnow)
    counts: Mapped[dict | None] = mapped_column(JSON)
    """:meth:`analysis.disclosure.ProtectedCounts.to_dict`; ``None`` when it was refused."""
    members: Mapped[dict] = mapped_column(JSON, default=dict)
    """:meth:`consult.reports.build.Members.to_dict`: whom it counted."""
    refused: Mapped[str | None] = mapped_column(String(20))
    """Why nothing could be shown (``too_few``, ``pinned``, ``no_core``), else ``None``."""
    draws: Mapped[int] = mapped_column(Integer, default=1)
