"""Reading the marked evaluation set and scoring the scrubber on it (recall, false positives).

The set (``tests/analysis/data/identifying_spans.txt``) has one answer a line:
``LANGUAGE<TAB>NAMES GIVEN ELSEWHERE<TAB>TEXT`` with identifying spans marked
``[[kind:text]]``. A marked span counts as caught when every letter and digit
of it lies inside findings: removed ones for identifiers, removed or flagged for
names and quasi-identifiers. An answer with no marked span is a false positive
when anything in it is removed or flagged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from analysis.identifying import FLAG, IDENTIFIER_KINDS, QUASI_KINDS, Finding

_MARK = re.compile(r"\[\[(\w+):(.+?)\]\]")
FAMILIES = ("identifier", "name", "quasi")


@dataclass(frozen=True, slots=True)
class MarkedAnswer:
    """One answer of the set: language, names given elsewhere, text, marked spans."""

    language: str
    names: tuple[str, ...]
    text: str
    spans: tuple[tuple[int, int, str], ...]


def family(kind: str) -> str:
    """``identifier``, ``name`` or ``quasi``."""
    if kind in IDENTIFIER_KINDS:
        return "identifier"
    return "quasi" if kind in QUASI_KINDS else "name"


def read_marked(lines: Iterable[str]) -> list[MarkedAnswer]:
    """The answers of the set (comments and blank lines skipped)."""
    answers = []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        language, names, marked = line.split("\t")
        text, spans, cursor = "", [], 0
        for match in _MARK.finditer(marked):
            text += marked[cursor : match.start()]
            spans.append((len(text), len(text) + len(match.group(2)), match.group(1)))
            text += match.group(2)
            cursor = match.end()
        text += marked[cursor:]
        given = tuple(n for n in names.split(";") if n)
        answers.append(MarkedAnswer(language, given, text, tuple(spans)))
    return answers


def caught(text: str, span: tuple[int, int, str], findings: Iterable[Finding]) -> bool:
    """Whether every letter and digit of ``span`` is covered by a finding that counts."""
    start, end, kind = span
    covered: set[int] = set()
    for f in findings:
        if family(kind) == "identifier" and f.action == FLAG:
            continue
        covered.update(range(max(start, f.start), min(end, f.end)))
    return all(i in covered for i in range(start, end) if text[i].isalnum())


@dataclass
class Tally:
    """Caught and total marked spans."""

    caught: int = 0
    total: int = 0

    @property
    def recall(self) -> float:
        return self.caught / self.total if self.total else 1.0


@dataclass
class Evaluation:
    """Recall by (language, family) and by kind; false positives on answers with no span."""

    by_language: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_family: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    clean: Tally = field(default_factory=Tally)  # caught = answers with something found
    extra_findings: int = 0  # findings overlapping no marked span, in any answer
    misses: list[tuple[MarkedAnswer, tuple[int, int, str]]] = field(default_factory=list)


def evaluate(
    answers: Iterable[MarkedAnswer], find: Callable[[str, tuple[str, ...]], Iterable[Finding]]
) -> Evaluation:
    """Score ``find(text, names)`` on the marked answers."""
    result = Evaluation()
    for answer in answers:
        findings = tuple(find(answer.text, answer.names))
        if not answer.spans:
            result.clean.total += 1
            result.clean.caught += bool(findings)
        result.extra_findings += sum(
            not any(f.start < e and s < f.end for s, e, _ in answer.spans) for f in findings
        )
        for span in answer.spans:
            hit = caught(answer.text, span, findings)
            for tally in (
                result.by_language[(answer.language, family(span[2]))],
                result.by_kind[span[2]],
                result.by_family[family(span[2])],
            ):
                tally.caught += hit
                tally.total += 1
            if not hit:
                result.misses.append((answer, span))
    return result
