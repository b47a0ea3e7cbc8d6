"""Theme prevalence and breakdowns over respondents."""

import random
from dataclasses import replace

import pytest

from analysis.aggregate import (
    NOT_STATED,
    Respondent,
    RespondentColumns,
    UnitTally,
    aggregate,
    aggregate_columns,
    count_cube_of,
    respondents_from_units,
)
from analysis.disclosure import Dimension, Shape, cell_id, group_id, mood_id, theme_id
from analysis.records import SOURCE_FOCUS_GROUP, SOURCE_SURVEY, TextUnit
from analysis.stats import wilson_interval


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


def test_breakdown_becomes_a_cube_with_groups_fixed_in_advance(people, coded):
    aggregation = aggregate(coded, people, breakdowns=["years"], sentiments={"u1": -0.8})
    shape = Shape(
        ("housing", "employment", "health"),
        (
            Dimension("source", ("survey", "focus_group")),
            Dimension("language", ("en", "fr", NOT_STATED)),
            Dimension("years", ("0_3", "4_10", "11_plus", NOT_STATED)),
            Dimension("month", ("2026-01",), themed=False),
        ),
    )
    cube = count_cube_of(aggregation, shape, {"month": {"2026-01": 5}})
    counts = cube.counts
    assert counts[("total",)] == 5 and counts[theme_id("housing")] == 2
    assert counts[theme_id("health")] == 0  # a codebook theme nobody raised is still listed
    assert counts[group_id("years", "11_plus")] == 0  # a choice nobody chose is still listed
    assert counts[group_id("language", NOT_STATED)] == 2  # Arabic is not offered: "other"
    assert counts[cell_id("housing", "years", "0_3")] == 2
    assert counts[mood_id("housing", "negative")] == 1  # r1, once, though two units


def test_large_input_is_consistent():
    people = {
        f"r{i}": Respondent(f"r{i}", SOURCE_SURVEY, "en", {"g": str(i % 3)}) for i in range(300)
    }
    coded = [(unit(f"u{i}", f"r{i % 300}"), ("t",) if i % 2 else ()) for i in range(600)]
    result = aggregate(coded, people, breakdowns=["g"])
    table = result.breakdowns["g"]
    assert sum(table.counts["t"].values()) == result.prevalence[0].respondents == 150
    assert sum(table.group_totals.values()) == 300


def test_columns_with_shared_values_and_grouped_units_give_the_same_summary(people, coded):
    sentiments = {"u1": -0.5, "u2": 0.3, "u5": 0.05}
    expected = aggregate(coded, people, ["age", "years"], sentiments, ["childcare", "housing"])
    housing_and_employment, employment = (
        frozenset({"housing", "employment"}),
        frozenset({"employment"}),
    )
    columns = RespondentColumns(
        sources=[p.source for p in people.values()],
        languages=[p.language for p in people.values()],
        attributes=[p.attributes for p in people.values()],
        raised=[
            housing_and_employment,
            frozenset({"housing"}),
            frozenset(),
            employment,
            frozenset(),
        ],
    )
    units = UnitTally()
    units.add_units(("housing", "employment"), 1)
    units.add_units(("housing", "housing"), 2)  # u2 and u3: two units, one theme each
    units.add_units((), 1)
    units.add_units(("employment",), 1)
    for unit_id, themes in (("u1", housing_and_employment), ("u2", {"housing"})):
        units.add_sentiment(themes, sentiments[unit_id])
    units.add_sentiment(employment, sentiments["u5"])
    result = aggregate_columns(columns, units, ["age", "years"], ["childcare", "housing"])
    assert result == replace(expected, moods={})  # moods come from the units' respondents
    # r1's two housing texts average -0.1 (neutral); employment -0.5; r4's employment 0.05
    assert expected.moods == {
        "housing": {"neutral": 1},
        "employment": {"negative": 1, "neutral": 1},
    }


def test_groups_keep_the_order_in_which_people_first_appear(people, coded):
    result = aggregate(coded, people, breakdowns=["years"])
    assert list(result.by_language.group_totals) == ["en", "ar", "fr"]
    assert list(result.breakdowns["years"].group_totals) == ["0_3", NOT_STATED, "4_10"]
    assert result.by_language.groups == ("ar", "en", "fr")  # tables show groups sorted


def test_breakdowns_match_a_count_person_by_person():
    rng = random.Random(5)
    people = {
        f"r{i}": Respondent(
            f"r{i}",
            SOURCE_SURVEY,
            rng.choice(["en", "fr", ""]),
            {"g": rng.choice(["x", "y", "z", ""])},
        )
        for i in range(400)
    }
    coded = [
        (unit(f"u{i}", f"r{rng.randrange(400)}"), rng.sample(["a", "b", "c"], rng.randint(0, 2)))
        for i in range(700)
    ]
    raised = {rid: set() for rid in people}
    for record, themes in coded:
        raised[record.respondent_id].update(themes)
    result = aggregate(coded, people, breakdowns=["g"])
    for table, group_of in (
        (result.breakdowns["g"], lambda p: p.attributes["g"] or NOT_STATED),
        (result.by_language, lambda p: p.language or NOT_STATED),
    ):
        for theme in "abc":
            for group in table.groups:
                expected = sum(
                    1 for rid, p in people.items() if theme in raised[rid] and group_of(p) == group
                )
                assert table.count(theme, group) == expected
