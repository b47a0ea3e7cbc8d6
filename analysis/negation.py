"""Negation scope: a clause that denies a problem does not code the themes in it.

Newcomers write needs as lacks ("there is no bus on Sunday", "we still don't
have a family doctor"), so a negation alone must not cancel a theme. What
does is a *negated problem*: a negation word and a problem word close
together, in the same clause as the keyword:

- "We have **no problem** with housing, but the bus is always late" codes
  transportation only (the comma and "but" end the first clause);
- "Housing has **never** been an **issue**" codes nothing.

Per language (``analysis/data/negation.json``, one list of concepts rendered
in all 12 languages): negation words, problem words, contrast words that
start a new clause, the largest distance between negation and problem (in
words; in characters for Chinese) and whether the negation stands before the
problem word only (``before``: English "not a problem") or on either side
(``either``: languages that negate the verb after its object, Farsi
"مشکلی نداریم"). Words are patterns in the codebook's syntax, matched after
the same normalisation as the keywords.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from analysis.normalise import Analyzer, Token, base_language

if TYPE_CHECKING:
    from analysis.coding import LanguageMatcher

NEGATION, PROBLEM, CONTRAST = range(3)
# Latin, CJK, Arabic-script, Devanagari/Gurmukhi danda and Ethiopic punctuation.
_CLAUSE_END = re.compile(
    r"[.,;:!?\n\u3002\uff0c\uff1b\uff01\uff1f\u3001\u060c\u061b\u061f\u06d4\u0964\u1361-\u1368]"
)


@lru_cache(maxsize=1)
def negation_vocabulary() -> dict[str, Any]:
    """Language -> its entry in ``analysis/data/negation.json``."""
    text = resources.files("analysis").joinpath("data/negation.json").read_text("utf-8")
    return json.loads(text)["languages"]


@dataclass(frozen=True)
class NegationScope:
    """Finds the clauses of a text that deny a problem, for one language."""

    cues: LanguageMatcher
    window: int
    either_side: bool

    def negated_offsets(self, text: str, tokens: list[Token]) -> frozenset[int]:
        """Start offsets of the tokens that stand in a negated-problem clause."""
        found = self.cues.find_in_tokens(text, tokens)
        kinds = {NEGATION: [], PROBLEM: []}
        contrast_starts = set()
        for kind, evidence in found:
            if kind == CONTRAST:
                contrast_starts.add(evidence.start)
            else:
                kinds[kind].append(evidence.start)
        if not kinds[NEGATION] or not kinds[PROBLEM]:
            return frozenset()
        clause = _clauses(text, tokens, contrast_starts)
        position = {t.start: i for i, t in enumerate(tokens)}
        negated = set()
        for problem in kinds[PROBLEM]:
            p = position[problem]
            for negation in kinds[NEGATION]:
                n = position[negation]
                distance = p - n if not self.either_side else abs(p - n)
                if 0 < distance <= self.window and clause[n] == clause[p]:
                    negated.add(clause[p])
        return frozenset(t.start for i, t in enumerate(tokens) if clause[i] in negated)


def _clauses(text: str, tokens: list[Token], contrast_starts: set[int]) -> list[int]:
    """A clause number per token: punctuation between tokens or a contrast word starts one."""
    numbers, current, previous_end = [], 0, 0
    for token in tokens:
        if token.start in contrast_starts or _CLAUSE_END.search(text, previous_end, token.start):
            current += 1
        numbers.append(current)
        previous_end = token.end
    return numbers


def negation_scope(analyzer: Analyzer) -> NegationScope | None:
    """The scope finder for ``analyzer``'s language, or ``None`` when it has no entry."""
    from analysis.coding import build_matcher  # the pattern machinery (avoids an import cycle)

    entry = negation_vocabulary().get(base_language(analyzer.language))
    if entry is None:
        return None
    patterns = {
        NEGATION: entry["negations"],
        PROBLEM: entry["problems"],
        CONTRAST: entry["contrasts"],
    }
    return NegationScope(
        build_matcher(patterns, analyzer), int(entry["window"]), entry["order"] == "either"
    )
