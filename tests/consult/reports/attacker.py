"""An attacker who reads committee pages: every number back out of the HTML, then integer programs.

``page_counts`` reads a committee page (the findings, every breakdown table,
the sentiment table, the months chart's data and the total) back into
:class:`~analysis.disclosure.ProtectedCounts`, by position in the stored
shape, and checks it equals what the publication stored: the page shows
those counts and nothing else. ``exposed`` then asks an exact integer
program (:class:`analysis.audit.AttackerModel`) which counts of which
atoms of people have a single feasible value.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from analysis.audit import AttackerModel, Observation
from analysis.disclosure import (
    TOTAL,
    ProtectedCounts,
    Shape,
    cell_id,
    group_id,
    mood_id,
    theme_id,
)
from analysis.report import MONTH, Report

FEWER = re.compile(r"fewer than (\d+)")
HIDDEN = "hidden to protect a small group"


class _Tables(HTMLParser):
    """Every table of a page: its caption and rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(("", []))
        elif tag == "caption":
            self._caption = []
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            caption = " ".join("".join(self._caption).split())
            self.tables[-1] = (caption, self.tables[-1][1])
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> list[tuple[str, list[list[str]]]]:
    """Every table of ``html`` as (caption, rows of cell texts)."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def value_of(text: str) -> int | None:
    """A count as the page writes it: a number, "fewer than 5" (0) or hidden (None)."""
    text = text.split("(")[0].strip()
    if text == HIDDEN:
        return None
    if FEWER.fullmatch(text):
        return 0
    return int(text)


def page_counts(html: str, stored: ProtectedCounts, report: Report) -> ProtectedCounts:
    """The counts a committee page shows, read back; must equal ``stored``.

    ``report`` (the published report in the page's language) gives only what
    any reader knows anyway: the theme and choice labels, in order. A row or
    column a breakdown table leaves out (named in a "Not shown as ..."
    sentence) holds only numbers below the base or hidden; the attacker is
    given their stored values, so the page can only ever tell it less.
    """
    shape, found = stored.shape, {}
    found[TOTAL] = value_of(re.search(r"Respondents: (?:<[^>]+>)?([^<·]+)", html).group(1))
    everything = tables(html)
    findings = next(rows for caption, rows in everything if caption.startswith("Themes raised"))
    by_label = {row[0]: row for row in findings[1:]}
    theme_rows = [label for label, _cells in report.tables[0].rows]
    for theme, label in zip(shape.themes, theme_rows, strict=True):
        found[theme_id(theme)] = value_of(by_label[label][1])
    left_out = _left_out(html)
    for dimension, table in zip(_shown_dimensions(shape), report.tables, strict=True):
        rows = next((rows for caption, rows in everything if f"— {table.title} (" in caption), None)
        _table_values(found, dimension, table, rows, shape, stored, left_out)
    moods = next(rows for caption, rows in everything if caption.startswith("How the respondents"))
    for theme, row in zip(shape.themes, _in_theme_order(moods[1:], theme_rows), strict=True):
        for k, mood in enumerate(shape.moods):
            found[mood_id(theme, mood)] = None if len(row) < 4 else value_of(row[1 + k])
    _months(found, everything, shape)
    read = ProtectedCounts(shape, found, stored.base, stored.threshold)
    unknown_moods = {k for k, v in found.items() if k[0] == "mood" and v is None}
    differ = {
        k: (v, stored.values[k])
        for k, v in read.values.items()
        if k not in unknown_moods and v != stored.values[k]
    }
    assert not differ, f"the page shows other numbers than the protected counts: {differ}"
    return ProtectedCounts(
        shape,
        {**found, **{k: stored.values[k] for k in unknown_moods}},
        stored.base,
        stored.threshold,
    )


def _left_out(html: str) -> set[str]:
    """Every label a "Not shown as columns/rows ...: A; B." sentence names."""
    named = set()
    for listed in re.findall(r"Not shown as (?:columns|rows), [^:<]*: ([^<]*)\.<", html):
        named.update(label.strip() for label in listed.split("; "))
    return named


def _shown_dimensions(shape: Shape):
    """Themed dimensions in page order (breakdown questions, language, source)."""
    return [d for d in shape.dimensions if d.themed]


def _in_theme_order(rows, labels):
    by_label = {row[0]: row for row in rows}
    return [by_label[label] for label in labels]


def _table_values(found, dimension, table, rows, shape: Shape, stored, left_out) -> None:
    """One breakdown table's numbers, by label; what it leaves out must be small."""
    shown = {}
    if rows is not None:
        header = rows[0][1:]
        for row in rows[1:]:
            shown.update(
                {(row[0], group): text for group, text in zip(header, row[1:], strict=True)}
            )
    total_label = "Respondents in the group"
    labels = [label for label, _cells in table.rows]
    for group, group_label in zip(dimension.groups, table.groups, strict=True):
        cells = [(group_id(dimension.name, group), total_label)] + [
            (cell_id(theme, dimension.name, group), label)
            for theme, label in zip(shape.themes, labels, strict=True)
        ]
        for key, row_label in cells:
            text = shown.get((row_label, group_label))
            if text is not None:
                found[key] = value_of(text)
                continue
            assert group_label in left_out or row_label in left_out, (table.title, key)
            assert stored.values[key] is None or stored.values[key] < stored.base, key
            found[key] = stored.values[key]


def _months(found, everything, shape: Shape) -> None:
    """The months chart leaves out months of fewer than the base: they read as 0."""
    months = shape.dimension(MONTH).groups
    chart = [rows for caption, rows in everything if "per month" in caption]
    shown = {row[0]: int(row[1]) for row in chart[0][1:]} if chart else {}
    labels = _month_labels(months)
    for month in months:
        found[group_id(MONTH, month)] = shown.get(labels[month], 0)


def _month_labels(months) -> dict[str, str]:
    from datetime import datetime

    from babel.dates import format_skeleton

    return {
        m: format_skeleton("yMMM", datetime(int(m[:4]), int(m[5:]), 1), locale="en") for m in months
    }


def reduced(counts: ProtectedCounts, *others: ProtectedCounts, keep=()) -> Shape:
    """The shape without theme rows published as 0 throughout in every publication given.

    Themes in ``keep`` (those the attacker asks about) stay.

    Such a row constrains nothing else (all of it 0 is feasible whatever
    the rest is) and each of its counts has two values (its own and 0), so
    leaving it out of the attacker's program loses nothing and saves time.
    """
    every = (counts, *others)

    def silent(theme):
        return all(
            v == 0
            for c in every
            for k, v in c.values.items()
            if len(k) > 1 and k[1] == theme and k[0] in ("theme", "cell", "mood")
        )

    shape = counts.shape
    themes = tuple(t for t in shape.themes if t in keep or not silent(t))
    return Shape(themes, shape.dimensions, shape.moods)


def restricted(counts: ProtectedCounts, shape: Shape) -> ProtectedCounts:
    """``counts`` over a reduced ``shape``."""
    ids = set(shape.ids())
    values = {k: v for k, v in counts.values.items() if k in ids}
    return ProtectedCounts(shape, values, counts.base, counts.threshold)


def exposed(observations, atoms, sizes, questions, shape):
    """The ``questions`` ((atom, cell) pairs) that have a single feasible integer value."""
    model = AttackerModel(observations, atoms=atoms, atom_sizes=sizes, shape=shape)
    columns = [model.variable(atom, cell) for atom, cell in questions]
    pinned = set(model.pinned(columns))
    return [q for q, column in zip(questions, columns, strict=True) if column in pinned]


__all__ = ["Observation", "exposed", "page_counts", "reduced", "restricted", "tables", "value_of"]
