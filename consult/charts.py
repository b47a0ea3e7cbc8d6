"""Charts on pages: their wording in the current locale, drawn with fonts for its script
and served inline as SVG (``img-src 'self' data:``). The drawing is :mod:`analysis.charts`;
committee reports (``consult/reports``) and researchers' summaries (``consult/coding``)
both take their words from here."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace

from flask_babel import gettext as _

from analysis.charts import Chart, drawn_with, to_svg
from analysis.fonts import chart_families


def chart_texts() -> dict[str, str]:
    """Chart wording in the current locale."""
    return {
        "share_axis": _("Share of respondents (%(unit)s)", unit="%"),
        "prevalence_alt": _("Bar chart of the share of respondents raising each theme."),
        "subgroup_alt": _(
            "Bar chart of the share of each group raising the main themes: %(title)s.",
            title="{title}",  # filled in by analysis.charts with the table's title
        ),
        "theme": _("Theme"),
        "share": _("Share of respondents"),
        "interval": _("%(level)s%% interval", level=95),
        "suppressed": _("too few or hidden"),
        "count_axis": _("Responses"),
        "category": _("Group"),
    }


def inline_svg(make: Callable[[], Chart], language: str) -> tuple[Chart, str]:
    """The chart ``make()`` draws, with fonts for ``language``'s script, and its SVG as a
    ``data:`` address for an ``<img>``."""
    fonts = chart_families(language)
    with drawn_with(fonts):
        chart = replace(make(), fonts=fonts)
    return chart, "data:image/svg+xml;base64," + base64.b64encode(to_svg(chart)).decode()
