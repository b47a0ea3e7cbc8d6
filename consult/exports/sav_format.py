"""Responses as an SPSS ``.sav`` file (pyreadstat), with variable and value labels.

- select_one: a numeric variable coded 1..n in the order of the choices
  (the union over versions), with value labels in the chosen language (the
  survey's default language in codes mode); a value no version lists gets
  the next code, labelled with its name.
- select_multiple: a string variable of space-separated choice names, and
  one 0/1 variable per choice (value label 1 = the choice's label), the
  "multiple dichotomy" layout SPSS multiple-response sets use.
- integer and decimal: numeric (scale). Timestamps: SPSS DATETIME (UTC).
- Everything else (text, dates, rank, repeats as JSON): string variables.

Variable names follow SPSS rules: ASCII letters, digits and ``_``, starting
with a letter, at most 64 bytes, unique without regard to case, never a
reserved word; the question name is kept in the variable label's place
when it had to change (see ``columns`` of the XLSX for the full mapping).

``pyreadstat.write_sav`` takes a whole data frame and cannot append, so the
rows are gathered first, each column as a compact typed array (8 bytes a
number) or a list of strings; docs/exports.md gives the memory measured at
100,000 responses.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from consult.exports.job import ExportJob
from consult.exports.layout import MULTI_TYPES, NUMBER_TYPES, Field, Layout, number, plain

MAX_NAME_BYTES = 64
MAX_VARIABLE_LABEL = 256
MAX_VALUE_LABEL = 120
MAX_STRING = 32767
RESERVED = frozenset(
    {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}
)
SPSS_EPOCH = datetime(1582, 10, 14)
"""SPSS counts date-times in seconds from the start of the Gregorian calendar."""
DATETIME_FORMAT = "DATETIME20"

_NOT_NAME = re.compile(r"[^A-Za-z0-9_]+")


@dataclass
class Variable:
    """One SPSS variable being filled: numbers in an ``array('d')``, text in a list."""

    name: str
    label: str
    kind: str  # "number", "string" or "datetime"
    measure: str = "unknown"
    value_labels: dict[float, str] | None = None
    values: object = field(default=None)

    def __post_init__(self) -> None:
        if self.values is None:
            self.values = [] if self.kind == "string" else array("d")


class Names:
    """SPSS variable names: valid, at most 64 bytes, unique without regard to case."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, wanted: str) -> str:
        name = _NOT_NAME.sub("_", wanted).strip("_") or "v"
        if not name[0].isalpha():
            name = "v_" + name
        if name.upper() in RESERVED:
            name += "_"
        name = name[:MAX_NAME_BYTES]
        candidate, n = name, 2
        while candidate.upper() in self.used:
            suffix = f"_{n}"
            candidate, n = name[: MAX_NAME_BYTES - len(suffix)] + suffix, n + 1
        self.used.add(candidate.upper())
        return candidate


def write_sav(job: ExportJob, path: Path) -> None:
    """The .sav file written to ``path``."""
    import pandas as pd
    import pyreadstat

    variables, fillers = _plan(job.layout, {})
    for batch in job.batches():
        for meta, answers in batch:
            for fill in fillers:
                fill(meta, answers)
    # Date-times go in as SPSS numbers with a DATETIME format: a datetime64
    # column would make pyreadstat copy the whole frame to convert it.
    frame = pd.DataFrame({v.name: _column(v) for v in variables}, copy=False)
    for v in variables:
        v.values = None
    pyreadstat.write_sav(
        frame,
        str(path),
        file_label=_clip(job.survey.slug, 64),
        column_labels={v.name: _clip(v.label, MAX_VARIABLE_LABEL) for v in variables},
        variable_value_labels={
            v.name: {k: _clip(t, MAX_VALUE_LABEL) for k, t in v.value_labels.items()}
            for v in variables
            if v.value_labels
        },
        variable_measure={v.name: v.measure for v in variables},
        variable_format={v.name: DATETIME_FORMAT for v in variables if v.kind == "datetime"},
        note=f"Exported by Consult; labels: {job.options.labels_name}.",
    )


def _column(variable: Variable):
    import numpy as np
    import pandas as pd

    if variable.kind == "string":
        return pd.Series(variable.values, dtype=object)
    return np.frombuffer(variable.values, dtype=np.float64)


Filler = Callable[[object, dict], None]


def _plan(layout: Layout, shared: dict[str, str]) -> tuple[list[Variable], list[Filler]]:
    """The variables of the file, and one function per field that appends a row's values.

    ``shared`` keeps one copy of strings that repeat (languages, channels,
    combinations of choices), so a column of them costs a pointer a row.
    """

    names = Names()
    variables: list[Variable] = []
    fillers: list[Filler] = []

    def add(variable: Variable) -> Variable:
        variables.append(variable)
        return variable

    reference = add(Variable(names("reference"), "reference", "string", "nominal")).values
    fillers.append(lambda meta, _a: reference.append(meta.reference))
    for key in ("language", "channel"):
        values = add(Variable(names(key), key, "string", "nominal")).values
        fillers.append(
            lambda meta, _a, key=key, values=values: values.append(
                _shared(shared, getattr(meta, key))
            )
        )
    for key in ("submitted_at", "started_at"):
        values = add(Variable(names(key), f"{key} (UTC)", "datetime")).values
        fillers.append(
            lambda meta, _a, key=key, values=values: values.append(_spss_time(getattr(meta, key)))
        )
    version = add(Variable(names("version"), "survey version", "number", "ordinal")).values
    fillers.append(lambda meta, _a: version.append(meta.version))
    for f in layout.fields:
        fillers.append(_field_filler(layout, f, names, add, shared))
    return variables, fillers


def _field_filler(layout: Layout, f: Field, names: Names, add, shared: dict) -> Filler:
    label = layout.text(f.label) or f.name
    name = names(f.name)
    if name != f.name:
        label = f"{label} [{f.name}]"
    if f.type == "select_one":
        codes = {c.name: float(i) for i, c in enumerate(f.choices, start=1)}
        labels = {codes[c.name]: layout.text(c.label) or c.name for c in f.choices}
        values = add(Variable(name, label, "number", "nominal", labels)).values

        def select_one(_meta, answers):
            value = answers.get(f.name)
            if value is None:
                values.append(math.nan)
                return
            value = str(value)
            code = codes.get(value)
            if code is None:
                code = codes[value] = float(len(codes) + 1)
                labels[code] = value
            values.append(code)

        return select_one
    if f.type in MULTI_TYPES:
        joined = add(Variable(name, label, "string", "nominal")).values
        dummies = []
        if f.type == "select_multiple" and layout.choice_columns:
            for c in f.choices:
                choice_label = layout.text(c.label) or c.name
                dummy = Variable(
                    names(f"{f.name}_{c.name}"),
                    f"{label}: {choice_label}",
                    "number",
                    "nominal",
                    {1.0: choice_label},
                )
                dummies.append((c.name, add(dummy).values))

        def select_many(_meta, answers):
            value = answers.get(f.name)
            if value is None:
                joined.append("")
                for _name, values in dummies:
                    values.append(math.nan)
                return
            chosen = [str(n) for n in value] if isinstance(value, list) else str(value).split()
            text = " ".join(chosen)
            joined.append(_shared(shared, text))
            picked = set(chosen)
            for choice, values in dummies:
                values.append(1.0 if choice in picked else 0.0)

        return select_many
    if f.type in NUMBER_TYPES:
        values = add(Variable(name, label, "number", "scale")).values

        def numeric(_meta, answers):
            value = number(answers.get(f.name))
            values.append(float(value) if isinstance(value, int | float) else math.nan)

        return numeric
    texts = add(Variable(name, label, "string", "nominal")).values

    def text(_meta, answers):
        value = plain(answers.get(f.name))
        texts.append("" if value is None else _clip(str(value), MAX_STRING))

    return text


def _shared(shared: dict[str, str], text: str) -> str:
    """One copy of each repeated string."""
    return shared.setdefault(text, text)


def _spss_time(moment) -> float:
    """Seconds since 1582-10-14 (how SPSS stores a DATETIME), from a UTC moment."""
    if moment is None:
        return math.nan
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None) - moment.utcoffset()
    return (moment - SPSS_EPOCH).total_seconds()


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-8 bytes without splitting a character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore")
