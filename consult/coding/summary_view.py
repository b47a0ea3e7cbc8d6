"""The researchers' theme summary as shown: the order chosen (server-side sort links) and
a chart beside each table, the table staying the accessible source of its numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from analysis.aggregate import Aggregation, BreakdownTable
from analysis.charts import grouped_shares_chart, shares_chart
from consult.charts import chart_texts, inline_svg

SORTS = ("theme", "units", "respondents")
"""Columns of the prevalence table a summary can be sorted by (share follows respondents)."""
CHART_THEMES = 8
"""Themes drawn in a breakdown's chart (the first in the order shown); the table has all."""


@dataclass(frozen=True)
class Order:
    """How the summary's tables are sorted: a column and a direction."""

    column: str = "respondents"
    descending: bool = True

    @classmethod
    def of(cls, args) -> Order:
        """The order a request asks for (``?sort=units&order=asc``); the default otherwise."""
        column = args.get("sort", "")
        if column not in SORTS:
            return cls()
        wanted = args.get("order", "")
        return cls(column, wanted != "asc" if wanted in {"asc", "desc"} else column != "theme")

    @property
    def is_default(self) -> bool:
        return self == Order()

    def aria(self, column: str) -> str | None:
        """``aria-sort`` of a column heading: only on the column sorted by."""
        if column != self.column:
            return None
        return "descending" if self.descending else "ascending"

    def link(self, column: str) -> dict[str, str]:
        """Query arguments of a column heading's link: that column, the other way round
        when it is the column sorted by already."""
        if column == self.column:
            return {"sort": column, "order": "asc" if self.descending else "desc"}
        return {"sort": column, "order": "asc" if column == "theme" else "desc"}


def theme_order(result: Aggregation, order: Order, label: Callable[[str], str]) -> list[str]:
    """Theme keys in the order the tables show them."""
    rows = list(result.prevalence)
    if order.column == "theme":
        rows.sort(key=lambda r: label(r.theme).casefold(), reverse=order.descending)
    else:
        rows.sort(key=lambda r: label(r.theme).casefold())
        rows.sort(key=lambda r: getattr(r, order.column), reverse=order.descending)
    return [r.theme for r in rows]


def prevalence_chart(result: Aggregation, themes: list[str], label, language: str):
    """Bars of the share of respondents raising each theme raised, in the table's order;
    ``None`` when nobody raised one. Returns ``(chart, src)``."""
    rows = {r.theme: r for r in result.prevalence}
    shown = [rows[t] for t in themes if rows[t].respondents]
    if not shown:
        return None
    texts = chart_texts()
    return inline_svg(
        lambda: shares_chart(
            "prevalence",
            [label(r.theme) for r in shown],
            [(r.share.share or 0.0, r.share.low, r.share.high) for r in shown],
            texts,
            texts["prevalence_alt"],
        ),
        language,
    )


def breakdown_chart(
    table: BreakdownTable, themes: list[str], name: str, title: str, labels, language: str
):
    """Grouped bars: the share of each group raising each of the first themes in the
    table's order that anyone raised. Returns ``(chart, src)``, or ``None`` when empty."""
    groups = [g for g in table.groups if table.group_totals.get(g)]
    raised = [t for t in themes if t in table.themes and any(table.count(t, g) for g in groups)]
    raised = raised[:CHART_THEMES]
    if not groups or not raised:
        return None
    texts = chart_texts()
    return inline_svg(
        lambda: grouped_shares_chart(
            name,
            [labels.theme(t) for t in raised],
            [labels.group(table.attribute, g) for g in groups],
            [[table.count(t, g) / table.group_totals[g] for g in groups] for t in raised],
            texts,
            texts["subgroup_alt"].format(title=title),
        ),
        language,
    )


def caption(order: Order, column_names: dict[str, str]) -> str:
    """The prevalence table's caption, saying how it is sorted."""
    if order.is_default:
        return _("How many respondents raised each theme, most raised first")
    return _(
        "How many respondents raised each theme, sorted by %(column)s (%(direction)s)",
        column=column_names[order.column],
        direction=_("descending") if order.descending else _("ascending"),
    )
