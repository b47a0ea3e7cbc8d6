"""The strategy draft: priorities in the round's order, each with its published evidence."""

from analysis.gaps import build_gap_map, needs_from_report
from analysis.priorities import POINTS, RANK, tally
from analysis.strategy import (
    GAP,
    Option,
    build_draft,
    gap_option,
    option_from_dict,
    option_label,
    option_to_dict,
    theme_option,
)
from tests.analysis.test_gaps import SERVICES, report


def setting():
    built = report()
    gaps = build_gap_map(needs_from_report(built, "area"), SERVICES)
    options = [theme_option("employment"), gap_option(gaps.cell("language", "ar", "housing"))]
    return built, gaps, options


def test_options_name_a_theme_or_a_theme_in_a_group():
    built, gaps, (employment, arabic_housing) = setting()
    assert employment == Option("theme:employment", "theme", "employment")
    assert arabic_housing == Option("gap:language:ar:housing", GAP, "housing", "language", "ar")
    assert option_label(employment, built, gaps) == "Employment"
    assert option_label(arabic_housing, built, gaps) == "Housing — AR"
    assert option_from_dict(option_to_dict(arabic_housing)) == arabic_housing


def test_the_draft_follows_the_result_and_carries_need_gaps_and_quotes():
    built, gaps, options = setting()
    keys = [o.key for o in options]
    result = tally(RANK, [[keys[1], keys[0]], [keys[1]]], keys, eligible=3)
    draft = build_draft(title="Strategy", result=result, options=options, report=built, gaps=gaps)
    assert [p.option for p in draft.priorities] == ["gap:language:ar:housing", "theme:employment"]
    first, second = draft.priorities
    assert (first.rank, first.tied, first.counted.score, first.counted.support) == (1, False, 4, 2)
    assert first.counted == result.options[0]
    assert (
        first.finding.key == "housing"
        and first.finding.respondents == built.findings[0].respondents
    )
    assert first.gaps[0] == gaps.cell("language", "ar", "housing")
    assert len(first.gaps) <= 3 and len(set(first.gaps)) == len(first.gaps)
    assert all(g.theme == "housing" for g in first.gaps)
    assert [g.theme for g in second.gaps] and all(g.theme == "employment" for g in second.gaps)
    assert draft.language == "en" and draft.publication_title == "Needs"
    assert draft.result.turnout == 2 / 3


def test_equal_scores_stay_tied_in_the_draft_and_unknown_options_are_left_out():
    built, gaps, options = setting()
    keys = [o.key for o in options]
    result = tally(
        POINTS, [{keys[0]: 50, keys[1]: 50}], keys + ["theme:gone"], eligible=1, budget=100
    )
    draft = build_draft(title="S", result=result, options=options, report=built, gaps=gaps)
    assert [(p.rank, p.tied) for p in draft.priorities] == [(1, True), (1, True)]
