"""Sharing core indicators with umbrella analysts, and what they read.

A partnership's admin **shares** its core indicators (``/admin/settings``):
Consult then counts every response (not withdrawn) to a survey version that
asks bank questions (:func:`forms.bank.core_indicators`), protects those
counts with :func:`analysis.disclosure.protect`, audited with every earlier
publication and release of the partnership (the ledger,
:func:`consult.reports.services.ledger`), and stores them as a **release**
(:class:`~consult.umbrella.models.UmbrellaRelease`), itself part of the
ledger from then on. The admin updates the figures when they choose (a new
release); a withdrawal makes a release stale, and it is re-derived before
an analyst reads it again. Stopping takes the partnership out of every
umbrella page at once (its releases stay in the ledger).

An **umbrella analyst** (role ``umbrella`` in a partnership, given by its
admin) reads, for the partnerships where they hold the role *and* that
share, each partnership's protected figures side by side and pooled
(:func:`analysis.indicators.indicator_table`: pooled figures are sums of
the published ones, so they tell nothing the columns do not). Nothing else
of a partnership reaches them: no response, text, quote or publication.

Services take the session and never commit.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from analysis.disclosure import CannotProtect, ProtectedCounts, protect
from analysis.indicators import (
    IndicatorQuestion,
    IndicatorTable,
    indicator_cube,
    indicator_shape,
    indicator_table,
)
from consult.definitions import definition_of
from consult.models import Answer, Partnership, Response, Survey, SurveyVersion, utcnow
from consult.reports.build import Members, disclosure_secret, threshold
from consult.reports.services import ledger
from consult.umbrella.models import UmbrellaRelease
from forms.bank import Bank, core_indicators, load_bank

SHARED, WITHDRAWAL = "shared", "withdrawal"
NO_CORE = "no_core"
"""A release with nothing to count: no survey of the partnership asks a bank question."""


def bank_questions(bank: Bank | None = None) -> tuple[IndicatorQuestion, ...]:
    """Every bank question as counted, in the bank's order."""
    bank = bank or load_bank()
    return tuple(
        IndicatorQuestion(q.name, q.type, tuple(c.name for c in q.choices))
        for q in bank.questions.values()
    )


def core_versions(db: Session, partnership_id: int) -> dict[int, tuple[str, ...]]:
    """Survey version id -> the core indicators it asks, for every version that asks some."""
    versions = db.scalars(
        select(SurveyVersion)
        .join(Survey, Survey.id == SurveyVersion.survey_id)
        .where(Survey.partnership_id == partnership_id)
        .order_by(SurveyVersion.id)
    )
    found = {}
    for version in versions:
        names = tuple(core_indicators(definition_of(version)))
        if names:
            found[version.id] = names
    return found


def _count(db: Session, partnership_id: int, versions: dict[int, tuple[str, ...]]):
    """Respondents, answers per (question, choice), and members, of these versions."""
    conditions = (
        Response.partnership_id == partnership_id,
        Response.withdrawn_at.is_(None),
        Response.survey_version_id.in_(list(versions)),
    )
    ids = list(db.scalars(select(Response.id).where(*conditions).order_by(Response.id)))
    names = sorted({n for asked in versions.values() for n in asked})
    value = cast(Answer.value, Text)
    answered = (
        select(Response.survey_version_id, Answer.question, value, func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(*conditions, Answer.question.in_(names))
        .group_by(Response.survey_version_id, Answer.question, value)
    )
    answers: dict[str, Counter] = {}
    for version_id, question, text, count in db.execute(answered):
        if question not in versions[version_id]:
            continue  # the name is a core indicator only where the version marks it so
        chosen = json.loads(text) if text is not None else None
        tally = answers.setdefault(question, Counter())
        if isinstance(chosen, str):
            tally[chosen] += count
        elif isinstance(chosen, list):
            for choice in {c for c in chosen if isinstance(c, str)}:
                tally[choice] += count
    return len(ids), answers, Members.of(ids, ())


def derive(db: Session, partnership_id: int, reason: str = SHARED) -> UmbrellaRelease:
    """Count, protect and store a new release of the partnership's core indicators.

    A release that cannot be shown safely is stored all the same, with
    ``refused`` saying why and no counts.
    """
    versions = core_versions(db, partnership_id)
    asked = {n for names in versions.values() for n in names}
    questions = [q for q in bank_questions() if q.name in asked]
    release = UmbrellaRelease(partnership_id=partnership_id, reason=reason, derived_at=utcnow())
    if not questions:
        release.refused, release.members = NO_CORE, Members().to_dict()
    else:
        total, answers, members = _count(db, partnership_id, versions)
        release.members = members.to_dict()
        cube = indicator_cube(indicator_shape(questions), total, answers)
        try:
            protection = protect(
                cube,
                threshold(),
                secret=disclosure_secret(partnership_id),
                earlier=ledger(db, partnership_id, members),
            )
            release.counts, release.draws = protection.counts.to_dict(), protection.draws
        except CannotProtect as refused:
            release.refused = refused.reason
    db.add(release)
    db.flush()
    return release


def latest_release(db: Session, partnership_id: int) -> UmbrellaRelease | None:
    """The partnership's newest release, or ``None``."""
    return db.scalar(
        select(UmbrellaRelease)
        .where(UmbrellaRelease.partnership_id == partnership_id)
        .order_by(UmbrellaRelease.id.desc())
        .limit(1)
    )


def is_stale(db: Session, release: UmbrellaRelease) -> bool:
    """True when a respondent the release counted has withdrawn since it was made."""
    members = Members.from_dict(release.members)
    withdrawn = db.scalars(
        select(Response.id).where(
            Response.partnership_id == release.partnership_id,
            Response.withdrawn_at.is_not(None),
            Response.withdrawn_at >= release.derived_at,
        )
    )
    return any(members.contains_response(rid) for rid in withdrawn)


def share(db: Session, partnership: Partnership) -> UmbrellaRelease:
    """Start sharing (or update the figures shared): a new release, made now."""
    if partnership.umbrella_shared_at is None:
        partnership.umbrella_shared_at = utcnow()
    return derive(db, partnership.id, SHARED)


def update(db: Session, partnership: Partnership) -> UmbrellaRelease | None:
    """New figures for a partnership that shares; ``None`` (nothing made) for one that does not."""
    if partnership.umbrella_shared_at is None:
        return None
    return derive(db, partnership.id, SHARED)


def stop_sharing(partnership: Partnership) -> None:
    """Stop sharing: it leaves every umbrella page (its releases stay in the ledger)."""
    partnership.umbrella_shared_at = None


@dataclass(frozen=True)
class Column:
    """A partnership as an umbrella analyst reads it."""

    partnership: Partnership
    release: UmbrellaRelease
    counts: ProtectedCounts | None


@dataclass(frozen=True)
class UmbrellaView:
    """Everything an umbrella analyst's page shows."""

    columns: tuple[Column, ...]
    """Every sharing partnership the analyst may read, with counts or why not."""
    shown: tuple[Column, ...]
    """Those with counts: the columns of every table."""
    tables: tuple[IndicatorTable, ...]
    base: int


def sharing(db: Session, partnership_ids: set[int]) -> list[Partnership]:
    """Of these partnerships, those that share their core indicators, by name."""
    rows = db.scalars(
        select(Partnership).where(
            Partnership.id.in_(partnership_ids), Partnership.umbrella_shared_at.is_not(None)
        )
    )
    return sorted(rows, key=lambda p: (p.name.casefold(), p.id))


def current_release(db: Session, partnership: Partnership) -> tuple[UmbrellaRelease, bool]:
    """The release an analyst reads now, re-derived first when stale; and whether it was."""
    release = latest_release(db, partnership.id)
    if release is None:
        return derive(db, partnership.id, SHARED), True
    if release.counts is not None and is_stale(db, release):
        return derive(db, partnership.id, WITHDRAWAL), True
    return release, False


def umbrella_view(db: Session, partnership_ids: set[int]) -> tuple[UmbrellaView, bool]:
    """The umbrella page for an analyst of ``partnership_ids``; and whether anything was stored.

    Only partnerships that share appear; each is read from its current release.
    """
    columns, changed = [], False
    for partnership in sharing(db, partnership_ids):
        release, made = current_release(db, partnership)
        changed |= made
        counts = ProtectedCounts.from_dict(release.counts) if release.counts else None
        columns.append(Column(partnership, release, counts))
    shown = tuple(c for c in columns if c.counts is not None)
    base = threshold()
    tables = tuple(
        indicator_table(q, [c.counts for c in shown], base) for q in bank_questions() if shown
    )
    tables = tuple(t for t in tables if any(total is not None for total in t.totals))
    return UmbrellaView(tuple(columns), shown, tables, base), changed


def partnership_surveys(db: Session, partnership_id: int) -> list[Survey]:
    """A partnership's surveys, oldest first."""
    query = select(Survey).where(Survey.partnership_id == partnership_id).order_by(Survey.id)
    return list(db.scalars(query))
