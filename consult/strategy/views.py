"""What the round and gap-map pages of researchers and committee members share."""

from __future__ import annotations

from analysis.strategy import option_label
from consult.reports.routes import published_languages
from consult.strategy.draft import turnout_text
from consult.strategy.models import PriorityRound
from consult.strategy.rounds import options_of, result_of, round_gap_map


def results_context(row: PriorityRound, lang: str) -> dict:
    """A round's options labelled in ``lang`` (or its publication's fallback) and its result."""
    report, gaps = round_gap_map(row, lang)
    options = options_of(row)
    result = result_of(row)
    return {
        "report": report,
        "options": options,
        "labels": {o.key: option_label(o, report, gaps) for o in options},
        "result": result,
        "turnout": turnout_text(result) if result is not None else "",
        "draft_languages": published_languages(row.publication),
    }
