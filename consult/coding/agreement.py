"""Blind double coding of samples, and agreement per theme (services; never commit)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.agreement import ThemeAgreement, kappa_per_theme
from consult.coding.models import AutoCode, CodingSample, SampleCoding, TextUnitRow
from consult.models import User


def create_sample(
    db: Session, partnership_id: int, name: str, size: int, seed=None
) -> CodingSample:
    """A random sample of the partnership's units for independent coding."""
    ids = list(
        db.scalars(select(TextUnitRow.id).where(TextUnitRow.partnership_id == partnership_id))
    )
    chosen = sorted(random.Random(seed).sample(ids, min(size, len(ids))))  # noqa: S311 - sampling, not security
    sample = CodingSample(partnership_id=partnership_id, name=name[:200], unit_ids=chosen)
    db.add(sample)
    return sample


def samples_of(db: Session, partnership_ids: set[int]) -> list[CodingSample]:
    """Samples of these partnerships, newest first."""
    return list(
        db.scalars(
            select(CodingSample)
            .where(CodingSample.partnership_id.in_(partnership_ids))
            .order_by(CodingSample.id.desc())
        )
    )


def next_unit_for(db: Session, sample: CodingSample, user_id: int) -> TextUnitRow | None:
    """The first unit of the sample this researcher has not coded yet."""
    done = set(
        db.scalars(
            select(SampleCoding.unit_id).where(
                SampleCoding.sample_id == sample.id, SampleCoding.user_id == user_id
            )
        )
    )
    for unit_id in sample.unit_ids:
        if unit_id not in done:
            return db.get(TextUnitRow, unit_id)
    return None


def record_coding(db: Session, sample: CodingSample, unit_id: int, user_id: int, themes) -> None:
    """Save (or replace) one researcher's themes for one unit of the sample."""
    existing = db.scalar(
        select(SampleCoding).where(
            SampleCoding.sample_id == sample.id,
            SampleCoding.unit_id == unit_id,
            SampleCoding.user_id == user_id,
        )
    )
    if existing is None:
        existing = SampleCoding(sample_id=sample.id, unit_id=unit_id, user_id=user_id)
        db.add(existing)
    existing.themes = sorted(set(themes))


@dataclass(frozen=True)
class SampleAgreement:
    """Agreement between two researchers, and of the coder with each of them."""

    coders: tuple[str, ...]
    units_both: int
    between_people: dict[str, ThemeAgreement]
    auto_vs_people: dict[str, dict[str, ThemeAgreement]]
    progress: dict[str, int]


def sample_agreement(db: Session, sample: CodingSample, themes) -> SampleAgreement:
    """Kappa per theme over the units both of the first two coders finished."""
    by_user: dict[int, dict[str, set[str]]] = {}
    for user_id, unit_id, coded in db.execute(
        select(SampleCoding.user_id, SampleCoding.unit_id, SampleCoding.themes).where(
            SampleCoding.sample_id == sample.id
        )
    ):
        by_user.setdefault(user_id, {})[str(unit_id)] = set(coded)
    names = dict(db.execute(select(User.id, User.email).where(User.id.in_(by_user))).all())
    progress = {names[u]: len(codes) for u, codes in by_user.items()}
    automatic = _automatic(db, sample)
    auto_vs = {
        names[u]: kappa_per_theme(automatic, codes, list(codes), themes)
        for u, codes in by_user.items()
    }
    coders = sorted(by_user, key=lambda u: -len(by_user[u]))[:2]
    if len(coders) < 2:
        return SampleAgreement(tuple(names[u] for u in coders), 0, {}, auto_vs, progress)
    a, b = (by_user[u] for u in coders)
    both = [u for u in a if u in b]
    return SampleAgreement(
        tuple(names[u] for u in coders),
        len(both),
        kappa_per_theme(a, b, both, themes),
        auto_vs,
        progress,
    )


def _automatic(db: Session, sample: CodingSample) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for unit_id, theme in db.execute(
        select(AutoCode.unit_id, AutoCode.theme).where(AutoCode.unit_id.in_(sample.unit_ids))
    ):
        found.setdefault(str(unit_id), set()).add(theme)
    return found
