"""Published summaries: frozen, protected reports per language, and every version ever shown.

A :class:`Publication` is what committee members open: its ``snapshot``
holds the current version's report in every report language. Each version
of it (the first, and each re-derivation after respondents withdrew) is a
:class:`PublicationVersion` holding its protected counts and whom it
counted: the ledger the disclosure audit reads, kept even when a version is
no longer shown, because a reader may have kept a copy.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.models import Base, utcnow


class Publication(Base):
    """A summary a researcher published for the partnership's committee."""

    __tablename__ = "publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[dict] = mapped_column(JSON, default=dict)
    # {"en": report dict, "fr": report dict}: what committee members read, already protected.
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The version the snapshot shows; 0 for summaries published before versions were kept."""
    derived_at: Mapped[datetime | None] = mapped_column()
    """When the snapshot was made (re-made after a withdrawal)."""
    withdrawn_reason: Mapped[str | None] = mapped_column(String(20))
    """Set when it can no longer be shown (``too_few``, ``pinned``: see
    :class:`analysis.disclosure.CannotProtect`); its snapshot is then empty."""

    versions: Mapped[list[PublicationVersion]] = relationship(
        back_populates="publication",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PublicationVersion.version",
    )


class PublicationVersion(Base):
    """One version of a publication: its protected counts and whom it counted."""

    __tablename__ = "publication_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="CASCADE"), index=True
    )
    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnership.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20))
    """``published``, ``withdrawal`` (re-derived after respondents withdrew) or ``update``."""
    derived_at: Mapped[datetime] = mapped_column(default=utcnow)
    counts: Mapped[dict] = mapped_column(JSON)
    """:meth:`analysis.disclosure.ProtectedCounts.to_dict`: every number it published."""
    members: Mapped[dict] = mapped_column(JSON)
    """:meth:`consult.reports.build.Members.to_dict`: whom it counted."""
    hidden: Mapped[list] = mapped_column(JSON, default=list)
    """For researchers: counts the audit hid, and the counts they protect."""
    draws: Mapped[int] = mapped_column(Integer, default=1)
    parts: Mapped[list | None] = mapped_column(JSON, default=list)
    """Groups of people the publication also compares (waves of a study, audiences), each
    ``{"name", "counts", "members"}`` protected on its own: in the ledger like ``counts``."""

    publication: Mapped[Publication] = relationship(back_populates="versions")
