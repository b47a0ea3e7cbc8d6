"""A partnership's coder learns from its researchers' reviews and its imported examples.

Every unit a researcher has decided on (confirmed, rejected or added a theme)
is a reviewed example whose themes are the unit's effective themes (the
coder's, overruled by the decisions); every row of ``coding_example`` (past
hand-coding, ``consult coding examples import``) is one too. :func:`fit`
fits :mod:`analysis.learning`'s model on them (keyword hits plus the
multilingual sentence encoder, or characters when it is not installed);
:func:`retrain` also records a ``coder_training`` row with each theme's
cross-validated counts; :func:`recode_batches` then recodes the
partnership's units with the learned coder, batch by batch (the caller
commits each), marking each with the training that coded it.

Training and recoding embed texts (tens of milliseconds each), so they run
in the worker (:mod:`consult.coding.background`) or ``consult coder
retrain``, never inside a request; each text is embedded once, its vector
kept on its row (:mod:`consult.coding.vectors`). A respondent's submission
is coded by the keyword coder at once (:mod:`consult.coding.units`) and
waits for the worker (:func:`waiting_count`). Services: they take the
session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, selectinload, undefer

from analysis.evaluation import Scores
from analysis.learning import Example, LearnedCoder, LearnedModel, ThemeQuality, learn
from analysis.records import Coding, TextUnit
from analysis.review import QualityEstimate, describe_quality, model_priorities, theme_quality
from consult.coding.models import CodeDecision, CoderTraining, CodingExample, TextUnitRow
from consult.coding.services import as_record, code_unit, coder_for, effective_themes
from consult.coding.vectors import StoredVectors

RECODE_BATCH = 200


def reviewed_units(db: Session, partnership_id: int) -> list[TextUnitRow]:
    """Every unit of the partnership with a researcher's decision (vectors loaded)."""
    return db.scalars(
        select(TextUnitRow)
        .options(selectinload(TextUnitRow.auto_codes), selectinload(TextUnitRow.decisions))
        .options(undefer(TextUnitRow.vector), undefer(TextUnitRow.vector_encoder))
        .where(TextUnitRow.partnership_id == partnership_id)
        .where(exists().where(CodeDecision.unit_id == TextUnitRow.id))
        .order_by(TextUnitRow.id)
    ).all()


def imported_rows(db: Session, partnership_id: int) -> list[CodingExample]:
    """The partnership's imported examples (vectors loaded)."""
    return db.scalars(
        select(CodingExample)
        .options(undefer(CodingExample.vector), undefer(CodingExample.vector_encoder))
        .where(CodingExample.partnership_id == partnership_id)
        .order_by(CodingExample.id)
    ).all()


def reviewed_examples(db: Session, partnership_id: int, keys: Iterable[str]) -> list[Example]:
    """Every unit with a researcher's decision, as an example of its effective themes."""
    return _as_reviewed(reviewed_units(db, partnership_id), set(keys))


def imported_examples(db: Session, partnership_id: int, keys: Iterable[str]) -> list[Example]:
    """The partnership's imported examples (themes no longer in the codebook are dropped)."""
    return _as_imported(imported_rows(db, partnership_id), set(keys))


def _as_reviewed(units: Sequence[TextUnitRow], known: set[str]) -> list[Example]:
    return [
        Example(u.text, u.language, frozenset(effective_themes(u)) & known, f"unit-{u.id}")
        for u in units
    ]


def _as_imported(rows: Sequence[CodingExample], known: set[str]) -> list[Example]:
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


def stored(encoder) -> StoredVectors | None:
    """``encoder`` reading and keeping vectors on their rows (``None`` stays ``None``)."""
    if encoder is None or isinstance(encoder, StoredVectors):
        return encoder
    return StoredVectors(encoder)


def fit(db: Session, partnership_id: int, encoder=None) -> tuple[LearnedCoder, int, int]:
    """The partnership's coder trained on its reviewed and imported examples, and how
    many of each it learned from. With no example at all it is the keyword coder."""
    coder, _version = coder_for(db.connection(), partnership_id)
    known = set(coder.codebook.keys)
    units, rows = reviewed_units(db, partnership_id), imported_rows(db, partnership_id)
    vectors = stored(encoder)
    if vectors is not None:
        vectors.remember([*units, *rows])
    reviewed, imported = _as_reviewed(units, known), _as_imported(rows, known)
    return learn(coder, [*reviewed, *imported], vectors), len(reviewed), len(imported)


def retrain(db: Session, partnership_id: int, encoder=None) -> tuple[LearnedCoder, CoderTraining]:
    """Train the partnership's coder (:func:`fit`) and record the training."""
    learned, reviewed, imported = fit(db, partnership_id, encoder)
    training = CoderTraining(
        partnership_id=partnership_id,
        codebook_version=coder_for(db.connection(), partnership_id)[1],
        reviewed=reviewed,
        imported=imported,
        kind=learned.featurizer.kind,
        quality=quality_counts(learned),
        recoded=0,
    )
    db.add(training)
    db.flush()  # its id marks the units it codes
    return learned, training


def has_model(training: CoderTraining | None) -> bool:
    """True when a learned model decides at least one theme of ``training``."""
    return training is not None and any(
        q.get("rule") == "model" for q in (training.quality or {}).values()
    )


def _waiting(partnership_id: int, training_id: int):
    """Units of the partnership not coded by training ``training_id`` (a condition)."""
    return (TextUnitRow.partnership_id == partnership_id) & or_(
        TextUnitRow.learned_training.is_(None), TextUnitRow.learned_training != training_id
    )


def waiting_count(db: Session, partnership_id: int) -> int:
    """How many of the partnership's units wait for its learned model (0 without one:
    the keywords' codes are then final)."""
    training = latest_training(db, partnership_id)
    if not has_model(training):
        return 0
    return (
        db.scalar(
            select(func.count())
            .select_from(TextUnitRow)
            .where(_waiting(partnership_id, training.id))
        )
        or 0
    )


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
    db: Session,
    partnership_id: int,
    learned: LearnedCoder,
    training_id: int | None = None,
    batch: int = RECODE_BATCH,
    waiting_only: bool = False,
) -> Iterator[int]:
    """Recode the partnership's units with ``learned`` (trained as ``training_id``): all
    of them, or those :func:`waiting_count` counts; yields each batch's size.

    Units are embedded a batch at a time (once: the vector stays on the row);
    the rows come from :mod:`consult.coding.units` as for every other writer
    (researchers' decisions are kept and still win).
    """
    _coder, version = coder_for(db.connection(), partnership_id)
    vectors = learned.featurizer.encoder
    last = 0
    while True:
        wanted = TextUnitRow.partnership_id == partnership_id
        if waiting_only and training_id is not None:
            wanted = _waiting(partnership_id, training_id)
        units = db.scalars(
            select(TextUnitRow)
            .options(selectinload(TextUnitRow.auto_codes), selectinload(TextUnitRow.decisions))
            .options(undefer(TextUnitRow.vector), undefer(TextUnitRow.vector_encoder))
            .where(wanted, TextUnitRow.id > last)
            .order_by(TextUnitRow.id)
            .limit(batch)
        ).all()
        if not units:
            return
        if isinstance(vectors, StoredVectors):
            vectors.remember(units)
        scored = learned.code_scored([as_record(u) for u in units])
        coded = _Coded({c.unit_id: c for c, _p in scored})
        priority = dict(zip(units, model_priorities(learned.model, scored), strict=True))
        for unit in units:
            code_unit(db, unit, coded, version, training_id, priority[unit])
        last = units[-1].id
        yield len(units)
