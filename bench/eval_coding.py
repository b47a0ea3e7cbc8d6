"""Evaluate the default codebook against the hand-labelled set and time the coder.

Run: ``.venv/bin/python bench/eval_coding.py`` (``--no-timing`` to skip the
throughput runs, ``--errors`` to list every disagreement). Prints markdown.
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.codebook import default_codebook  # noqa: E402
from analysis.coding import Coder  # noqa: E402
from analysis.evaluation import (  # noqa: E402
    LabelledUnit,
    Scores,
    read_labelled_csv,
    scores_by_language,
    scores_by_theme,
)
from analysis.records import Coding, TextUnit  # noqa: E402

EVAL_SET = ROOT / "tests" / "analysis" / "data" / "eval_units.csv"


def load_units() -> list[LabelledUnit]:
    """The hand-labelled evaluation units."""
    with EVAL_SET.open(encoding="utf-8", newline="") as f:
        return read_labelled_csv(f)


def predict(coder: Coder, units: list[LabelledUnit]) -> dict[str, tuple[str, ...]]:
    """Unit id -> predicted theme keys."""
    return {u.unit_id: code(coder, u).themes for u in units}


def code(coder: Coder, unit: LabelledUnit) -> Coding:
    """The coding of one labelled unit."""
    return coder.code(TextUnit(unit.unit_id, unit.text, unit.language, unit.unit_id))


def row(name: str, s: Scores) -> str:
    """One markdown table row of scores."""
    return f"| {name} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.support} |"


def print_scores(units: list[LabelledUnit], predicted: dict[str, tuple[str, ...]]) -> None:
    """Markdown tables: micro scores per language, then per theme."""
    print("## Micro scores per language\n")
    print("| language | precision | recall | micro-F1 | gold themes |\n|---|---|---|---|---|")
    by_lang = scores_by_language(units, predicted)
    for lang, scores in by_lang.items():
        print(row(lang, scores))
    print(row("**all**", sum(by_lang.values(), Scores())))
    print("\n## Scores per theme (all languages)\n")
    print("| theme | precision | recall | F1 | gold units |\n|---|---|---|---|---|")
    pairs = [(u.themes, predicted[u.unit_id]) for u in units]
    for theme, scores in sorted(scores_by_theme(pairs, default_codebook().keys).items()):
        print(row(theme, scores))


def print_errors(units: list[LabelledUnit], coder: Coder) -> None:
    """Every unit whose predicted set differs from its gold set, with the evidence."""
    print("\n## Disagreements\n")
    for u in units:
        coding = code(coder, u)
        got = set(coding.themes)
        if got != u.themes:
            extra = {
                m.theme: [e.matched for e in m.evidence]
                for m in coding.matches
                if m.theme not in u.themes
            }
            print(f"- {u.unit_id}: missed {sorted(u.themes - got)} extra {extra}")
            print(f"  {u.text}")


def time_coding(units: list[LabelledUnit], count: int) -> float:
    """Units per second coding ``count`` units (the eval texts repeated) with a fresh coder."""
    texts = [TextUnit(str(i), u.text, u.language, str(i)) for i, u in enumerate(units)]
    batch = list(islice(cycle(texts), count))
    coder = Coder(default_codebook())
    start = time.perf_counter()
    for unit in batch:
        coder.code(unit)
    return count / (time.perf_counter() - start)


def main() -> None:
    """Print the evaluation report."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    units = load_units()
    coder = Coder(default_codebook())
    predicted = predict(coder, units)
    print(f"# Coding evaluation ({len(units)} hand-labelled units)\n")
    print_scores(units, predicted)
    if args.errors:
        print_errors(units, coder)
    if not args.no_timing:
        print("\n## Throughput (one core, fresh coder, eval texts repeated)\n")
        print("| units | units/s |\n|---|---|")
        for count in (10_000, 100_000):
            print(f"| {count:,} | {time_coding(units, count):,.0f} |")


if __name__ == "__main__":
    main()
