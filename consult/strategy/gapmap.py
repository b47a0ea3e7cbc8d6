"""A publication's gap map: its protected need against the service inventory."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from analysis.charts import Chart, drawn_with
from analysis.fonts import chart_families
from analysis.gap_chart import gap_heat_map
from analysis.gaps import GapMap, Supply, area_attributes, build_gap_map, needs_from_report
from analysis.report import Report
from consult.i18n import force_language
from consult.reports.models import Publication
from consult.strategy.inventory import supply_of
from consult.strategy.need import published_report

DEFAULT_AREA = "area"


def area_of(report: Report, requested: str | None) -> str | None:
    """The breakdown used as the area: the one asked for, else ``area``, else the first."""
    candidates = area_attributes(report)
    if requested in candidates:
        return requested
    if DEFAULT_AREA in candidates:
        return DEFAULT_AREA
    return candidates[0] if candidates else None


def gap_map_of(report: Report, area: str | None, supply: list[Supply]) -> GapMap:
    """The gap map of a protected report against ``supply``."""
    return build_gap_map(needs_from_report(report, area), supply)


def area_titles(report: Report) -> dict[str, str]:
    """The breakdowns that can serve as the area, with their table titles."""
    candidates = area_attributes(report)
    return {t.attribute: t.title for t in report.tables if t.attribute in candidates}


def current_gap_map(
    db: Session, publication: Publication, lang: str, area: str | None
) -> tuple[Report, str | None, GapMap]:
    """The publication in ``lang``, the area used (see :func:`area_of`) and its gap map
    against the inventory as it is now."""
    report = published_report(publication, lang)
    chosen = area_of(report, area)
    return report, chosen, gap_map_of(report, chosen, supply_of(db, publication.partnership_id))


def gap_texts(base: int) -> dict[str, str]:
    """Wording of the heat maps and tables in the current locale (``base``: the rounding)."""
    return {
        "few": _("fewer than %(n)s", n=base),
        "heat_alt": _(
            "Heat map of the gaps between need and services, %(title)s. Each cell gives the "
            "share of the group raising the theme and the number of services; darker cells are "
            "smaller gaps. Largest gaps: %(largest)s.",
            title="{title}",
            largest="{largest}",
        ),
        "gap_axis": _("Gap score"),
        "theme": _("Theme"),
        "hidden": _("hidden"),
        "none": _("none shown"),
    }


def gap_charts(gap_map: GapMap, lang: str, base: int) -> list[Chart]:
    """A heat map per dimension, worded in ``lang`` and drawn with fonts for its script."""
    fonts = chart_families(lang)
    with force_language(lang), drawn_with(fonts):
        texts = gap_texts(base)
        return [
            replace(gap_heat_map(table, texts, f"gaps-{index}"), fonts=fonts)
            for index, table in enumerate(gap_map.tables, start=1)
        ]


def method_text() -> str:
    """How need, supply and the gap score are worked out, in the current locale."""
    return _(
        "Need is the share of respondents in a group who raised the theme, from the published "
        "summary's protected counts: when a count is hidden to protect a small group, the share "
        "is hidden too and the cell is not ranked. Supply is the number of services in the "
        "inventory that address the theme and are offered in that language or serve that area "
        "(services for the whole community serve every area). Gap score = need ÷ (1 + services): "
        "a need with no service keeps its full score, one service halves it. Equal scores share "
        "a rank."
    )
