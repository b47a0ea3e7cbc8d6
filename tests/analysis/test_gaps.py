"""The gap map: need only from a report's protected counts, supply from services, exact ranks."""

from fractions import Fraction

from analysis.aggregate import NOT_STATED, Respondent, aggregate, count_cube_of
from analysis.charts import to_png, to_svg
from analysis.disclosure import Dimension, Shape, protect
from analysis.gap_chart import cell_text, gap_heat_map
from analysis.gaps import (
    AREA,
    LANGUAGE,
    NeedTable,
    Supply,
    area_attributes,
    build_gap_map,
    gap_score,
    needs_from_report,
    services_for,
    speaks,
    supply_from_dict,
    supply_to_dict,
)
from analysis.records import TextUnit
from analysis.report import MONTH, build_report, every_count, report_from_dict, report_to_dict

TEXTS = {
    "heat_alt": "Heat map: {title}. Largest: {largest}.",
    "gap_axis": "Gap score",
    "theme": "Theme",
    "few": "fewer than 5",
    "hidden": "hidden",
    "none": "none",
}
THEMES = ("housing", "employment", "health")


def report():
    """40 Arabic speakers downtown (25 raise housing), 20 English speakers north (5 housing,
    10 employment), 10 French speakers (5 raise housing) and 2 Tigrinya speakers (both raise
    housing) with no area.

    Published through the disclosure engine: counts that are multiples of 5
    are published as they are; the Tigrinya speakers' counts are rounded to
    0 ("fewer than 5") or 5.
    """
    respondents, units = {}, []

    def person(rid, language, area, themes):
        attributes = {"area": area} if area else {}
        respondents[rid] = Respondent(rid, "survey", language, attributes)
        units.append((TextUnit(rid, "x", language, rid), tuple(themes)))

    for i in range(40):
        person(f"a{i}", "ar", "downtown", ["housing"] if i < 25 else ["employment"])
    for i in range(20):
        person(f"e{i}", "en", "north", ["housing"] if i < 5 else (["employment"] if i < 15 else []))
    for i in range(10):
        person(f"f{i}", "fr", None, ["housing"] if i < 5 else [])
    for i in range(2):
        person(f"t{i}", "ti", None, ["housing"])
    aggregation = aggregate(units, respondents, breakdowns=("area",), themes=THEMES)
    shape = Shape(
        THEMES,
        (
            Dimension("source", ("survey", "focus_group")),
            Dimension("language", ("ar", "en", "fr", "ti", NOT_STATED)),
            Dimension("area", ("downtown", "north", NOT_STATED)),
            Dimension(MONTH, ("2026-01", "2026-02"), themed=False),
        ),
    )
    cube = count_cube_of(aggregation, shape, {MONTH: {"2026-01": 70, "2026-02": 2}})
    return build_report(
        protect(cube, 5, secret=b"gaps").counts,
        title="Needs",
        language="en",
        period=("2026-01-01", "2026-03-01"),
        theme_label=str.title,
        group_label=lambda attribute, group: group.upper(),
        table_titles={"area": "By area", "language": "By language", "source": "By source"},
    )


SERVICES = [
    Supply(frozenset({"housing"}), ("ar",), ("downtown",)),
    Supply(frozenset({"housing", "employment"}), ("en", "fr-CA"), ("north",)),
    Supply(frozenset({"employment"}), ("en", "ar"), ()),
]


def test_need_comes_only_from_counts_the_report_publishes():
    built = report()
    published = set(every_count(built))
    gap_map = build_gap_map(needs_from_report(built, "area"), SERVICES)
    for table in gap_map.tables:
        for row in table.rows:
            for cell in row:
                if cell.respondents is not None:
                    assert cell.respondents in published
                if cell.need:  # a share > 0 needs both published counts (0 of anyone is 0)
                    assert cell.respondents is not None and cell.group_total is not None
    # the two Tigrinya speakers are a small group: published as 0 ("fewer than 5") or 5
    tigrinya = gap_map.cell("language", "ti", "housing")
    assert tigrinya.respondents in (0, 5, None) and tigrinya.group_total in (0, 5, None)
    if tigrinya.respondents == 0:
        assert tigrinya.small and tigrinya.need is None and tigrinya.score is None
        assert all(entry.item.group != "ti" for entry in gap_map.ranked)


def test_cells_hold_need_supply_and_score():
    gap_map = build_gap_map(needs_from_report(report(), "area"), SERVICES)
    arabic = gap_map.cell("language", "ar", "housing")
    assert (arabic.respondents, arabic.group_total, arabic.services) == (25, 40, 1)
    assert arabic.need == Fraction(25, 40) and arabic.score == Fraction(25, 80)
    assert arabic.theme_label == "Housing" and arabic.group_label == "AR"
    english_jobs = gap_map.cell("language", "en", "employment")
    assert english_jobs.services == 2 and english_jobs.score == Fraction(10, 20) / 3
    north_housing = gap_map.cell("area", "north", "housing")
    assert north_housing.services == 1  # the community-wide service
    assert sorted(t.kind for t in gap_map.tables) == [AREA, LANGUAGE]
    area = next(t for t in gap_map.tables if t.kind == AREA)
    assert "_not_stated" not in area.group_keys


def test_the_largest_gaps_come_first_and_equal_scores_share_a_rank():
    gap_map = build_gap_map(needs_from_report(report(), "area"), SERVICES)
    scores = [entry.item.score for entry in gap_map.ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)
    first = gap_map.ranked[0]
    # housing among Arabic speakers and downtown: the same people, the same score, a tie
    assert first.rank == 1 and first.tied
    tied = [e.item for e in gap_map.ranked if e.rank == 1]
    assert {(c.attribute, c.group, c.theme) for c in tied} == {
        ("language", "ar", "housing"),
        ("area", "downtown", "housing"),
    }
    assert [e.item.theme for e in gap_map.of_theme("employment")][0] == "employment"


def test_without_services_the_gap_is_the_whole_need():
    gap_map = build_gap_map(needs_from_report(report(), "area"), [])
    arabic = gap_map.cell("language", "ar", "housing")
    assert arabic.services == 0 and arabic.score == arabic.need
    assert gap_score(Fraction(1, 2), 3) == Fraction(1, 8)


def test_only_the_chosen_area_breakdown_and_language_are_used():
    built = report()
    assert area_attributes(built) == ("area",)
    assert [n.attribute for n in needs_from_report(built, None)] == ["language"]


def test_summaries_published_before_tables_kept_keys_give_no_need_tables():
    data = report_to_dict(report())
    for table in data["tables"]:
        del table["theme_keys"], table["group_keys"]
    assert needs_from_report(report_from_dict(data), "area") == []


def test_language_matching_by_tag_and_base_language():
    assert speaks(["fr-CA"], "fr") and speaks(["fr"], "fr-CA") and speaks(["AR"], "ar")
    assert not speaks(["zh-Hant"], "zh-Hans") and not speaks(["en"], "fr")
    assert services_for(SERVICES, "housing", LANGUAGE, "fr") == 1
    assert services_for(SERVICES, "housing", AREA, "north") == 1
    assert services_for(SERVICES, "housing", AREA, "downtown") == 1
    assert services_for(SERVICES, "employment", AREA, "downtown") == 1


def test_supply_survives_json():
    assert [supply_from_dict(supply_to_dict(s)) for s in SERVICES] == SERVICES


def test_heat_map_labels_each_cell_and_hides_what_the_report_hides():
    gap_map = build_gap_map(needs_from_report(report(), "area"), SERVICES)
    language = next(t for t in gap_map.tables if t.kind == LANGUAGE)
    chart = gap_heat_map(language, TEXTS, "gaps-language")
    assert chart.header == ("Theme", *language.group_labels)
    housing = next(row for row in chart.rows if row[0] == "Housing")
    assert housing[1 + language.group_keys.index("ar")] == "62% · 1"
    tigrinya = gap_map.cell("language", "ti", "housing")
    assert housing[1 + language.group_keys.index("ti")] == cell_text(tigrinya, TEXTS)
    assert chart.alt.startswith(
        "Heat map: By language. Largest: Housing, AR: 62% · 1; Housing, FR: 50% · 1; "
        "Employment, AR: 38% · 1"
    )
    assert to_png(chart).startswith(b"\x89PNG") and b"<svg" in to_svg(chart)


def test_rows_of_themes_nobody_raised_are_left_out_of_the_shown_rows():
    need = NeedTable(
        kind=LANGUAGE,
        attribute="language",
        title="By language",
        theme_keys=("housing", "parks", "health"),
        theme_labels=("Housing", "Parks", "Health"),
        group_keys=("ar", "en"),
        group_labels=("AR", "EN"),
        group_totals=(40, None),
        cells=((20, None), (0, 0), (0, None)),
    )
    table = build_gap_map([need], SERVICES).tables[0]
    assert [row[0].theme for row in table.rows] == ["housing", "parks", "health"]
    assert [row[0].theme for row in table.raised_rows] == ["housing", "health"]


def small_and_hidden_need() -> NeedTable:
    """Rounded counts: Somali speakers' housing published as 0 ("fewer than 5"), Tigrinya
    speakers hidden, English speakers' housing rounded above their group (15 of 10)."""
    return NeedTable(
        kind=LANGUAGE,
        attribute="language",
        title="By language",
        theme_keys=("housing", "parks"),
        theme_labels=("Housing", "Parks"),
        group_keys=("so", "ti", "en"),
        group_labels=("SO", "TI", "EN"),
        group_totals=(20, None, 10),
        cells=((0, None, 15), (0, 0, 0)),
        base=5,
    )


def test_a_count_below_the_base_says_fewer_than_and_is_never_a_share_of_zero():
    table = build_gap_map([small_and_hidden_need()], SERVICES).tables[0]
    somali, tigrinya, english = table.rows[0]
    assert somali.small and somali.need is None and somali.score is None
    assert cell_text(somali, TEXTS) == "fewer than 5"  # never "0%": it may be up to four
    assert not tigrinya.small and tigrinya.need is None
    assert cell_text(tigrinya, TEXTS) == "hidden"
    assert english.need == 1  # a rounded part above its rounded group is capped at 100%
    # a theme shown as fewer than 5 in every group is not a row of the map
    assert [row[0].theme for row in table.raised_rows] == ["housing"]


def test_only_shown_needs_are_ranked():
    gap_map = build_gap_map([small_and_hidden_need()], SERVICES)
    assert [(e.item.group, e.item.theme) for e in gap_map.ranked] == [("en", "housing")]
