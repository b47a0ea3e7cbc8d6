"""Quotes researchers approve for committees: candidates, names given elsewhere, approval.

Services take the session and never commit. Scrubbing and the review of flags are
pure (:mod:`analysis.quotes`, :mod:`analysis.identifying`); this module reads what
they need and writes what they decide: the approved quote and the audit entry.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.quotes import Quote, Review, candidate_quotes, review_quote
from analysis.records import Evidence, ThemeMatch
from consult.auth import services as audit
from consult.coding import queries, services
from consult.coding.models import ApprovedQuote, TextUnitRow
from consult.coding.presenter import chosen_spans, evidence_spans, highlight
from consult.focusgroups.models import FocusGroupContact, FocusGroupSignup
from consult.models import Answer

NAME_QUESTION = re.compile(
    r"(?:^|_)(?:first_?name|last_?name|full_?name|given_?name|family_?name|surname|name"
    r"|nom|prenom|prénom|nombre|apellidos?|magac|pangalan|ism)s?(?:$|_)",
    re.IGNORECASE,
)
"""Questions whose answer is a name (``name``, ``first_name``, ``nom`` …)."""


def approved(db: Session, partnership_id: int) -> list[ApprovedQuote]:
    """The partnership's approved quotes, by theme."""
    query = select(ApprovedQuote).where(ApprovedQuote.partnership_id == partnership_id)
    return list(db.scalars(query.order_by(ApprovedQuote.theme, ApprovedQuote.id)))


def candidates(db: Session, partnership_id: int, per_theme: int = 5) -> dict[str, list[Quote]]:
    """Scrubbed candidate quotes per theme, leaving out those already approved."""
    taken = {(q.unit_id, q.theme) for q in approved(db, partnership_id)}
    units = db.scalars(select(TextUnitRow).where(TextUnitRow.partnership_id == partnership_id))
    units = list(units)
    given = names_given(db, [u.response_id for u in units if u.response_id])
    pairs = [
        (
            services.as_record(u),
            [ThemeMatch(t, _evidence(u, t)) for t in services.effective_themes(u)],
        )
        for u in units
    ]
    names = {u.respondent_key: given.get(u.response_id, ()) for u in units}
    chosen = candidate_quotes(pairs, per_theme=per_theme, names=names)
    return {
        theme: [q for q in quotes if (int(q.unit_id), theme) not in taken]
        for theme, quotes in chosen.items()
    }


def _evidence(unit: TextUnitRow, theme: str) -> tuple[Evidence, ...]:
    """The coder's evidence for ``theme`` and the passages researchers chose for it."""
    chosen = [e for d in unit.decisions if d.theme == theme and d.present for e in d.evidence or []]
    return tuple(
        Evidence(start, end, matched, "")
        for items in [*(c.evidence for c in unit.auto_codes if c.theme == theme), chosen]
        for start, end, matched, _t in items
    )


def originals_with_passages(
    db: Session, partnership_id: int, unit_ids: Iterable[int]
) -> dict[int, Markup]:
    """The original text of those units (of the partnership) where researchers chose
    passages, with the passages and the coder's evidence highlighted, for the quote pages."""
    units = queries.units_for(db, sorted(set(unit_ids)), {partnership_id})
    return {
        unit.id: highlight(unit.text, evidence_spans(unit, in_translation=False))
        for unit in units
        if chosen_spans(unit)
    }


def names_given(db: Session, response_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Names each response's writer gave elsewhere: name questions and linked sign-ups."""
    ids = sorted(set(response_ids))
    found: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return {}
    for response_id, question, value in db.execute(
        select(Answer.response_id, Answer.question, Answer.value).where(Answer.response_id.in_(ids))
    ):
        if isinstance(value, str) and value.strip() and NAME_QUESTION.search(question):
            found[response_id].append(value)
    for response_id, name in db.execute(
        select(FocusGroupSignup.response_id, FocusGroupContact.name)
        .join(FocusGroupContact, FocusGroupContact.signup_id == FocusGroupSignup.id)
        .where(FocusGroupSignup.response_id.in_(ids))
    ):
        if name:
            found[response_id].append(name)
    return {k: tuple(v) for k, v in found.items()}


def approvable_unit(db: Session, partnership_id: int, unit_id: int, theme: str):
    """The unit a quote comes from, if it is the partnership's and carries ``theme``."""
    unit = db.get(TextUnitRow, unit_id)
    if unit is None or unit.partnership_id != partnership_id:
        return None
    return unit if theme in services.effective_themes(unit) else None


@dataclass(frozen=True, slots=True)
class Submitted:
    """A quote as submitted, reviewed: its text and translation with the choices applied."""

    quote: Review
    translation: Review | None

    @property
    def unresolved(self):
        """Flags with no choice, in the quote and its translation (one per key)."""
        flags = [*self.quote.unresolved, *(self.translation.unresolved if self.translation else ())]
        return tuple({f.key: f for f in flags}.values())

    @property
    def flags(self):
        """Every flag of the quote and its translation (one per key)."""
        flags = [*self.quote.flags, *(self.translation.flags if self.translation else ())]
        return tuple({f.key: f for f in flags}.values())


def review(
    db: Session, unit: TextUnitRow, text: str, translation: str | None, choices: Mapping[str, str]
) -> Submitted:
    """Scrub the submitted quote and translation again and apply the researcher's choices."""
    names = names_given(db, [unit.response_id] if unit.response_id else []).get(
        unit.response_id, ()
    )
    return Submitted(
        review_quote(text, names, choices),
        review_quote(translation, names, choices) if translation else None,
    )


def approve(
    db: Session, unit: TextUnitRow, theme: str, submitted: Submitted, user_id: int, override: bool
) -> ApprovedQuote:
    """Store the approved quote (a second approval edits it) and write the audit entry.

    Unresolved flags are approved only with ``override``; the entry then says so.
    """
    if submitted.unresolved and not override:
        raise ValueError("unresolved flags need an override")
    quote = db.scalar(
        select(ApprovedQuote).where(ApprovedQuote.unit_id == unit.id, ApprovedQuote.theme == theme)
    )
    if quote is None:  # approving twice (a double click) edits the same quote
        quote = ApprovedQuote(partnership_id=unit.partnership_id, unit_id=unit.id, theme=theme)
        db.add(quote)
    quote.text, quote.language = submitted.quote.text, unit.language
    quote.translation = submitted.translation.text if submitted.translation else None
    quote.approved_by = user_id
    action = "approve_quote_override" if submitted.unresolved else "approve_quote"
    audit.record(
        db,
        action,
        user_id=user_id,
        partnership_id=unit.partnership_id,
        target=f"{theme} unit {unit.id}",
        detail=_decisions(submitted),
        data={"theme": theme, "unit": unit.id},
    )
    return quote


def _decisions(submitted: Submitted) -> str:
    """What the researcher decided, by kind (never the flagged words themselves)."""
    parts = []
    for label, flags in (
        ("generalised", submitted.quote.generalised),
        ("kept", submitted.quote.kept),
        ("unresolved, approved by override", submitted.unresolved),
    ):
        if flags:
            parts.append(f"{label}: " + ", ".join(sorted(f.kind for f in flags)))
    return "; ".join(parts)


def withdraw(db: Session, partnership_ids: Iterable[int], quote_id: int) -> bool:
    """Delete an approved quote of one of ``partnership_ids``; whether there was one."""
    quote = db.get(ApprovedQuote, quote_id)
    if quote is None or quote.partnership_id not in set(partnership_ids):
        return False
    db.delete(quote)
    return True
