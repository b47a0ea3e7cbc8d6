"""The disclosure ledger: whom a publication counted, the partnership's draw key, and every
version a committee was ever shown, as the auditor reads them.

Below every feature that publishes figures (reports, waves, umbrella releases): a
publication version (:class:`~consult.reports.models.PublicationVersion`)
holds its protected counts and whom it counted, and, for a publication that
also shows a comparison of groups of people (waves of a study, audiences),
each group's counts and members as a **part**. :func:`ledger` gives every
one of them that counts some of the same people to
:func:`analysis.disclosure.protect`, so that no new figure can be
differenced against an earlier one.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.disclosure import Earlier, ProtectedCounts
from consult.reports.models import PublicationVersion


@dataclass(frozen=True)
class Members:
    """Who a report counts: response ids (as inclusive ranges) and focus-group participants."""

    responses: tuple[tuple[int, int], ...] = ()
    focus_groups: tuple[str, ...] = ()

    @classmethod
    def of(cls, response_ids, participants) -> Members:
        """From response ids in increasing order and participant keys."""
        ranges: list[list[int]] = []
        for rid in response_ids:
            if ranges and rid == ranges[-1][1] + 1:
                ranges[-1][1] = rid
            else:
                ranges.append([rid, rid])
        return cls(tuple((a, b) for a, b in ranges), tuple(sorted(participants)))

    def size(self) -> int:
        """How many respondents."""
        return sum(b - a + 1 for a, b in self.responses) + len(self.focus_groups)

    def shared_with(self, other: Members) -> int:
        """How many respondents are in both."""
        shared = len(set(self.focus_groups) & set(other.focus_groups))
        i = j = 0
        while i < len(self.responses) and j < len(other.responses):
            (a, b), (c, d) = self.responses[i], other.responses[j]
            shared += max(0, min(b, d) - max(a, c) + 1)
            if b < d:
                i += 1
            else:
                j += 1
        return shared

    def contains_response(self, response_id: int) -> bool:
        """True when the response is counted."""
        return any(a <= response_id <= b for a, b in self.responses)

    def to_dict(self) -> dict:
        """JSON-ready data."""
        return {
            "responses": [list(r) for r in self.responses],
            "focus_groups": list(self.focus_groups),
        }

    @classmethod
    def from_dict(cls, data) -> Members:
        """Rebuild from :meth:`to_dict` output."""
        return cls(
            tuple(tuple(r) for r in data.get("responses", ())), tuple(data.get("focus_groups", ()))
        )


def earlier_of(counts, members: Members, now: Members) -> Earlier | None:
    """An earlier publication as the auditor sees it, or ``None`` when it shares no one."""
    shared = members.shared_with(now)
    if not shared:
        return None
    return Earlier(counts, members.size() - shared, now.size() - shared)


def disclosure_secret(partnership_id: int) -> bytes:
    """The key of a partnership's rounding draws, derived from the application's secret key."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(
        key, f"consult disclosure control {partnership_id}".encode(), hashlib.sha256
    ).digest()


def threshold() -> int:
    """The configured threshold, never below 3."""
    return max(3, int(current_app.config["SUPPRESSION_THRESHOLD"]))


def counted_in(row):
    """Every (counts dict, members dict) a ledger row published: its counts and each part
    (a publication version's waves or audiences; an umbrella release has none)."""
    yield row.counts, row.members
    for part in getattr(row, "parts", None) or ():
        yield part["counts"], part["members"]


def ledger(db: Session, partnership_id: int, members: Members, exclude=()) -> list:
    """Every earlier version (and part) of the partnership that counts some of ``members``.

    As :class:`~analysis.disclosure.Earlier` auditees: publication versions
    with their parts, and every release of its core indicators shared with
    umbrella analysts (:mod:`consult.umbrella`): a reader may hold both.
    ``exclude``: publication version ids to leave out.
    """
    from consult.umbrella.models import UmbrellaRelease

    found, seen = [], set()
    rows = list(
        db.scalars(
            select(PublicationVersion)
            .where(PublicationVersion.partnership_id == partnership_id)
            .order_by(PublicationVersion.id)
        )
    )
    rows += db.scalars(
        select(UmbrellaRelease)
        .where(
            UmbrellaRelease.partnership_id == partnership_id,
            UmbrellaRelease.refused.is_(None),
        )
        .order_by(UmbrellaRelease.id)
    )
    for row in rows:
        if isinstance(row, PublicationVersion) and row.id in exclude:
            continue
        for counts, counted in counted_in(row):
            key = (repr(counts), repr(counted))
            if key in seen:
                continue
            seen.add(key)
            before = earlier_of(
                ProtectedCounts.from_dict(counts), Members.from_dict(counted), members
            )
            if before is not None:
                found.append(before)
    return found
