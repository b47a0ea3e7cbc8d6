"""Options of a priority round and the settlement-strategy draft a closed round produces.

An **option** is what a committee ranks: a theme of the publication
(``theme:housing``) or one gap of its gap map
(``gap:language:ar:housing``: housing for people who answered in Arabic).

The **draft** lists the options in the order the round put them, each with
its evidence, all taken from protected sources: the publication's finding
for the theme (respondents, share and interval as published), its largest
gaps (need, services, score) and the quotes the publication carries.
Nothing here counts people; it only arranges what was already published.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from analysis.gaps import GapCell, GapMap
from analysis.priorities import OptionResult, RoundResult
from analysis.report import Quote, Report, ThemeFinding

THEME = "theme"
GAP = "gap"
GAPS_PER_PRIORITY = 3
QUOTES_PER_PRIORITY = 3


@dataclass(frozen=True, slots=True)
class Option:
    """A theme, or one theme in one group (a gap), offered in a round."""

    key: str
    kind: str
    theme: str
    attribute: str | None = None
    group: str | None = None


def theme_option(theme: str) -> Option:
    """The option "this theme"."""
    return Option(f"{THEME}:{theme}", THEME, theme)


def gap_option(cell: GapCell) -> Option:
    """The option "this theme in this group"."""
    return Option(
        f"{GAP}:{cell.attribute}:{cell.group}:{cell.theme}",
        GAP,
        cell.theme,
        cell.attribute,
        cell.group,
    )


def option_to_dict(option: Option) -> dict:
    """An option as JSON-ready data."""
    return asdict(option)


def option_from_dict(data: Mapping) -> Option:
    """Rebuild an option from :func:`option_to_dict` output."""
    return Option(**data)


def option_label(option: Option, report: Report, gaps: GapMap) -> str:
    """``Housing`` or ``Housing — Arabic``, in the report's language."""
    theme = _finding(report, option.theme)
    label = theme.label if theme is not None else option.theme
    if option.kind == GAP:
        cell = gaps.cell(option.attribute, option.group, option.theme)
        group = cell.group_label if cell is not None else option.group
        return f"{label} — {group}"
    return label


@dataclass(frozen=True, slots=True)
class Priority:
    """One priority of the draft, with its evidence."""

    rank: int
    tied: bool
    option: str
    label: str
    counted: OptionResult
    """Its score, support and the spread of the ballots about it."""
    finding: ThemeFinding | None
    gaps: tuple[GapCell, ...]
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class StrategyDraft:
    """A settlement-strategy draft in one language."""

    title: str
    language: str
    publication_title: str
    period: tuple[str, str]
    respondents: int | None
    threshold: int
    result: RoundResult
    priorities: tuple[Priority, ...]


def build_draft(
    *,
    title: str,
    result: RoundResult,
    options: Sequence[Option],
    report: Report,
    gaps: GapMap,
) -> StrategyDraft:
    """The draft of a closed round: its options in result order, each with its evidence."""
    by_key = {o.key: o for o in options}
    priorities = []
    for counted in result.options:
        option = by_key.get(counted.option)
        if option is None:
            continue
        finding = _finding(report, option.theme)
        priorities.append(
            Priority(
                rank=counted.rank,
                tied=counted.tied,
                option=option.key,
                label=option_label(option, report, gaps),
                counted=counted,
                finding=finding,
                gaps=_evidence_gaps(option, gaps),
                quotes=tuple(finding.quotes[:QUOTES_PER_PRIORITY]) if finding else (),
            )
        )
    return StrategyDraft(
        title=title,
        language=report.language,
        publication_title=report.title,
        period=report.period,
        respondents=report.respondents,
        threshold=report.threshold,
        result=result,
        priorities=tuple(priorities),
    )


def _finding(report: Report, theme: str) -> ThemeFinding | None:
    return next((f for f in report.findings if f.key == theme), None)


def _evidence_gaps(option: Option, gaps: GapMap) -> tuple[GapCell, ...]:
    """The option's own gap first (for a gap), then the theme's largest, at most three."""
    chosen: list[GapCell] = []
    if option.kind == GAP:
        cell = gaps.cell(option.attribute, option.group, option.theme)
        if cell is not None:
            chosen.append(cell)
    for entry in gaps.of_theme(option.theme):
        if len(chosen) >= GAPS_PER_PRIORITY:
            break
        if entry.item not in chosen:
            chosen.append(entry.item)
    return tuple(chosen)
