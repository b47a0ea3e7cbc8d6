"""Time and peak memory of the pure aggregation and suppression steps.

Synthetic data, no database: 100,000 respondents with three breakdown
attributes and ~200,000 coded units over the 18 default themes. Reports
wall time (best of a few runs, without tracing) and the peak of Python
allocations (``tracemalloc``, one separate traced run) for:

- ``aggregate``: TextUnit records in, prevalence + breakdowns + sentiment out;
- ``aggregate_columns``: the same from respondent columns and a unit tally, as
  the theme summary loads them (one shared frozenset per distinct set of themes);
- ``suppress``: disclosure control of the theme × language table (18 × 12),
  and of a sparser theme × (language, age) table (18 × 48).

    .venv/bin/python bench/bench_aggregate.py [--respondents N]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.suppression import CountTable, is_suppressed, suppress_small_cells  # noqa: E402

from analysis.aggregate import (  # noqa: E402
    Respondent,
    RespondentColumns,
    UnitTally,
    aggregate,
    aggregate_columns,
    respondent_columns,
)
from analysis.codebook import default_codebook  # noqa: E402
from analysis.records import SOURCE_FOCUS_GROUP, SOURCE_SURVEY, TextUnit  # noqa: E402

THEMES = list(default_codebook().keys)
LANGUAGES = ["en", "fr", "ar", "zh", "pa", "tl", "es", "fa", "ur", "uk", "ti", "so"]
AGES = ["18_24", "25_44", "45_64", "65_plus"]
YEARS = ["0_1", "1_3", "3_5", "5_10", "10_plus"]
BREAKDOWNS = ("age", "years_in_canada", "gender")


def make_data(n_respondents: int, seed: int = 0):
    """Respondents, coded units (~2 per respondent) and a sentiment per unit."""
    rng = random.Random(seed)
    language_weights = [30, 10, 12, 10, 8, 6, 6, 5, 4, 4, 1, 1]
    theme_weights = [1 / (k + 1) for k in range(len(THEMES))]
    respondents, coded, sentiments = {}, [], {}
    for i in range(n_respondents):
        rid = f"r{i}"
        language = rng.choices(LANGUAGES, language_weights)[0]
        source = SOURCE_FOCUS_GROUP if i % 20 == 0 else SOURCE_SURVEY
        attributes = {
            "age": rng.choice(AGES),
            "years_in_canada": rng.choice(YEARS),
            "gender": rng.choice(["woman", "man", "other", ""]),
        }
        respondents[rid] = Respondent(rid, source, language, attributes)
        for k in range(rng.choice((1, 2, 3))):
            unit_id = f"{rid}-{k}"
            themes = tuple(rng.choices(THEMES, theme_weights, k=rng.choice((0, 1, 1, 2, 3))))
            coded.append((TextUnit(unit_id, "", language, rid, source), themes))
            sentiments[unit_id] = None if language not in ("en", "fr") else rng.uniform(-1, 1)
    return respondents, coded, sentiments


def as_columns(respondents, coded, sentiments) -> tuple[RespondentColumns, UnitTally]:
    """Respondent columns and unit tally, shaped as ``consult.coding.summary`` loads them."""
    units, raised = UnitTally(), {}
    for unit, themes in coded:
        units.add_units(themes)
        if themes:
            raised.setdefault(unit.respondent_id, set()).update(themes)
            if sentiments.get(unit.unit_id) is not None:
                units.add_sentiment(themes, sentiments[unit.unit_id])
    columns = respondent_columns(respondents, raised)
    shared: dict[frozenset, frozenset] = {}
    raised_shared = [shared.setdefault(themes, themes) for themes in columns.raised]
    return RespondentColumns(
        columns.sources, columns.languages, columns.attributes, raised_shared
    ), units


def language_by_age_table(respondents, coded) -> CountTable:
    """Theme × (language, age) with respondent counts: a sparse table with many small cells."""
    groups = [(lang, age) for lang in LANGUAGES for age in AGES]
    group_of = {rid: (r.language, r.attributes["age"]) for rid, r in respondents.items()}
    raised = {t: set() for t in THEMES}
    for unit, themes in coded:
        for theme in themes:
            raised[theme].add(unit.respondent_id)
    cells = [[0] * len(groups) for _ in THEMES]
    column = {g: j for j, g in enumerate(groups)}
    for i, theme in enumerate(THEMES):
        for rid in raised[theme]:
            cells[i][column[group_of[rid]]] += 1
    sizes = [0] * len(groups)
    for group in group_of.values():
        sizes[column[group]] += 1
    return CountTable(
        cells, [sum(row) for row in cells], sizes, len(respondents), columns_add_up=False
    )


def best_time(function, repeats: int) -> float:
    """The fastest of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mb(function) -> float:
    """Peak Python allocation during one call, in MB (tracemalloc)."""
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    respondents, coded, sentiments = make_data(args.respondents)
    columns, units = as_columns(respondents, coded, sentiments)
    print(f"{len(respondents):,} respondents, {len(coded):,} units, {len(THEMES)} themes")

    def run_aggregate():
        return aggregate(coded, respondents, BREAKDOWNS, sentiments)

    def run_columns():
        return aggregate_columns(columns, units, BREAKDOWNS)

    small_respondents, small_coded, _ = make_data(1_800, seed=1)
    small = aggregate(small_coded, small_respondents)
    large_table = run_aggregate().by_language.as_count_table()
    tables = {
        f"theme x language, {len(respondents):,} resp. (18 x 12)": large_table,
        "theme x language, 1,800 resp. (18 x 12)": small.by_language.as_count_table(),
        "theme x language+age, 1,800 resp. (18 x 48)": language_by_age_table(
            small_respondents, small_coded
        ),
    }
    measurements = [
        ("aggregate (TextUnit pairs)", run_aggregate),
        ("aggregate_columns (columns + unit tally)", run_columns),
    ] + [(f"suppress {name}", lambda t=t: suppress_small_cells(t)) for name, t in tables.items()]
    print(f"{'step':<58} {'best time':>10} {'peak alloc':>11}")
    for name, function in measurements:
        seconds = best_time(function, args.repeats)
        print(f"{name:<58} {seconds:>9.3f}s {peak_mb(function):>9.1f}MB")
    for name, table in tables.items():
        hidden = suppress_small_cells(table)
        count = sum(is_suppressed(v) for row in hidden.cells for v in row)
        primary = sum(0 < v < 5 for row in table.cells for v in row)
        size = len(table.cells) * len(table.column_totals)
        print(f"{name}: {primary} primary, {count} hidden of {size} cells")
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}MB")


if __name__ == "__main__":
    main()
