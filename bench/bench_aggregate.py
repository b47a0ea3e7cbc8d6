"""Time and peak memory of the pure aggregation and disclosure-control steps.

Synthetic data, no database: 100,000 respondents with three breakdown
attributes and ~200,000 coded units over the 18 default themes. Reports
wall time (best of a few runs, without tracing) and the peak of Python
allocations (``tracemalloc``, one separate traced run) for:

- ``aggregate``: TextUnit records in, prevalence + breakdowns + sentiment out;
- ``aggregate_columns``: the same from respondent columns and a unit tally, as
  the theme summary loads them (one shared frozenset per distinct set of themes);
- ``protect``: disclosure control (random rounding and the exact integer
  audit) of the whole set of counts: themes by source, language and the
  three breakdowns, and moods, at 100,000 and at 1,800 respondents.

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

from analysis.aggregate import (  # noqa: E402
    NOT_STATED,
    Respondent,
    RespondentColumns,
    UnitTally,
    aggregate,
    aggregate_columns,
    count_cube_of,
    respondent_columns,
)
from analysis.codebook import default_codebook  # noqa: E402
from analysis.disclosure import Dimension, Shape, protect  # noqa: E402
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


def cube(aggregation):
    """The aggregation's counts in a shape listing every group (as a publication's)."""
    dimensions = [
        Dimension("source", (SOURCE_SURVEY, SOURCE_FOCUS_GROUP)),
        Dimension("language", (*LANGUAGES, NOT_STATED)),
        Dimension("age", (*AGES, NOT_STATED)),
        Dimension("years_in_canada", (*YEARS, NOT_STATED)),
        Dimension("gender", ("woman", "man", "other", NOT_STATED)),
    ]
    return count_cube_of(aggregation, Shape(tuple(THEMES), tuple(dimensions)))


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

    small_respondents, small_coded, small_sentiments = make_data(1_800, seed=1)
    cubes = {
        f"{len(respondents):,} respondents": cube(run_aggregate()),
        "1,800 respondents": cube(
            aggregate(small_coded, small_respondents, BREAKDOWNS, small_sentiments)
        ),
    }
    measurements = [
        ("aggregate (TextUnit pairs)", run_aggregate),
        ("aggregate_columns (columns + unit tally)", run_columns),
    ] + [(f"protect, {name}", lambda c=c: protect(c, secret=b"bench")) for name, c in cubes.items()]
    print(f"{'step':<58} {'best time':>10} {'peak alloc':>11}")
    for name, function in measurements:
        seconds = best_time(function, args.repeats)
        print(f"{name:<58} {seconds:>9.3f}s {peak_mb(function):>9.1f}MB")
    for name, counts in cubes.items():
        protection = protect(counts, secret=b"bench")
        small = sum(0 < v < 5 for v in counts.counts.values())
        print(f"{name}: {len(counts.counts)} counts, {small} below 5, {protection.draws} draw(s)")
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}MB")


if __name__ == "__main__":
    main()
