"""A partnership's coder learns from its researchers' reviews and its imported examples.

Every unit a researcher has decided on (confirmed, rejected or added a theme)
is a reviewed example whose themes are the unit's effective themes (the
coder's, overruled by the decisions); every row of ``coding_example`` (past
hand-coding, ``consult coding examples import``) is one too. :func:`retrain`
fits :mod:`analysis.learning`'s model on them (keyword hits plus the
multilingual sentence encoder, or characters when it is not installed) and
records a ``coder_training`` row with each theme's cross-validated counts;
:func:`recode_batches` then recodes the partnership's units with the learned
coder, batch by batch (the caller commits each).

Training and recoding embed every text (tens of milliseconds each): they run
in ``consult coder retrain``, never inside a request. A respondent's
submission is coded by the keyword coder at once (:mod:`consult.coding.units`)
and picked up by the next retrain. Services: they take the session and never
commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from analysis.evaluation import Scores
from analysis.learning import Example, LearnedCoder, LearnedModel, ThemeQuality, learn
from analysis.records import Coding, TextUnit
from analysis.review import QualityEstimate, describe_quality, theme_quality
from consult.coding.models import CodeDecision, CoderTraining, CodingExample, TextUnitRow
from consult.coding.services import as_record, code_unit, coder_for, effective_themes

RECODE_BATCH = 200


def reviewed_examples(db: Session, partnership_id: int, keys: Iterable[str]) -> list[Example]:
    """Every unit with a researcher's decision, as an example of its effective themes."""
    known = set(keys)
    units = db.scalars(
        select(TextUnitRow)
        .options(selectinload(TextUnitRow.auto_codes), selectinload(TextUnitRow.decisions))
        .where(TextUnitRow.partnership_id == partnership_id)
        .where(exists().where(CodeDecision.unit_id == TextUnitRow.id))
        .order_by(TextUnitRow.id)
    ).all()
    return [
        Example(u.text, u.language, frozenset(effective_themes(u)) & known, f"unit-{u.id}")
        for u in units
    ]


def imported_examples(db: Session, partnership_id: int, keys: Iterable[str]) -> list[Example]:
    """The partnership's imported examples (themes no longer in the codebook are dropped)."""
    known = set(keys)
    rows = db.scalars(
        select(CodingExample)
        .where(CodingExample.partnership_id == partnership_id)
        .order_by(CodingExample.id)
    ).all()
    return [
        Example(r.text, r.language, frozenset(r.themes) & known, f"example-{r.id}") for r in rows
    ]


def import_examples(
    db: Session, partnership_id: int, examples: Sequence[Example], source: str
) -> tuple[int, int]:
    """Store examples; one already stored with the same text and language takes the new
    themes. Returns ``(added, updated)``."""
    stored = {
        (r.text, r.language): r
        for r in db.scalars(
            select(CodingExample).where(CodingExample.partnership_id == partnership_id)
        )
    }
    added = updated = 0
    for example in examples:
        themes = sorted(example.themes)
        row = stored.get((example.text, example.language or "und"))
        if row is None:
            row = CodingExample(
                partnership_id=partnership_id,
                text=example.text,
                language=example.language or "und",
                themes=themes,
                source=source[:300],
            )
            db.add(row)
            stored[(row.text, row.language)] = row
            added += 1
        elif row.themes != themes:
            row.themes, row.source = themes, source[:300]
            updated += 1
    return added, updated


def example_count(db: Session, partnership_id: int) -> int:
    """How many imported examples the partnership has."""
    return (
        db.scalar(
            select(func.count())
            .select_from(CodingExample)
            .where(CodingExample.partnership_id == partnership_id)
        )
        or 0
    )


def retrain(db: Session, partnership_id: int, encoder=None) -> tuple[LearnedCoder, CoderTraining]:
    """Train the partnership's coder on its reviewed and imported examples; record it.

    With no example at all the learned coder is the keyword coder.
    """
    coder, version = coder_for(db, partnership_id)
    keys = coder.codebook.keys
    reviewed = reviewed_examples(db, partnership_id, keys)
    imported = imported_examples(db, partnership_id, keys)
    learned = learn(coder, [*reviewed, *imported], encoder)
    training = CoderTraining(
        partnership_id=partnership_id,
        codebook_version=version,
        reviewed=len(reviewed),
        imported=len(imported),
        kind=learned.featurizer.kind,
        quality=quality_counts(learned),
        recoded=0,
    )
    db.add(training)
    return learned, training


def quality_counts(learned: LearnedCoder) -> dict[str, dict]:
    """Per theme: its rule and cross-validated counts (``{}`` before any example)."""
    if learned.model is None:
        return {}
    return {
        key: {
            "rule": q.rule,
            "tp": q.scores.tp,
            "fp": q.scores.fp,
            "fn": q.scores.fn,
            "threshold": q.threshold,
        }
        for key, q in learned.model.quality.items()
    }


def estimates(training: CoderTraining) -> dict[str, QualityEstimate]:
    """Precision and recall with intervals, per theme, of a recorded training."""
    model = LearnedModel(keys=tuple(training.quality), kind=training.kind, classifiers={})
    model.quality = {
        key: ThemeQuality(q["rule"], Scores(q["tp"], q["fp"], q["fn"]), q.get("threshold"))
        for key, q in training.quality.items()
    }
    return theme_quality(model)


def described(training: CoderTraining) -> list[tuple[str, QualityEstimate, str]]:
    """``(theme, estimate, description code)`` per theme, in codebook order."""
    return [(key, e, describe_quality(e)) for key, e in estimates(training).items()]


def latest_training(db: Session, partnership_id: int) -> CoderTraining | None:
    """The partnership's most recent retraining, if any."""
    return db.scalars(
        select(CoderTraining)
        .where(CoderTraining.partnership_id == partnership_id)
        .order_by(CoderTraining.id.desc())
        .limit(1)
    ).first()


class _Coded:
    """Codings computed for a batch at once, served to :func:`code_unit` one by one."""

    def __init__(self, codings: dict[str, Coding]) -> None:
        self._codings = codings

    def code(self, unit: TextUnit) -> Coding:
        return self._codings[unit.unit_id]


def recode_batches(
    db: Session, partnership_id: int, learned: LearnedCoder, batch: int = RECODE_BATCH
) -> Iterator[int]:
    """Recode every unit of the partnership with ``learned``; yields each batch's size.

    Units are embedded a batch at a time; the rows come from
    :mod:`consult.coding.units` as for every other writer (researchers'
    decisions are kept and still win).
    """
    _coder, version = coder_for(db, partnership_id)
    last = 0
    while True:
        units = db.scalars(
            select(TextUnitRow)
            .options(selectinload(TextUnitRow.auto_codes), selectinload(TextUnitRow.decisions))
            .where(TextUnitRow.partnership_id == partnership_id, TextUnitRow.id > last)
            .order_by(TextUnitRow.id)
            .limit(batch)
        ).all()
        if not units:
            return
        records = [as_record(u) for u in units]
        coded = _Coded({c.unit_id: c for c in learned.code_many(records)})
        for unit in units:
            code_unit(db, unit, coded, version)
        last = units[-1].id
        yield len(units)
