"""Publications: publish, preview, re-derive after a withdrawal, and the ledger of versions.

Every version a committee was ever shown stays in the ledger
(:class:`~consult.reports.models.PublicationVersion`) and every new version
is audited against each earlier one that counts some of the same people,
so that no two of them together pin a small group.

**Withdrawal.** A withdrawn response counts nowhere: a publication that
counted it is *stale* (:func:`is_stale`) and is re-derived, over the same
surveys, period and focus groups, before anyone reads it again
(:func:`refresh`): every language, download and chart then comes from the
new version, and its quotes no longer include the withdrawn response's
(deleted with it). The new version's rounding is drawn afresh, so the two
versions differ by independent noise everywhere, and it is audited against
the old one with the number of people who left known to the attacker.

Services take the session and never commit.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.disclosure import CannotProtect, ProtectedCounts
from analysis.report import report_to_dict
from consult.ledger import Members, counted_in, ledger
from consult.models import Response, utcnow
from consult.reports.build import (
    Prepared,
    ReportScope,
    fixed_until,
    prepare,
)
from consult.reports.models import Publication, PublicationVersion
from consult.reports.report_text import report_in

PUBLISHED, WITHDRAWAL, UPDATE = "published", "withdrawal", "update"


def preview(db: Session, scope: ReportScope) -> Prepared:
    """What publishing ``scope`` now would publish, audited like a publication (nothing stored)."""
    scope = fixed_until(scope)
    return prepare(db, scope, earlier=lambda members: ledger(db, scope.partnership_id, members))


def publish(db: Session, scope: ReportScope, languages, user_id: int | None) -> Publication:
    """Freeze ``scope`` as a publication in every one of ``languages``.

    Raises :class:`~analysis.disclosure.CannotProtect` (nothing is stored)
    when it cannot be published safely.
    """
    scope = fixed_until(scope)
    publication = Publication(
        partnership_id=scope.partnership_id,
        title=scope.title,
        scope=scope_to_dict(scope),
        snapshot={},
        published_by=user_id,
    )
    _derive(db, publication, scope, languages, PUBLISHED)
    db.add(publication)  # only once it could be protected
    db.flush()
    return publication


def refresh(db: Session, publication: Publication, languages) -> bool:
    """Re-derive ``publication`` when it is stale (a respondent it counted withdrew).

    True when it changed. When what is left cannot be published safely
    (:class:`~analysis.disclosure.CannotProtect`), the publication is
    withdrawn instead: its snapshot is emptied and committee members are
    told why.
    """
    if publication.withdrawn_reason or not is_stale(db, publication):
        return False
    reason = WITHDRAWAL if publication.version else UPDATE
    try:
        _derive(db, publication, scope_of(publication), languages, reason)
    except CannotProtect as refused:
        publication.snapshot = {}
        publication.withdrawn_reason = refused.reason
        publication.derived_at = utcnow()
    db.flush()
    return True


def rederive(db: Session, publication: Publication, languages) -> Publication:
    """Make a new version of ``publication`` from the data as it is now (same scope).

    Raises :class:`~analysis.disclosure.CannotProtect` (nothing changes) when
    it cannot be published safely.
    """
    _derive(db, publication, scope_of(publication), languages, UPDATE)
    db.flush()
    return publication


def publications_of(db: Session, partnership_ids: set[int]) -> list[Publication]:
    """The publications of these partnerships, newest first."""
    query = (
        select(Publication)
        .where(Publication.partnership_id.in_(partnership_ids))
        .order_by(Publication.id.desc())
    )
    return list(db.scalars(query))


def is_stale(db: Session, publication: Publication) -> bool:
    """True when a respondent it counted (in its summary or a comparison) has withdrawn since
    it was made, or it has no version.

    Summaries published before versions were kept (version 0) are stale:
    they hold exact counts.
    """
    if publication.withdrawn_reason:
        return False
    latest = _latest(publication)
    if latest is None:
        return True
    counted = [Members.from_dict(m) for _counts, m in counted_in(latest)]
    withdrawn = db.scalars(
        select(Response.id).where(
            Response.partnership_id == publication.partnership_id,
            Response.withdrawn_at.is_not(None),
            Response.withdrawn_at >= latest.derived_at,
        )
    )
    return any(m.contains_response(rid) for rid in withdrawn for m in counted)


def counts_of(publication: Publication) -> ProtectedCounts | None:
    """The protected counts a publication shows now (for the gap map and other summaries).

    Call :func:`refresh` first so that a stale publication is re-derived.
    Every figure made from these counts is as safe as the counts themselves.
    """
    latest = _latest(publication)
    return ProtectedCounts.from_dict(latest.counts) if latest is not None else None


def _derive(db: Session, publication: Publication, scope: ReportScope, languages, reason) -> None:
    """Prepare ``scope`` audited against the ledger, store it as the next version and snapshot."""
    prepared = prepare(db, scope, earlier=lambda members: ledger(db, scope.partnership_id, members))
    publication.snapshot = {lang: report_to_dict(report_in(prepared, lang)) for lang in languages}
    publication.version = (publication.version or 0) + 1
    publication.derived_at = utcnow()
    publication.versions.append(
        PublicationVersion(
            partnership_id=scope.partnership_id,
            version=publication.version,
            reason=reason,
            derived_at=publication.derived_at,
            counts=prepared.protection.counts.to_dict(),
            members=prepared.members.to_dict(),
            hidden=[
                {"cell": list(h.cell), "protects": list(h.protects), "pinned_at": h.pinned_at}
                for h in prepared.protection.hidden
            ],
            draws=prepared.protection.draws,
            parts=[
                part
                for index, comparison in enumerate(prepared.comparisons)
                for part in comparison.parts(index)
            ],
        )
    )


def _latest(publication: Publication) -> PublicationVersion | None:
    versions = [v for v in publication.versions if v.version == publication.version]
    return versions[-1] if versions else None


def scope_to_dict(scope: ReportScope) -> dict:
    """A scope as stored with its publication (``until`` fixed)."""
    return {
        "surveys": list(scope.survey_ids),
        "breakdowns": list(scope.breakdowns),
        "since": scope.since.isoformat() if scope.since else None,
        "until": scope.until.isoformat() if scope.until else None,
        "focus_groups": scope.include_focus_groups,
        "titles": dict(scope.titles),
        "comparisons": list(scope.comparisons),
    }


def scope_of(publication: Publication) -> ReportScope:
    """The scope a publication was made from, its end fixed (to when it was first published)."""
    data = publication.scope
    until = _moment(data.get("until")) or _aware(publication.published_at)
    return ReportScope(
        partnership_id=publication.partnership_id,
        survey_ids=tuple(data.get("surveys", ())),
        title=publication.title,
        breakdowns=tuple(data.get("breakdowns", ())),
        since=_moment(data.get("since")),
        until=until,
        include_focus_groups=bool(data.get("focus_groups", True)),
        titles=tuple((data.get("titles") or {}).items()),
        comparisons=tuple(data.get("comparisons") or ()),
    )


def _moment(text: str | None) -> datetime | None:
    return _aware(datetime.fromisoformat(text)) if text else None


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


__all__ = [
    "counts_of",
    "publications_of",
    "is_stale",
    "ledger",
    "preview",
    "publish",
    "rederive",
    "refresh",
    "scope_of",
]
