"""Evaluate the quote scrubber on the marked synthetic set; print markdown for bench/RESULTS.md.

Run: ``.venv/bin/python bench/eval_quotes.py`` (``--misses`` lists every span
missed). Recall of identifying spans per language and kind (targets: 0.95 for
identifiers, 0.85 for names), the false-positive rate on answers with nothing
identifying, and time per answer.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.identifying import find_identifying  # noqa: E402
from analysis.identifying.evaluation import FAMILIES, evaluate, read_marked  # noqa: E402

SET = ROOT / "tests" / "analysis" / "data" / "identifying_spans.txt"
HELD_OUT = ROOT / "tests" / "analysis" / "data" / "identifying_spans_heldout.txt"
LANGUAGES = ("en", "fr", "ar", "zh-Hans", "pa", "tl", "es", "fa", "ur", "uk", "ti", "so")
TARGETS = {"identifier": 0.95, "name": 0.85}


def cell(tally) -> str:
    """``0.95 (19/20)``."""
    return f"{tally.recall:.2f} ({tally.caught}/{tally.total})" if tally.total else "–"


def verdict(family: str, tally) -> str:
    target = TARGETS.get(family)
    return "" if target is None else (" ✅" if tally.recall >= target else " ❌")


def main(smoke: bool = False, misses: bool = False) -> str:
    answers = read_marked(SET.read_text(encoding="utf-8").splitlines())
    find_identifying("warm up")  # builds the word lists once
    started = time.perf_counter()
    result = evaluate(answers, lambda text, names: find_identifying(text, names))
    per_answer = (time.perf_counter() - started) / len(answers) * 1000
    spans = sum(len(a.spans) for a in answers)
    lines = [
        f"# Quote scrubbing ({len(answers)} synthetic answers, {spans} marked spans)",
        "",
        "`analysis.identifying` on `tests/analysis/data/identifying_spans.txt`: a span is",
        "caught when every letter and digit of it is removed (identifiers) or removed or",
        "flagged (names, quasi-identifiers). Targets: identifiers ≥ 0.95, names ≥ 0.85.",
        "",
        "## Recall per language",
        "",
        "| language | identifiers | names | quasi-identifiers (flagged) | answers with nothing "
        "identifying that got a finding |",
        "|---|---|---|---|---|",
    ]
    for language in LANGUAGES:
        mine = [a for a in answers if a.language == language]
        clean = [a for a in mine if not a.spans]
        noisy = sum(bool(find_identifying(a.text, a.names)) for a in clean)
        cells = [
            cell(result.by_language[(language, f)]) + verdict(f, result.by_language[(language, f)])
            for f in FAMILIES
        ]
        lines.append(f"| {language} | {' | '.join(cells)} | {noisy}/{len(clean)} |")
    totals = [cell(result.by_family[f]) + verdict(f, result.by_family[f]) for f in FAMILIES]
    lines.append(f"| **all** | {' | '.join(totals)} | {result.clean.caught}/{result.clean.total} |")
    lines += ["", "## Recall per kind", "", "| kind | recall |", "|---|---|"]
    for kind, tally in sorted(result.by_kind.items()):
        lines.append(f"| {kind} | {cell(tally)} |")
    rate = result.clean.caught / result.clean.total if result.clean.total else 0.0
    lines += [
        "",
        f"False-positive rate: **{rate:.3f}** of answers with nothing identifying got a"
        f" finding ({result.clean.caught}/{result.clean.total}); findings outside any marked"
        f" span, in all answers: {result.extra_findings}.",
        f"Time: {per_answer:.1f} ms per answer (one core, {len(answers)} answers).",
    ]
    lines += held_out()
    lines += ["", LIBRARIES.read_text(encoding="utf-8").rstrip()]
    if misses:
        lines += ["", "## Misses", ""]
        lines += [
            f"- {a.language} {k}: `{a.text[s:e]}` in {a.text}" for a, (s, e, k) in result.misses
        ]
    return "\n".join(lines)


LIBRARIES = Path(__file__).with_name("quotes_libraries.md")
"""Measured once, each detector alone, in a scratch environment: Presidio, spaCy and Rampart
are not Consult's dependencies, so this run repeats only its own figures and prints these."""


def held_out() -> list[str]:
    """The same figures on answers written after the rules were frozen (never tuned on)."""
    answers = read_marked(HELD_OUT.read_text(encoding="utf-8").splitlines())
    result = evaluate(answers, lambda text, names: find_identifying(text, names))
    cells = [cell(result.by_family[f]) for f in FAMILIES]
    lines = [
        "",
        f"## Held-out answers ({len(answers)}, 3 per language)",
        "",
        "The set above was written alongside the rules, so its figures are an upper bound.",
        "These answers were written after the rules were frozen and never used to tune them:",
        "",
        "| identifiers | names | quasi-identifiers | answers with nothing identifying that got"
        " a finding |",
        "|---|---|---|---|",
        f"| {' | '.join(cells)} | {result.clean.caught}/{result.clean.total} |",
        "",
        "Missed: "
        + (
            ", ".join(f"{a.language} {k} `{a.text[s:e]}`" for a, (s, e, k) in result.misses)
            or "none"
        )
        + ".",
    ]
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list every span missed")
    args = parser.parse_args()
    print(main(args.smoke, args.misses))
