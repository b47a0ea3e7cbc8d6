"""The settlement-strategy draft of a closed round, in any language of its publication.

Built from the round's frozen result and inventory and the publication's
protected report in that language (:mod:`consult.strategy.need`); worded
here once for the web page, the PDF (:mod:`consult.strategy.draft_pdf`) and
the DOCX (:mod:`consult.strategy.draft_docx`), so the three say the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import gettext as _

from analysis.gaps import GapCell
from analysis.priorities import RANK, RoundResult
from analysis.report import ThemeFinding
from analysis.strategy import Priority, StrategyDraft, build_draft
from consult.i18n import force_language, language
from consult.strategy.gapmap import method_text
from consult.strategy.models import PriorityRound
from consult.strategy.rounds import options_of, result_of, round_gap_map


def draft_of(row: PriorityRound, lang: str) -> StrategyDraft:
    """The draft of a closed round in ``lang`` (or the publication's fallback language)."""
    report, gaps = round_gap_map(row, lang)
    return build_draft(
        title=row.title, result=result_of(row), options=options_of(row), report=report, gaps=gaps
    )


def hidden() -> str:
    """How a count hidden by disclosure control reads."""
    return _("hidden to protect a small group")


def count_text(value: int | None) -> str:
    """A protected count, or the words for a hidden one."""
    return hidden() if value is None else str(value)


def percent(value: float | None) -> str:
    """``64%``, or the words for a hidden share."""
    return hidden() if value is None else f"{100 * value:.0f}%"


def rank_text(priority: Priority) -> str:
    """``Priority 2`` or ``Priority 2 (tied)``."""
    if priority.tied:
        return _("Priority %(rank)s (tied)", rank=priority.rank)
    return _("Priority %(rank)s", rank=priority.rank)


def need_text(finding: ThemeFinding | None) -> str:
    """The theme's need as the publication shows it."""
    if finding is None or finding.share is None:
        return _("Need: the share of respondents is hidden to protect a small group.")
    return _(
        "Need: raised by %(share)s of respondents (95%% interval %(low)s to %(high)s), "
        "%(count)s people.",
        share=percent(finding.share),
        low=percent(finding.low),
        high=percent(finding.high),
        count=finding.respondents,
    )


def score_text(priority: Priority, draft: StrategyDraft) -> str:
    """The option's score, support and the spread of the ballots about it."""
    counted = priority.counted
    return _(
        "Score %(score)s; supported by %(support)s of %(ballots)s ballots; per ballot: mean "
        "%(mean)s, standard deviation %(spread)s, from %(low)s to %(high)s.",
        score=counted.score,
        support=counted.support,
        ballots=draft.result.ballots,
        mean=f"{counted.mean:.1f}",
        spread=f"{counted.spread:.1f}",
        low=counted.low,
        high=counted.high,
    )


def turnout_text(result: RoundResult) -> str:
    """Ballots cast against members entitled to vote."""
    if result.turnout is None:
        return _("%(ballots)s ballots were cast.", ballots=result.ballots)
    return _(
        "%(ballots)s of %(eligible)s committee members voted (%(turnout)s).",
        ballots=result.ballots,
        eligible=result.eligible,
        turnout=percent(result.turnout),
    )


def voting_method_text(method: str, budget: int | None) -> str:
    """How ballots were counted."""
    if method == RANK:
        return _(
            "Members ranked the options. With n options, the option in place r earned n − r + 1 "
            "points (Borda count) and an unranked option 0; options are listed by their total. "
            "Equal totals share a rank and are marked as tied."
        )
    return _(
        "Members shared up to %(budget)s points among the options; options are listed by the "
        "points they received. Equal totals share a rank and are marked as tied.",
        budget=budget,
    )


def spread_text() -> str:
    """What the spread columns mean."""
    return _(
        "Spread of views: for each option, the mean and standard deviation of what each ballot "
        "gave it, and the lowest and highest."
    )


def gap_header() -> tuple[str, ...]:
    """Columns of a priority's gap table."""
    return (_("Group"), _("Need"), _("Services"), _("Gap score"))


def gap_row(cell: GapCell) -> tuple[str, ...]:
    """One gap as table cells."""
    score = "" if cell.score is None else f"{float(cell.score):.2f}"
    return (cell.group_label, percent(cell.share), str(cell.services), score)


@dataclass(frozen=True)
class DraftWords:
    """Everything the three formats print besides the draft's own data."""

    heading: str
    intro: str
    turnout: str
    voting_method: str
    spread: str
    gap_method: str
    suppression: str
    quotes: str
    gaps: str
    methods: str
    no_priorities: str


def words(draft: StrategyDraft, suppression_note: str) -> DraftWords:
    """The draft's wording in the current locale."""
    return DraftWords(
        heading=_("Settlement strategy draft"),
        intro=_(
            "Drafted by Consult from the committee's priority round “%(round)s” on the summary "
            "“%(publication)s” (%(start)s to %(end)s). It is a starting point for the council "
            "to edit.",
            round=draft.title,
            publication=draft.publication_title,
            start=draft.period[0],
            end=draft.period[1],
        ),
        turnout=turnout_text(draft.result),
        voting_method=voting_method_text(draft.result.method, draft.result.budget),
        spread=spread_text(),
        gap_method=method_text(),
        suppression=suppression_note,
        quotes=_("In their words"),
        gaps=_("Largest gaps for this priority"),
        methods=_("How this draft was made"),
        no_priorities=_("The round offered no options."),
    )


def draft_words(row: PriorityRound, draft: StrategyDraft) -> DraftWords:
    """The wording of ``draft`` in its language (the publication's suppression note included)."""
    from consult.strategy.need import published_report

    report = published_report(row.publication, draft.language)
    with force_language(draft.language):
        return words(draft, str(report.methods.get("suppression", "")))


def render_draft_html(row: PriorityRound, draft: StrategyDraft) -> str:
    """The draft as one self-contained HTML page (its own styles, no links out)."""
    said = draft_words(row, draft)
    with force_language(draft.language):
        return render_template(
            "strategy/draft.html",
            draft=draft,
            report=draft,  # the standalone layout reads its title and language
            said=said,
            direction=language(draft.language).direction,
            rank_text=rank_text,
            need_text=need_text,
            score_text=score_text,
            gap_header=gap_header(),
            gap_row=gap_row,
        )
