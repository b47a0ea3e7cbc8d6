"""Text units, automatic coding, sentiment and human decisions (never commit)."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator

from sqlalchemy import Connection, bindparam, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from analysis.codebook import Codebook, codebook_from_dict, codebook_to_dict, default_codebook
from analysis.coding import Coder
from analysis.records import TextUnit
from analysis.sentiment import sentiment_of
from consult.coding.models import AutoCode, CodebookVersion, CodeDecision, TextUnitRow
from consult.coding.units import code_rows, code_text, theme_keys_text

_local = threading.local()


def current_codebook_row(db: Session, partnership_id: int) -> CodebookVersion:
    """The newest codebook version of a partnership, created from the default if none."""
    newest = (
        select(CodebookVersion)
        .where(CodebookVersion.partnership_id == partnership_id)
        .order_by(CodebookVersion.version.desc())
        .limit(1)
    )
    row = db.scalar(newest)
    if row is None:
        _insert_default_codebook(db.connection(), partnership_id)
        row = db.scalar(newest)
    return row


def _current_codebook_content(connection: Connection, partnership_id: int) -> tuple[int, dict]:
    """``(version, document)`` of the partnership's newest codebook, on a connection."""
    newest = (
        select(CodebookVersion.version, CodebookVersion.data)
        .where(CodebookVersion.partnership_id == partnership_id)
        .order_by(CodebookVersion.version.desc())
        .limit(1)
    )
    found = connection.execute(newest).first()
    if found is None:
        _insert_default_codebook(connection, partnership_id)
        found = connection.execute(newest).first()
    return found.version, found.data


def _insert_default_codebook(connection: Connection, partnership_id: int) -> None:
    """Concurrent first submissions may all get here: insert-if-absent, then the caller
    reads whichever row won (a plain INSERT made the losers fail with a 500)."""
    codebook = default_codebook()
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(
        insert(CodebookVersion)
        .values(
            partnership_id=partnership_id,
            version=codebook.version,
            data=codebook_to_dict(codebook),
            note="default LIP codebook",
        )
        .on_conflict_do_nothing()
    )


def current_codebook(db: Session, partnership_id: int) -> Codebook:
    """The partnership's codebook as analysis data."""
    return codebook_from_dict(current_codebook_row(db, partnership_id).data)


def save_codebook(db: Session, partnership_id: int, codebook: Codebook, user_id, note: str) -> None:
    """Store an edited codebook as its new version."""
    db.add(
        CodebookVersion(
            partnership_id=partnership_id,
            version=codebook.version,
            data=codebook_to_dict(codebook),
            note=note[:300],
            created_by=user_id,
        )
    )


# Read on every stored response: built once (building a select costs more than running it).
_LATEST_CODEBOOK_VERSION = select(func.max(CodebookVersion.version)).where(
    CodebookVersion.partnership_id == bindparam("partnership_id")
)


def latest_codebook_version_of(partnership_id_column):
    """A scalar subquery: the latest codebook version of the partnership in that column
    (to read it in the same query as the survey a submission is for)."""
    return (
        select(func.max(CodebookVersion.version))
        .where(CodebookVersion.partnership_id == partnership_id_column)
        .scalar_subquery()
    )


def coder_for(
    connection: Connection, partnership_id: int, latest: int | None = None
) -> tuple[Coder, int]:
    """A coder for the partnership's current codebook (one per thread, reused).

    Only the version number is read on a cache hit (not even that when the
    caller read it already, as ``latest``); the codebook document is loaded
    when that version has no coder yet. ``connection``: the request's (a
    view holding a session passes ``session.connection()``).
    """
    version = latest
    if version is None:
        version = connection.scalar(_LATEST_CODEBOOK_VERSION, {"partnership_id": partnership_id})
    cache = getattr(_local, "coders", None)
    if cache is None:
        cache = _local.coders = {}
    database = connection.engine.url
    key = (database, partnership_id, version)
    if version is None or key not in cache:
        version, data = _current_codebook_content(connection, partnership_id)
        key = (database, partnership_id, version)
        if len(cache) > 16:
            cache.clear()
        cache[key] = _coder_for_content(data)
    return cache[key], version


def _coder_for_content(data: dict) -> Coder:
    """One coder per distinct codebook content in this thread."""
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    by_content = getattr(_local, "by_content", None)
    if by_content is None:
        by_content = _local.by_content = {}
    if digest not in by_content:
        if len(by_content) > 8:
            by_content.clear()
        by_content[digest] = Coder(codebook_from_dict(data))
    return by_content[digest]


_warm = threading.Event()


def warm_up(
    connection: Connection, partnership_id: int, latest: int | None = None
) -> tuple[Coder, int]:
    """Build the coder and load the sentiment lexicons before any write starts.

    Done once per thread/process so that the first free-text answer does not
    hold the database's write lock while libraries load.
    """
    if not _warm.is_set():  # before anything that could start a write transaction
        sentiment_of("warm up", "en")
        sentiment_of("préchauffage", "fr")
        _warm.set()
    return coder_for(connection, partnership_id, latest)


def as_record(unit: TextUnitRow) -> TextUnit:
    """The analysis record of a stored unit."""
    return TextUnit(
        unit_id=str(unit.id),
        text=unit.text,
        language=unit.language,
        respondent_id=unit.respondent_key,
        source=unit.source,
        attributes=unit.attributes or {},
        translation=unit.translation,
        translation_language=unit.translation_language,
    )


def code_unit(
    db: Session,
    unit: TextUnitRow,
    coder: Coder,
    version: int,
    learned_training: int | None = None,
    review_priority: float | None = None,
) -> None:
    """Replace the unit's automatic codes with the coder's, and score its sentiment
    (rows from :mod:`consult.coding.units`, as for every writer of units).

    ``learned_training`` names the training whose learned coder this is, and
    ``review_priority`` what reviewing the unit would teach it; coded by keywords
    (``None``), the unit waits for the worker's learned model."""
    coded = code_text(coder, as_record(unit))
    if unit.id is not None:
        db.execute(delete(AutoCode).where(AutoCode.unit_id == unit.id))
    unit.auto_codes = [
        AutoCode(**{k: v for k, v in row.items() if k != "unit_id"})
        for row in code_rows(unit.id, coded, version)
    ]
    unit.coded_version = version
    unit.learned_training = learned_training
    unit.review_priority = review_priority
    unit.sentiment, unit.sentiment_basis = coded.sentiment, coded.sentiment_basis
    refresh_theme_keys(unit)


def units_to_recode(db: Session, partnership_id: int, version: int) -> int:
    """How many units were coded with another codebook version (or never)."""
    return (
        db.scalar(
            select(func.count())
            .select_from(TextUnitRow)
            .where(TextUnitRow.partnership_id == partnership_id)
            .where(or_(TextUnitRow.coded_version.is_(None), TextUnitRow.coded_version != version))
        )
        or 0
    )


def recode_batches(db: Session, partnership_id: int, batch: int = 500) -> Iterator[int]:
    """Recode stale units in batches; yields each batch's size (caller commits each).

    Interrupted, it resumes where it stopped: only units not yet coded with
    the current version are picked up.
    """
    coder, version = coder_for(db.connection(), partnership_id)
    while True:
        units = db.scalars(
            select(TextUnitRow)
            .options(selectinload(TextUnitRow.decisions))
            .where(TextUnitRow.partnership_id == partnership_id)
            .where(or_(TextUnitRow.coded_version.is_(None), TextUnitRow.coded_version != version))
            .order_by(TextUnitRow.id)
            .limit(batch)
        ).all()
        if not units:
            return
        for unit in units:
            code_unit(db, unit, coder, version)
        yield len(units)


def effective_themes(unit: TextUnitRow) -> list[str]:
    """Themes of a unit: the coder's, overruled by researchers' decisions."""
    decided = {d.theme: d.present for d in unit.decisions}
    themes = [c.theme for c in unit.auto_codes if decided.get(c.theme, True)]
    themes += [t for t, present in decided.items() if present and t not in themes]
    return themes


def refresh_theme_keys(unit: TextUnitRow) -> None:
    """Store the unit's effective themes where summaries read them.

    Called by every change of a unit's automatic codes or decisions
    (:func:`code_unit`, :func:`decide`, :func:`clear_decision`).
    """
    unit.theme_keys = theme_keys_text(effective_themes(unit))


def decide(db: Session, unit: TextUnitRow, theme: str, present: bool, user_id: int) -> None:
    """Record a researcher's decision that ``theme`` is (or is not) in ``unit``."""
    existing = next((d for d in unit.decisions if d.theme == theme), None)
    if existing is None:
        unit.decisions.append(CodeDecision(theme=theme, present=present, user_id=user_id))
    else:
        existing.present = present
        existing.user_id = user_id
        if not present:
            existing.evidence = None  # a rejected theme has no chosen passage
    refresh_theme_keys(unit)


def locate_passage(
    text: str, passage: str, start: int | None = None, end: int | None = None
) -> tuple[int, int] | None:
    """Where ``passage`` is in ``text``: the researcher's own offsets when they hold it (a
    selection), else its first occurrence with any run of spaces or line breaks matching any
    other (a pasted passage); trimmed of surrounding spaces; ``None`` when it is not there."""
    found = None
    given = start is not None and end is not None and 0 <= start < end <= len(text)
    if given and text[start:end] == passage:
        found = (start, end)
    if found is None:
        words = passage.split()
        match = re.search(r"\s+".join(map(re.escape, words)), text) if words else None
        found = (match.start(), match.end()) if match else None
    if found is None:
        return None
    start, end = found
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def code_passage(
    db: Session, unit: TextUnitRow, theme: str, span: tuple[int, int], user_id: int
) -> None:
    """Code the passage ``span`` of ``unit`` with ``theme``: a decision that the theme is
    present (as adding a theme is, so the coder learns from it), keeping the passage as its
    evidence beside any chosen before."""
    decide(db, unit, theme, True, user_id)
    decision = next(d for d in unit.decisions if d.theme == theme)
    start, end = span
    kept = [e for e in decision.evidence or [] if (e[0], e[1]) != (start, end)]
    decision.evidence = sorted([*kept, [start, end, unit.text[start:end], False]])


def clear_decision(db: Session, unit: TextUnitRow, theme: str) -> None:
    """Forget a decision, so the coder's result stands again."""
    unit.decisions = [d for d in unit.decisions if d.theme != theme]
    refresh_theme_keys(unit)


def decide_many(
    db: Session, units: list[TextUnitRow], theme: str, present: bool, user_id: int
) -> list[int]:
    """Decide ``theme`` on each unit where the coder found it and nobody has decided it
    yet; the ids of the units decided (a bulk review, undone by :func:`undo_many`)."""
    decided = []
    for unit in units:
        found = any(c.theme == theme for c in unit.auto_codes)
        if found and not any(d.theme == theme for d in unit.decisions):
            decide(db, unit, theme, present, user_id)
            decided.append(unit.id)
    return decided


def undo_many(
    db: Session, units: list[TextUnitRow], theme: str, present: bool, user_id: int | None
) -> list[int]:
    """Forget the decisions ``user_id``'s bulk review made, where they still stand as it
    left them (a decision changed since is kept); the ids of the units undone."""
    undone = []
    for unit in units:
        decision = next((d for d in unit.decisions if d.theme == theme), None)
        if decision is not None and decision.present == present and decision.user_id == user_id:
            clear_decision(db, unit, theme)
            undone.append(unit.id)
    return undone


def set_translation(db: Session, unit: TextUnitRow, text: str, language: str) -> None:
    """Add (or replace) an English or French translation, then recode the unit."""
    unit.translation = text.strip() or None
    unit.translation_language = language if unit.translation else None
    coder, version = coder_for(db.connection(), unit.partnership_id)
    code_unit(db, unit, coder, version)


def codebook_history(db: Session, partnership_id: int) -> list[CodebookVersion]:
    """Every version of the partnership's codebook, newest first."""
    current_codebook_row(db, partnership_id)
    return list(
        db.scalars(
            select(CodebookVersion)
            .where(CodebookVersion.partnership_id == partnership_id)
            .order_by(CodebookVersion.version.desc())
        )
    )
