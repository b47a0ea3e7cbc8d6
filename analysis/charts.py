"""Charts of a committee report, drawn with matplotlib's Figure API (never pyplot).

Colour-blind-safe (Okabe-Ito palette), large labels, and drawn only from
the suppressed :class:`~analysis.report.Report`: a suppressed count is not
drawn. Every chart comes with a text alternative and the rows of its data
table, so a screen reader or a printout loses nothing.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis.report import Report, ReportTable, table_share

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
"""Okabe & Ito's palette, distinguishable with every common colour-vision deficiency."""

MAX_THEMES = 12


@dataclass(frozen=True)
class Chart:
    """A figure, its text alternative and the data it shows."""

    name: str
    figure: Figure
    alt: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    fonts: tuple[str, ...] = ()
    """Font families it is drawn with, in fallback order (empty: matplotlib's default)."""


@contextmanager
def drawn_with(fonts: tuple[str, ...]) -> Iterator[None]:
    """Lay out and draw the text of charts with ``fonts`` (each glyph from the first that has it).

    Use it both around making a chart and around saving it: tick labels are
    made when the figure is drawn.
    """
    if not fonts:
        yield
        return
    with rc_context({"font.family": list(fonts)}):
        yield


def _figure(height_rows: int) -> Figure:
    figure = Figure(figsize=(8, max(2.5, 0.45 * height_rows + 1.2)), dpi=100)
    FigureCanvasAgg(figure)
    return figure


def prevalence_chart(report: Report, texts: dict[str, str]) -> Chart:
    """Horizontal bars: share of respondents per theme with its 95% interval."""
    shown = [f for f in report.findings if f.share is not None][:MAX_THEMES]
    return shares_chart(
        "prevalence",
        [f.label for f in shown],
        [(f.share, f.low, f.high) for f in shown],
        texts,
        texts["prevalence_alt"],
    )


def shares_chart(
    name: str,
    labels: list[str],
    shares: list[tuple[float, float, float]],
    texts: dict[str, str],
    alt: str,
) -> Chart:
    """Horizontal bars, the first label on top: a share (0 to 1) per label with its 95%
    interval, given as ``(share, low, high)``. The text alternative names every share."""
    figure = _figure(len(labels))
    axes = figure.add_subplot()
    axes.barh(
        list(reversed(labels)),
        [100 * s for s, _low, _high in reversed(shares)],
        xerr=[
            [100 * (s - low) for s, low, _high in reversed(shares)],
            [100 * (high - s) for s, _low, high in reversed(shares)],
        ],
        color=OKABE_ITO[0],
        ecolor="#333333",
        capsize=3,
    )
    axes.set_xlabel(texts["share_axis"], fontsize=11)
    axes.set_xlim(0, 100)
    axes.tick_params(labelsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    rows = tuple(
        (label, f"{100 * s:.0f}%", f"{100 * low:.0f}–{100 * high:.0f}%")
        for label, (s, low, high) in zip(labels, shares, strict=True)
    )
    alt = alt + " " + "; ".join(f"{r[0]}: {r[1]}" for r in rows)
    return Chart(name, figure, alt, (texts["theme"], texts["share"], texts["interval"]), rows)


def subgroup_chart(table: ReportTable, texts: dict[str, str], name: str, base: int) -> Chart:
    """Grouped bars: share of each subgroup raising each of the top themes.

    Shares come from the table's published counts (:func:`analysis.report.table_share`);
    a share that cannot be told (a hidden count, or fewer than ``base``) is drawn as no bar
    and written as ``texts["suppressed"]`` in the data table.
    """
    groups = [
        (i, g, t)
        for i, (g, t) in enumerate(zip(table.groups, table.group_totals, strict=True))
        if t
    ][: len(OKABE_ITO)]
    rows_shown = table.rows[:8]
    shares = [
        [table_share(table, r, index, base) for index, _g, _t in groups]
        for r in range(len(rows_shown))
    ]
    return grouped_shares_chart(
        name,
        [label for label, _cells in rows_shown],
        [g for _i, g, _t in groups],
        [[share.value if share else None for share in row] for row in shares],
        texts,
        texts["subgroup_alt"].format(title=table.title),
    )


def grouped_shares_chart(
    name: str,
    labels: list[str],
    groups: list[str],
    shares: list[list[float | None]],
    texts: dict[str, str],
    alt: str,
) -> Chart:
    """Grouped horizontal bars: for each label (a theme), the share (0 to 1) of each group;
    a share of ``None`` cannot be told: no bar, and ``texts["suppressed"]`` in the data."""
    groups = groups[: len(OKABE_ITO)]
    figure = _figure(len(labels) * max(1, len(groups)) // 2 + 2)
    axes = figure.add_subplot()
    height = 0.8 / max(1, len(groups))
    for position, group in enumerate(groups):
        values = [100 * (row[position] or 0) for row in shares]
        offsets = [r + position * height for r in range(len(labels))]
        axes.barh(offsets, values, height=height, label=group, color=OKABE_ITO[position])
    data_rows = tuple(
        (label, *(_share_text(share, texts) for share in row[: len(groups)]))
        for label, row in zip(labels, shares, strict=True)
    )
    axes.set_yticks([r + 0.4 - height / 2 for r in range(len(labels))])
    axes.set_yticklabels(labels, fontsize=10)
    axes.invert_yaxis()
    axes.set_xlabel(texts["share_axis"], fontsize=11)
    axes.set_xlim(0, 100)
    if groups and labels:
        axes.legend(fontsize=9, loc="lower right")
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return Chart(name, figure, alt, (texts["theme"], *groups), data_rows)


def _share_text(share: float | None, texts) -> str:
    if share is None:
        return texts["suppressed"]
    return f"{100 * share:.0f}%"


def counts_chart(
    name: str, labels: list[str], counts: list[int], texts: dict[str, str], alt: str
) -> Chart:
    """Vertical bars of counts (responses per day or per language)."""
    figure = _figure(6)
    axes = figure.add_subplot()
    axes.bar(labels, counts, color=OKABE_ITO[2])
    axes.set_ylabel(texts["count_axis"], fontsize=11)
    axes.tick_params(axis="x", labelrotation=45, labelsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return Chart(
        name,
        figure,
        alt,
        ("", texts["count_axis"]),
        tuple((l_, str(c)) for l_, c in zip(labels, counts, strict=True)),
    )


def to_png(chart: Chart) -> bytes:
    """The chart as PNG bytes."""
    buffer = io.BytesIO()
    with drawn_with(chart.fonts):
        chart.figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def to_svg(chart: Chart) -> bytes:
    """The chart as SVG bytes (with its text alternative as the title)."""
    buffer = io.BytesIO()
    with drawn_with(chart.fonts):
        chart.figure.savefig(buffer, format="svg", metadata={"Title": chart.alt, "Date": None})
    return buffer.getvalue()
