"""What admin pages read and change (services take the session, never commit)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from consult.models import AuditEvent, Membership, Partnership, User

PER_PAGE = 50


def _events_of(partnership_ids: set[int]):
    """Events of these partnerships, plus sign-ins, sign-outs and failed sign-ins of their
    members (those carry no partnership)."""
    members = select(Membership.user_id).where(Membership.partnership_id.in_(partnership_ids))
    member_emails = select(User.email).where(User.id.in_(members))
    return or_(
        AuditEvent.partnership_id.in_(partnership_ids),
        and_(AuditEvent.partnership_id.is_(None), AuditEvent.user_id.in_(members)),
        and_(
            AuditEvent.partnership_id.is_(None),
            AuditEvent.user_id.is_(None),
            AuditEvent.action == "sign_in_failed",
            AuditEvent.target.in_(member_emails),
        ),
    )


@dataclass(frozen=True)
class AuditPage:
    rows: list  # (AuditEvent, actor's email or None, partnership name or None)
    total: int
    actions: list[str]
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def audit_page(db: Session, partnership_ids: set[int], action: str, page: int) -> AuditPage:
    """One page of the audit log of these partnerships, newest first, and which actions
    it holds (for the filter)."""
    condition = _events_of(partnership_ids)
    if action:
        condition = and_(condition, AuditEvent.action == action)
    total = db.scalar(select(func.count()).select_from(AuditEvent).where(condition)) or 0
    rows = db.execute(
        select(AuditEvent, User.email, Partnership.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(Partnership, Partnership.id == AuditEvent.partnership_id)
        .where(condition)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    actions = db.scalars(
        select(AuditEvent.action).where(_events_of(partnership_ids)).distinct()
    ).all()
    return AuditPage(list(rows), total, sorted(actions), page)


def administered(db: Session, partnership_ids: set[int]) -> list[Partnership]:
    """These partnerships, by name."""
    return list(
        db.scalars(
            select(Partnership)
            .where(Partnership.id.in_(partnership_ids))
            .order_by(Partnership.name)
        )
    )
