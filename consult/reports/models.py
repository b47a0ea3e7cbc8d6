"""Published summaries: frozen snapshots of a suppressed report, per language."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.models import Base, utcnow


class Publication(Base):
    """A summary a researcher published for the partnership's committee."""

    __tablename__ = "publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[dict] = mapped_column(JSON, default=dict)
    # {"en": report dict, "fr": report dict}: what committee members read, already suppressed.
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
