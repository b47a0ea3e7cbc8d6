"""Theme prevalence and breakdowns over respondents."""

import pytest

from analysis.aggregate import (
    NOT_STATED,
    Respondent,
    aggregate,
    respondents_from_units,
)
from analysis.records import SOURCE_FOCUS_GROUP, SOURCE_SURVEY, TextUnit
from analysis.stats import wilson_interval
from analysis.suppression import is_suppressed, suppress_small_cells


def unit(unit_id, respondent_id, language="en", source=SOURCE_SURVEY):
    return TextUnit(unit_id, "text", language, respondent_id, source)


@pytest.fixture
def people():
    return {
        "r1": Respondent("r1", SOURCE_SURVEY, "en", {"age": "18_34", "years": "0_3"}),
        "r2": Respondent("r2", SOURCE_SURVEY, "ar", {"age": "35_64", "years": "0_3"}),
        "r3": Respondent("r3", SOURCE_SURVEY, "ar", {"age": "18_34"}),
        "r4": Respondent("r4", SOURCE_FOCUS_GROUP, "fr", {"age": "65_plus", "years": "4_10"}),
        "r5": Respondent("r5", SOURCE_SURVEY, "en", {"age": "35_64", "years": "4_10"}),
    }


@pytest.fixture
def coded():
    return [
        (unit("u1", "r1"), ("housing", "employment")),
        (unit("u2", "r1"), ("housing",)),  # same person again: one respondent
        (unit("u3", "r2", "ar"), ("housing", "housing")),  # duplicate key counts once
        (unit("u4", "r3", "ar"), ()),
        (unit("u5", "r4", "fr", SOURCE_FOCUS_GROUP), ("employment",)),
    ]  # r5 wrote nothing but is still in every denominator


def test_prevalence_counts_units_and_distinct_respondents(people, coded):
    result = aggregate(coded, people)
    assert result.respondents == 5 and result.units == 5
    housing, employment = result.prevalence  # tie on respondents: more units first
    assert (housing.theme, housing.units, housing.respondents) == ("housing", 3, 2)
    assert (employment.theme, employment.units, employment.respondents) == ("employment", 2, 2)
    assert housing.share.share == pytest.approx(2 / 5)
    assert (housing.share.low, housing.share.high) == wilson_interval(2, 5)


def test_theme_order_given_keeps_unraised_themes(people, coded):
    result = aggregate(coded, people, themes=["employment", "childcare"])
    assert [p.theme for p in result.prevalence] == ["employment", "childcare", "housing"]
    childcare = result.prevalence[1]
    assert childcare.respondents == 0 and childcare.share.share == 0.0


def test_breakdown_counts_and_subgroup_totals(people, coded):
    table = aggregate(coded, people, breakdowns=["age", "years"]).breakdowns["years"]
    assert table.groups == ("0_3", "4_10", NOT_STATED)
    assert table.group_totals == {"0_3": 2, "4_10": 2, NOT_STATED: 1}
    assert table.count("housing", "0_3") == 2
    assert table.count("housing", "4_10") == 0
    assert table.count("employment", "4_10") == 1
    assert table.theme_totals == {"housing": 2, "employment": 2}
    assert table.total == 5
    share = table.share("employment", "4_10")
    assert share.share == 0.5 and (share.low, share.high) == wilson_interval(1, 2)
    age = aggregate(coded, people, breakdowns=["age"]).breakdowns["age"]
    assert age.group_totals == {"18_34": 2, "35_64": 2, "65_plus": 1}


def test_by_language_and_by_source_side_by_side(people, coded):
    result = aggregate(coded, people)
    assert result.by_language.group_totals == {"ar": 2, "en": 2, "fr": 1}
    assert result.by_language.count("housing", "ar") == 1
    source = result.by_source
    assert source.group_totals == {SOURCE_FOCUS_GROUP: 1, SOURCE_SURVEY: 4}
    assert source.share("employment", SOURCE_SURVEY).share == pytest.approx(1 / 4)
    assert source.share("employment", SOURCE_FOCUS_GROUP).share == 1.0


def test_sentiment_by_theme_skips_missing_scores(people, coded):
    sentiments = {"u1": -0.5, "u2": 0.3, "u3": None, "u5": 0.05}
    result = aggregate(coded, people, sentiments=sentiments)
    by_theme = {s.theme: s for s in result.sentiment}
    housing = by_theme["housing"]
    assert housing.n == 2 and housing.mean == pytest.approx(-0.1)
    assert housing.share_negative == 0.5 and housing.share_positive == 0.5
    employment = by_theme["employment"]
    assert employment.n == 2 and employment.mean == pytest.approx(-0.225)
    assert employment.share_negative == 0.5 and employment.share_positive == 0.0
    no_scores = aggregate(coded, people, themes=["childcare"]).sentiment[0]
    assert (no_scores.n, no_scores.mean, no_scores.share_negative) == (0, None, None)


def test_unknown_respondent_is_refused(people):
    with pytest.raises(ValueError, match="r9"):
        aggregate([(unit("u1", "r9"), ("housing",))], people)


def test_respondents_from_units_first_unit_wins():
    units = [
        TextUnit("u1", "a", "ar", "r1", SOURCE_SURVEY, {"age": "18_34"}),
        TextUnit("u2", "b", "en", "r1", SOURCE_SURVEY, {"age": "65_plus"}),
        TextUnit("u3", "c", "fr", "r2", SOURCE_FOCUS_GROUP),
    ]
    found = respondents_from_units(units)
    assert found["r1"] == Respondent("r1", SOURCE_SURVEY, "ar", {"age": "18_34"})
    assert found["r2"].source == SOURCE_FOCUS_GROUP


def test_breakdown_feeds_suppression(people, coded):
    table = aggregate(coded, people, breakdowns=["years"]).breakdowns["years"]
    counts = table.as_count_table()
    assert counts.rows_add_up and not counts.columns_add_up
    assert table.themes == ("housing", "employment")
    assert counts.cells == [[2, 0, 0], [1, 1, 0]]
    published = suppress_small_cells(counts)
    assert all(is_suppressed(v) for v in published.column_totals)  # every subgroup < 5
    assert is_suppressed(published.cells[0][0])


def test_large_input_is_consistent():
    people = {
        f"r{i}": Respondent(f"r{i}", SOURCE_SURVEY, "en", {"g": str(i % 3)}) for i in range(300)
    }
    coded = [(unit(f"u{i}", f"r{i % 300}"), ("t",) if i % 2 else ()) for i in range(600)]
    result = aggregate(coded, people, breakdowns=["g"])
    table = result.breakdowns["g"]
    assert sum(table.counts["t"].values()) == result.prevalence[0].respondents == 150
    assert sum(table.group_totals.values()) == 300
