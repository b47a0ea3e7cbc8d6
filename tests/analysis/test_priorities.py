"""Priority rounds: Borda and points counts, shared ranks for ties, turnout and spread."""

import pytest

from analysis.priorities import (
    POINTS,
    RANK,
    borda_points,
    check_points,
    check_ranking,
    ranking_from_places,
    result_from_dict,
    result_to_dict,
    tally,
)
from analysis.ranking import competition_ranks, rank_by

OPTIONS = ["housing", "employment", "language_training", "health"]


def codes(problems):
    return [(p.code, p.option) for p in problems]


def test_competition_ranks_share_places_and_skip_after_a_tie():
    assert competition_ranks([9, 7, 7, 4, 4, 4, 1]) == [
        (1, False),
        (2, True),
        (2, True),
        (4, True),
        (4, True),
        (4, True),
        (7, False),
    ]
    assert competition_ranks([]) == []


def test_rank_by_puts_the_best_first_and_orders_ties_for_display_only():
    ranked = rank_by(["b", "a", "c"], lambda x: {"a": 2, "b": 2, "c": 5}[x], tie_order=str)
    assert [(r.rank, r.tied, r.item) for r in ranked] == [
        (1, False, "c"),
        (2, True, "a"),
        (2, True, "b"),
    ]


def test_borda_gives_n_minus_place_plus_one_and_nothing_to_unranked_options():
    assert borda_points(["employment", "housing"], OPTIONS) == {
        "employment": 4,
        "housing": 3,
        "language_training": 0,
        "health": 0,
    }


def test_borda_count_of_three_ballots():
    ballots = [
        ["housing", "employment", "health"],
        ["employment", "housing"],
        ["housing", "language_training", "employment", "health"],
    ]
    result = tally(RANK, ballots, OPTIONS, eligible=4)
    scores = {o.option: o.score for o in result.options}
    assert scores == {
        "housing": 4 + 3 + 4,
        "employment": 3 + 4 + 2,
        "language_training": 3,
        "health": 2 + 1,
    }
    assert [o.option for o in result.options] == [
        "housing",
        "employment",
        "language_training",
        "health",
    ]
    assert [o.rank for o in result.options] == [1, 2, 3, 3]
    assert [o.tied for o in result.options] == [False, False, True, True]
    assert result.ballots == 3 and result.eligible == 4 and result.turnout == 0.75
    housing = result.options[0]
    assert (housing.low, housing.high, housing.support) == (3, 4, 3)
    assert housing.mean == pytest.approx(11 / 3)
    assert housing.spread == pytest.approx(0.4714, abs=1e-4)
    language = next(o for o in result.options if o.option == "language_training")
    assert (language.low, language.high, language.support) == (0, 3, 1)


def test_points_count_with_a_tie_at_the_top():
    ballots = [{"housing": 60, "health": 40}, {"employment": 70, "health": 30}, {"housing": 40}]
    result = tally(POINTS, ballots, OPTIONS, eligible=3, budget=100)
    by_option = {o.option: o for o in result.options}
    assert by_option["housing"].score == 100 and by_option["health"].score == 70
    assert by_option["employment"].score == 70
    assert (by_option["housing"].rank, by_option["housing"].tied) == (1, False)
    assert (by_option["health"].rank, by_option["health"].tied) == (2, True)
    assert (by_option["employment"].rank, by_option["employment"].tied) == (2, True)
    assert (by_option["language_training"].rank, by_option["language_training"].score) == (4, 0)
    assert result.turnout == 1.0 and result.budget == 100


def test_no_ballots_gives_every_option_rank_one_and_no_turnout_without_members():
    result = tally(RANK, [], OPTIONS, eligible=0)
    assert result.turnout is None
    assert {o.rank for o in result.options} == {1}
    assert all(o.tied and o.score == 0 for o in result.options)


def test_rankings_are_checked_not_repaired():
    assert codes(check_ranking([], OPTIONS)) == [("empty_ballot", None)]
    assert codes(check_ranking(["housing", "housing", "parks"], OPTIONS)) == [
        ("duplicate_rank", "housing"),
        ("unknown_option", "parks"),
    ]
    assert check_ranking(["health"], OPTIONS) == []


def test_places_become_a_ranking_with_gaps_closed_and_duplicates_refused():
    ranking, problems = ranking_from_places(
        {"health": 1, "housing": 4, "employment": None}, OPTIONS
    )
    assert ranking == ["health", "housing"] and problems == []
    _ranking, problems = ranking_from_places({"health": 1, "housing": 1}, OPTIONS)
    assert codes(problems) == [("duplicate_rank", "housing"), ("duplicate_rank", "health")]
    _ranking, problems = ranking_from_places({"health": 9}, OPTIONS)
    assert codes(problems) == [("bad_rank", "health")]
    _ranking, problems = ranking_from_places({"health": None}, OPTIONS)
    assert codes(problems) == [("empty_ballot", None)]


def test_points_ballots_are_checked():
    assert check_points({"housing": 100}, OPTIONS, 100) == []
    assert codes(check_points({"housing": 60, "health": 41}, OPTIONS, 100)) == [
        ("over_budget", None)
    ]
    assert codes(check_points({"housing": -5, "health": 10}, OPTIONS, 100)) == [
        ("negative_points", "housing")
    ]
    assert codes(check_points({"housing": 0}, OPTIONS, 100)) == [("empty_ballot", None)]
    assert codes(check_points({"parks": 5}, OPTIONS, 100)) == [("unknown_option", "parks")]


def test_a_result_survives_json():
    result = tally(POINTS, [{"housing": 10}], OPTIONS, eligible=2, budget=10)
    assert result_from_dict(result_to_dict(result)) == result


def test_an_unknown_method_is_refused():
    with pytest.raises(ValueError):
        tally("approval", [], OPTIONS, eligible=1)
