"""The gap map as a heat map (matplotlib Figure API, never pyplot).

Colour is the gap score on the ``cividis`` colour map, which was designed
to read the same with every common colour-vision deficiency and in grey;
each cell also prints its need and its number of services, so no reader
depends on colour. Hidden cells (a small group) are hatched grey with a
dash. Every chart carries a text alternative and the rows of its data
table (see :class:`analysis.charts.Chart`).
"""

from __future__ import annotations

from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from analysis.charts import Chart
from analysis.gaps import GapCell, GapTable

COLOUR_MAP = "cividis"
HIDDEN_COLOUR = "#d9d9d9"


def cell_text(cell: GapCell, texts: dict[str, str]) -> str:
    """``64% · 1``: the need and the services of a cell (``texts["few"]`` when published
    as fewer than the base, ``texts["hidden"]`` when hidden)."""
    if cell.small:
        return texts["few"]
    if cell.share is None:
        return texts["hidden"]
    return f"{100 * cell.share:.0f}% · {cell.services}"


def gap_heat_map(table: GapTable, texts: dict[str, str], name: str) -> Chart:
    """Themes down, groups across, coloured by gap score, each cell labelled need · services.

    Only themes someone raised (or whose need is hidden somewhere) are drawn.

    ``texts``: ``heat_alt`` (with ``{title}`` and ``{largest}``), ``gap_axis``,
    ``theme``, ``few`` (a count below the base), ``hidden``, ``none`` (said when no gap
    is shown).
    """
    rows = list(table.raised_rows) or list(table.rows)
    width = min(11.0, max(4.8, 0.85 * len(table.group_keys) + 3.2))
    figure = Figure(figsize=(width, max(2.4, 0.42 * len(rows) + 1.6)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    scores = [float(c.score) for row in rows for c in row if c.score is not None]
    norm = Normalize(vmin=0, vmax=max(scores, default=0) or 1)
    cmap = colormaps[COLOUR_MAP]
    for y, row in enumerate(rows):
        for x, cell in enumerate(row):
            _draw_cell(axes, x, y, cell, cmap, norm, texts)
    axes.set_xlim(-0.5, len(table.group_keys) - 0.5)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    axes.set_xticks(range(len(table.group_labels)), table.group_labels, rotation=40, ha="right")
    axes.set_yticks(range(len(rows)), [row[0].theme_label for row in rows])
    axes.tick_params(labelsize=9, length=0)
    axes.spines[:].set_visible(False)
    mappable = axes.imshow([[0]], cmap=cmap, norm=norm, visible=False)
    bar = figure.colorbar(mappable, ax=axes, fraction=0.04, pad=0.02)
    bar.set_label(texts["gap_axis"], fontsize=9)
    figure.tight_layout()
    data_rows = tuple((row[0].theme_label, *(cell_text(c, texts) for c in row)) for row in rows)
    return Chart(
        name,
        figure,
        _alt(table, texts),
        (texts["theme"], *table.group_labels),
        data_rows,
    )


def _draw_cell(axes, x: int, y: int, cell: GapCell, cmap, norm, texts) -> None:
    if cell.score is None:
        axes.add_patch(
            Rectangle(
                (x - 0.5, y - 0.5), 1, 1, facecolor=HIDDEN_COLOUR, hatch="//", edgecolor="white"
            )
        )
        axes.text(x, y, "—", ha="center", va="center", fontsize=9, color="#333333")
        return
    colour = cmap(norm(float(cell.score)))
    axes.add_patch(Rectangle((x - 0.5, y - 0.5), 1, 1, facecolor=colour, edgecolor="white"))
    red, green, blue, _alpha = colour
    dark = 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45
    axes.text(
        x,
        y,
        cell_text(cell, texts),
        ha="center",
        va="center",
        fontsize=8,
        color="white" if dark else "black",
    )


def _alt(table: GapTable, texts: dict[str, str]) -> str:
    cells = [c for row in table.rows for c in row if c.score]
    cells.sort(key=lambda c: (-c.score, c.theme, c.group))
    largest = "; ".join(
        f"{c.theme_label}, {c.group_label}: {cell_text(c, texts)}" for c in cells[:3]
    )
    return texts["heat_alt"].format(title=table.title, largest=largest or texts["none"])
