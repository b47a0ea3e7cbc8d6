"""Labelled text written by others (and the project's parallel set) for bench/eval_learning.py.

Sources, licences and the mapping onto codebook themes: bench/data/README.md.
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Sequence
from pathlib import Path

from analysis.learning import Example

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DISASTER = BENCH / "data" / "disaster-response" / "messages.csv"
NHS_CODEBOOK = BENCH / "data" / "nhs" / "codebook.json"
PARALLEL = ROOT / "tests" / "analysis" / "data" / "parallel_units.csv"
EVAL_UNITS = ROOT / "tests" / "analysis" / "data" / "eval_units.csv"
LANGUAGES = ("en", "fr", "ar", "zh-Hans", "pa", "tl", "es", "fa", "ur", "uk", "ti", "so")

DISASTER_THEMES = {
    "housing": ("shelter",),
    "health": ("medical_help", "medical_products", "hospitals"),
    "transportation": ("transport",),
    "income": ("money", "food", "clothing"),
}
NHS_KEYS = {
    "Care received": "care_received",
    "Staff": "staff",
    "Couldn't be improved": "couldnt_be_improved",
    "Communication": "communication",
    "Environment/ facilities": "environment_facilities",
    "Access": "access",
    "Miscellaneous": "miscellaneous",
    "Transition/coordination": "transition_coordination",
    "Dignity": "dignity",
}
NHS_MAX_CHARS = 1000  # longer comments are cut (a handful; keeps embedding time bounded)


def shared_data() -> Path | None:
    """``shared/data`` beside the repository (or ``CONSULT_SHARED_DATA``), if present."""
    configured = os.environ.get("CONSULT_SHARED_DATA")
    candidates = [Path(configured)] if configured else []
    candidates += [p / "shared" / "data" for p in ROOT.parents]
    return next((p for p in candidates if p.is_dir()), None)


def disaster_sets(test_size: int = 1000, seed: int = 15) -> tuple[list[Example], list[Example]]:
    """(pool, test): the published validation split is the pool; ``test_size`` rows drawn
    from the test split (fixed seed) are the test."""
    pool, test = [], []
    with DISASTER.open(encoding="utf-8", newline="") as f:
        for number, row in enumerate(csv.DictReader(f), start=2):
            themes = frozenset(
                theme
                for theme, columns in DISASTER_THEMES.items()
                if any(row[c] == "1" for c in columns)
            )
            # the published ids repeat a few times: the file's line number is unique
            example = Example(row["message"], "en", themes, f"dr-{number}")
            (test if row["split"] == "test" else pool).append(example)
    return pool, random.Random(seed).sample(test, min(test_size, len(test)))


NHS_TEST_START = 2000  # the test part: the 500 comments after the first 2,000 (fixed seed)


def nhs_sets(pool_size: int = 4000, test_size: int = 500, seed: int = 15):
    """(pool, test) drawn at random from the NHS comments, or ``None`` when absent.

    The comments are shuffled with ``seed``; the test part is the ``test_size``
    after the first :data:`NHS_TEST_START` (the part every earlier figure was
    measured on), the pool ``pool_size`` others, so that two draws of 2,000 differ."""
    base = shared_data()
    path = base / "nhs-patient-feedback" / "text_data.csv" if base else None
    if path is None or not path.exists():
        return None
    examples = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = (row["feedback"] or "").strip()
            if text and row["label"] in NHS_KEYS:
                themes = frozenset({NHS_KEYS[row["label"]]})
                examples.append(
                    Example(text[:NHS_MAX_CHARS], "en", themes, f"nhs-{row['row_index']}")
                )
    random.Random(seed).shuffle(examples)
    end = NHS_TEST_START + test_size
    pool = examples[:NHS_TEST_START] + examples[end:]
    return pool[:pool_size], examples[NHS_TEST_START:end]


def parallel_items() -> dict[str, dict]:
    """Item -> ``{"themes": frozenset, "texts": {language: text}}``."""
    items: dict[str, dict] = {}
    with PARALLEL.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            item = items.setdefault(row["item"], {"themes": _themes(row["themes"]), "texts": {}})
            item["texts"][row["language"]] = row["text"]
    return items


def english_eval_examples() -> list[Example]:
    """The project's own English hand-labelled units (extra English reviews for transfer)."""
    with EVAL_UNITS.open(encoding="utf-8", newline="") as f:
        return [
            Example(r["text"], "en", _themes(r["themes"]), r["unit_id"])
            for r in csv.DictReader(f)
            if r["language"] == "en"
        ]


def _themes(value: str) -> frozenset[str]:
    return frozenset(t.strip() for t in value.split(";") if t.strip())


def sample(pool: Sequence[Example], size: int, seed: int) -> list[Example]:
    """``size`` examples drawn without replacement."""
    return random.Random(seed).sample(list(pool), min(size, len(pool)))
