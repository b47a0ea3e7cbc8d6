"""The gap map: the need a publication shows held against the services that meet it.

**Need** comes only from a publication's protected counts (never from raw
data): for a theme and a group (a language, or an area), the number of
respondents in the group who raised the theme and the group's size, both
as published. The need is their ratio, the share of the group raising the
theme. Published counts are rounded to multiples of the base (5), so a
count published below the base reads "fewer than 5" (it may be none): its
share is not told and the cell is left out of the ranking, as is a cell
whose count is hidden to protect a small group. A rounded part may exceed
its rounded group; the share is then capped at 100%.

**Supply** is the number of services in the inventory that address the
theme (a confirmed theme of the service) and are open to the group: for a
language, offered in that language (``fr`` serves ``fr-CA`` and the
other way round; ``zh-Hans`` does not serve ``zh-Hant``); for an area,
serving that area or the whole community.

**Gap score** = need / (1 + supply). A theme raised by 64% of a group
with no service scores 0.64; with one service, 0.32; with three, 0.16. The
largest gaps are the cells with the highest scores, computed exactly
(fractions), so equal scores are ties and shown as such.

Groups nobody can serve (respondents who did not say) are left out, and so
are themes shown as fewer than the base in every group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from analysis.ranking import Ranked, rank_by
from analysis.report import Report

LANGUAGE = "language"
AREA = "area"
KINDS = (LANGUAGE, AREA)
LEFT_OUT_GROUPS = frozenset({"_not_stated"})
"""Group keys of people who did not say (see ``analysis.aggregate.NOT_STATED``)."""


@dataclass(frozen=True, slots=True)
class NeedTable:
    """Protected counts of one dimension, as a publication shows them.

    ``cells[i][j]`` is the number of respondents of group ``group_keys[j]``
    raising theme ``theme_keys[i]``; ``None`` where it is hidden.
    """

    kind: str
    attribute: str
    title: str
    theme_keys: tuple[str, ...]
    theme_labels: tuple[str, ...]
    group_keys: tuple[str, ...]
    group_labels: tuple[str, ...]
    group_totals: tuple[int | None, ...]
    cells: tuple[tuple[int | None, ...], ...]
    base: int = 0
    """Counts are multiples of it; one below it reads "fewer than base" (0: exact counts)."""


@dataclass(frozen=True, slots=True)
class Supply:
    """What the gap map needs to know of one service."""

    themes: frozenset[str]
    languages: tuple[str, ...]
    areas: tuple[str, ...] = ()
    """Area keys; empty: the whole community."""


@dataclass(frozen=True, slots=True)
class GapCell:
    """One theme in one group: need (protected), supply and gap score."""

    kind: str
    attribute: str
    theme: str
    theme_label: str
    group: str
    group_label: str
    respondents: int | None
    group_total: int | None
    services: int
    need: Fraction | None
    score: Fraction | None
    small: bool = False
    """Published as fewer than the base: the share is not told (``need`` is None)."""

    @property
    def share(self) -> float | None:
        """The need as a float (None when hidden)."""
        return None if self.need is None else float(self.need)


@dataclass(frozen=True, slots=True)
class GapTable:
    """One dimension of the gap map: a cell per theme and group."""

    kind: str
    attribute: str
    title: str
    theme_keys: tuple[str, ...]
    theme_labels: tuple[str, ...]
    group_keys: tuple[str, ...]
    group_labels: tuple[str, ...]
    rows: tuple[tuple[GapCell, ...], ...]

    @property
    def raised_rows(self) -> tuple[tuple[GapCell, ...], ...]:
        """Rows of themes shown as raised, or hidden, somewhere (not 0% or "fewer than"
        everywhere)."""
        return tuple(row for row in self.rows if any(_raised(c) for c in row))


def _raised(cell: GapCell) -> bool:
    return cell.respondents is None or (not cell.small and cell.respondents > 0)


@dataclass(frozen=True, slots=True)
class GapMap:
    """Every dimension's table and the largest gaps over all of them, best first."""

    tables: tuple[GapTable, ...]
    ranked: tuple[Ranked[GapCell], ...]

    def cell(self, attribute: str, group: str, theme: str) -> GapCell | None:
        """The cell of ``theme`` in ``group`` of dimension ``attribute``, if there is one."""
        for table in self.tables:
            if table.attribute == attribute:
                for row in table.rows:
                    for cell in row:
                        if cell.group == group and cell.theme == theme:
                            return cell
        return None

    def of_theme(self, theme: str) -> list[Ranked[GapCell]]:
        """The ranked gaps of one theme, largest first."""
        return [entry for entry in self.ranked if entry.item.theme == theme]


def base_language(code: str) -> str:
    """``fr`` of ``fr-CA``."""
    return code.split("-")[0].lower()


def speaks(languages: Iterable[str], code: str) -> bool:
    """Whether a service offered in ``languages`` serves people who answered in ``code``.

    The same tag, or the same base language when one of the two has no
    subtag (``fr`` and ``fr-CA``); two different subtags (``zh-Hans`` and
    ``zh-Hant``) do not match.
    """
    wanted = code.lower()
    for offered in languages:
        offered = offered.lower()
        if offered == wanted:
            return True
        if base_language(offered) == base_language(wanted) and (
            "-" not in offered or "-" not in wanted
        ):
            return True
    return False


def serves_area(areas: Sequence[str], area: str) -> bool:
    """Whether a service for ``areas`` (empty: everywhere) serves ``area``."""
    return not areas or area in areas


def services_for(services: Iterable[Supply], theme: str, kind: str, group: str) -> int:
    """How many services address ``theme`` for ``group`` (a language or an area)."""
    reaches = (
        (lambda s: speaks(s.languages, group))
        if kind == LANGUAGE
        else (lambda s: serves_area(s.areas, group))
    )
    return sum(1 for s in services if theme in s.themes and reaches(s))


def gap_score(need: Fraction, services: int) -> Fraction:
    """need / (1 + services): the whole need when nothing serves it, halved by one service."""
    return need / (1 + services)


def need_share(respondents: int | None, total: int | None, base: int = 0) -> Fraction | None:
    """The protected share, capped at 1; None when it cannot be told.

    None when either count is hidden, the group is shown as empty, or the
    count is published below ``base`` ("fewer than 5": anything from none
    to four). With exact counts (``base`` 0), nobody raising a theme is a
    share of 0 whatever the group's size.
    """
    if respondents is None or is_small(respondents, base):
        return None
    if respondents == 0:
        return Fraction(0)
    if not total:
        return None
    return Fraction(min(respondents, total), total)


def is_small(respondents: int | None, base: int) -> bool:
    """Whether a published count reads "fewer than ``base``"."""
    return bool(base) and respondents is not None and respondents < base


def gap_table(need: NeedTable, services: Sequence[Supply]) -> GapTable:
    """The gap cells of one dimension (groups of people who did not say left out)."""
    kept = [j for j, key in enumerate(need.group_keys) if key not in LEFT_OUT_GROUPS]
    rows = []
    for i, theme in enumerate(need.theme_keys):
        row = []
        for j in kept:
            group = need.group_keys[j]
            respondents, total = need.cells[i][j], need.group_totals[j]
            share = need_share(respondents, total, need.base)
            supply = services_for(services, theme, need.kind, group)
            row.append(
                GapCell(
                    kind=need.kind,
                    attribute=need.attribute,
                    theme=theme,
                    theme_label=need.theme_labels[i],
                    group=group,
                    group_label=need.group_labels[j],
                    respondents=respondents,
                    group_total=total,
                    services=supply,
                    need=share,
                    score=None if share is None else gap_score(share, supply),
                    small=is_small(respondents, need.base),
                )
            )
        rows.append(tuple(row))
    return GapTable(
        kind=need.kind,
        attribute=need.attribute,
        title=need.title,
        theme_keys=need.theme_keys,
        theme_labels=need.theme_labels,
        group_keys=tuple(need.group_keys[j] for j in kept),
        group_labels=tuple(need.group_labels[j] for j in kept),
        rows=tuple(rows),
    )


def build_gap_map(needs: Sequence[NeedTable], services: Sequence[Supply]) -> GapMap:
    """The gap map of ``needs`` (one table per dimension) against ``services``.

    Ranks every cell whose need is shown and non-zero by gap score, highest
    first; ties share a rank (shown in need order, then theme and group).
    """
    tables = tuple(gap_table(need, services) for need in needs)
    cells = [
        cell
        for table in tables
        for row in table.rows
        for cell in row
        if cell.score is not None and cell.score > 0
    ]
    ranked = rank_by(
        cells,
        lambda c: c.score,
        tie_order=lambda c: (-c.need, c.attribute, c.theme, c.group),
    )
    return GapMap(tables=tables, ranked=tuple(ranked))


def needs_from_report(report: Report, area: str | None) -> list[NeedTable]:
    """The need tables of a protected report: by language, and by the ``area`` breakdown.

    Reads only what the report publishes (its suppressed tables). Tables
    of summaries published before tables kept their keys are left out.
    """
    needs = []
    for table in report.tables:
        kind = LANGUAGE if table.attribute == LANGUAGE else AREA
        if table.attribute not in (LANGUAGE, area) or not table.theme_keys:
            continue
        needs.append(
            NeedTable(
                kind=kind,
                attribute=table.attribute,
                title=table.title,
                theme_keys=table.theme_keys,
                theme_labels=tuple(label for label, _cells in table.rows),
                group_keys=table.group_keys,
                group_labels=table.groups,
                group_totals=table.group_totals,
                cells=tuple(tuple(cells) for _label, cells in table.rows),
                base=report.base,
            )
        )
    return needs


def area_attributes(report: Report) -> tuple[str, ...]:
    """The breakdowns of a report that can serve as the area dimension (not language, source)."""
    return tuple(
        t.attribute
        for t in report.tables
        if t.attribute not in (LANGUAGE, "source") and t.theme_keys
    )


def supply_to_dict(service: Supply) -> dict:
    """A service's supply as JSON-ready data (frozen in a priority round)."""
    return {
        "themes": sorted(service.themes),
        "languages": list(service.languages),
        "areas": list(service.areas),
    }


def supply_from_dict(data: Mapping) -> Supply:
    """Rebuild a supply from :func:`supply_to_dict` output."""
    return Supply(
        themes=frozenset(data.get("themes", ())),
        languages=tuple(data.get("languages", ())),
        areas=tuple(data.get("areas", ())),
    )
