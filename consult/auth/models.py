"""Who is signed in where: one row per signed-in browser (see :mod:`consult.auth.signins`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.models import Base, User, utcnow


class SignIn(Base):
    """A browser signed in as ``user``, until it signs out or times out.

    The browser's cookie holds a random token; only its SHA-256 is stored
    here, so a copy of the database signs no one in. Deleting the row ends the
    sign-in at once, whatever cookie the browser (or anyone who copied it) holds.
    """

    __tablename__ = "sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
