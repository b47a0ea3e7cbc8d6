"""The report model is made from protected counts only, and charts draw only what it publishes."""

from analysis.aggregate import NOT_STATED, Respondent, aggregate, count_cube_of
from analysis.charts import counts_chart, prevalence_chart, subgroup_chart, to_png, to_svg
from analysis.disclosure import TOTAL, Dimension, Shape, protect, theme_id
from analysis.records import TextUnit
from analysis.report import MONTH, build_report, every_count, report_from_dict, report_to_dict

TEXTS = {
    "share_axis": "Share (%)",
    "prevalence_alt": "Prevalence.",
    "subgroup_alt": "Groups: {title}.",
    "theme": "Theme",
    "share": "Share",
    "interval": "95% interval",
    "suppressed": "too few",
    "count_axis": "Responses",
}
THEMES = ("housing", "employment", "discrimination", "health")
SECRET = b"test"


def protected(threshold=5):
    respondents, units = {}, []
    plan = [("big", "housing", 30), ("mid", "employment", 9), ("tiny", "discrimination", 2)]
    for group, theme, count in plan:
        for i in range(count):
            rid = f"{group}{i}"
            respondents[rid] = Respondent(rid, "survey", "en", {"area": group})
            units.append((TextUnit(rid, "x", "en", rid), (theme,)))
    aggregation = aggregate(
        units, respondents, breakdowns=("area",), sentiments={"big0": -0.9}, themes=THEMES
    )
    shape = Shape(
        THEMES,
        (
            Dimension("source", ("survey", "focus_group")),
            Dimension("language", ("en", "fr", NOT_STATED)),
            Dimension("area", ("big", "mid", "tiny", "rural", NOT_STATED)),
            Dimension(MONTH, ("2026-01", "2026-02"), themed=False),
        ),
    )
    cube = count_cube_of(aggregation, shape, {MONTH: {"2026-01": 38, "2026-02": 3}})
    return cube, protect(cube, threshold, secret=SECRET).counts


def report(threshold=5, quotes=None, counts=None):
    counts = counts or protected(threshold)[1]
    return build_report(
        counts,
        title="T",
        language="en",
        period=("2026-01-01", "2026-02-28"),
        theme_label=str.title,
        group_label=lambda attribute, group: group,
        table_titles={"area": "By area", "language": "By language", "source": "By source"},
        quotes=quotes if quotes is not None else {"housing": ["Rent is high"]},
    )


def test_every_number_is_a_rounded_count_within_the_base_of_the_truth():
    cube, counts = protected()
    built = report(counts=counts)
    assert all(c % 5 == 0 for c in every_count(built))
    for cell, value in counts.values.items():
        assert value is None or abs(value - cube.counts[cell]) < 5, cell
    assert built.respondents == counts.total and built.base == 5
    assert {f.key: f.respondents for f in built.findings}["housing"] == 30  # a multiple stays


def test_shares_and_intervals_come_from_the_published_counts():
    _cube, counts = protected()
    built = report(counts=counts)
    housing = next(f for f in built.findings if f.key == "housing")
    assert housing.share == 30 / counts.total  # published over published, never 30 / 41
    assert housing.low < housing.share < housing.high
    small = next(f for f in built.findings if f.key == "discrimination")
    if small.respondents == 0:  # "fewer than 5": no share can be told
        assert small.share is None and small.low is None


def test_findings_are_ranked_by_published_counts_then_codebook_order():
    built = report()
    published = [f.respondents or 0 for f in built.findings]
    assert published == sorted(published, reverse=True)
    tied = [f.key for f in built.findings if (f.respondents or 0) == 0]
    assert tied == [t for t in THEMES if t in tied]


def test_shapes_list_every_group_whoever_answered():
    built = report()
    area = next(t for t in built.tables if t.attribute == "area")
    assert area.group_keys == ("big", "mid", "tiny", "rural", NOT_STATED)
    assert [label for label, _ in built.timeline] == ["2026-01", "2026-02"]
    assert len(built.findings) == len(THEMES)


def test_quotes_only_under_themes_whose_count_is_shown():
    _cube, counts = protected()
    quotes = {"housing": ["Rent is high"], "health": ["No doctor"]}
    built = report(quotes=quotes, counts=counts)
    by_key = {f.key: f for f in built.findings}
    assert [q.text for q in by_key["housing"].quotes] == ["Rent is high"]
    assert counts.theme("health") == 0 and by_key["health"].quotes == ()


def test_sentiment_counts_people_and_shows_only_when_a_mood_is_shown():
    built = report()
    housing = next(f for f in built.findings if f.key == "housing")
    assert len(housing.moods) == 3
    # one scored respondent: rounded to 0 or 5; shares only when a mood is at least 5
    assert bool(housing.mood_shares) == any(m >= 5 for m in housing.moods)


def test_round_trip_through_json():
    built = report()
    assert report_from_dict(report_to_dict(built)) == built


def test_charts_draw_only_published_numbers_with_text_alternatives():
    built = report()
    chart = prevalence_chart(built, TEXTS)
    labels = [row[0] for row in chart.rows]
    assert labels[0] == "Housing" and "Health" not in labels
    assert f"Housing: {100 * 30 / built.respondents:.0f}%" in chart.alt
    svg = to_svg(chart).decode()
    assert "Health" not in svg and "Housing" in svg
    assert to_png(chart).startswith(b"\x89PNG")
    area = next(t for t in built.tables if t.attribute == "area")
    grouped = subgroup_chart(area, TEXTS, "area", built.base)
    assert "rural" not in grouped.header  # a group shown as fewer than 5 gets no bar
    assert all("too few" in row or "%" in " ".join(row) for row in grouped.rows)
    months = counts_chart("months", ["2026-01"], [40], TEXTS, "Months.")
    assert months.rows == (("2026-01", "40"),)


def test_untranslated_theme_labels_are_marked_and_survive_json():
    _cube, counts = protected()
    marked = build_report(
        counts,
        title="T",
        language="ar",
        period=("2026-01-01", "2026-02-01"),
        theme_label=str.title,
        untranslated_themes={"employment"},
        group_label=lambda attribute, group: group,
        table_titles={},
    )
    flags = {f.key: f.label_fallback for f in marked.findings}
    assert flags["employment"] and not flags["housing"]
    assert report_from_dict(report_to_dict(marked)) == marked


def test_a_hidden_count_reads_as_hidden_and_gives_no_share():
    _cube, counts = protected()
    values = dict(counts.values)
    values[theme_id("housing")] = None
    hidden = type(counts)(counts.shape, values, counts.base, counts.threshold)
    built = report(counts=hidden)
    housing = next(f for f in built.findings if f.key == "housing")
    assert housing.respondents is None and housing.share is None and housing.quotes == ()
    assert built.hidden and TOTAL in hidden.values


def small_table():
    """Rounded counts: the rural column and the parks row hold only "fewer than 5"
    (0) and hidden (None) numbers; the north column has a group size of 10."""
    from analysis.report import ReportTable

    return ReportTable(
        attribute="area",
        title="By area",
        groups=("Downtown", "North", "Rural"),
        group_totals=(30, 10, 0),
        rows=(("Housing", (20, 0, 0)), ("Parks", (0, 0, None)), ("Jobs", (5, 0, 0))),
        theme_keys=("housing", "parks", "jobs"),
        group_keys=("downtown", "north", "rural"),
    )


def test_wholly_small_rows_and_columns_are_named_not_drawn():
    from analysis.report import compact_table

    compact = compact_table(small_table(), base=5)
    assert compact.table.groups == ("Downtown", "North")  # North's size (10) is a number
    assert compact.table.group_keys == ("downtown", "north")
    assert compact.table.group_totals == (30, 10)
    assert compact.table.rows == (("Housing", (20, 0)), ("Jobs", (5, 0)))
    assert compact.table.theme_keys == ("housing", "jobs")
    assert compact.few_groups == ("Rural",) and compact.few_themes == ("Parks",)
    assert (compact.small, compact.numbers) == (8, 12) and not compact.empty


def test_a_table_of_nothing_but_small_numbers_is_empty_and_exact_counts_keep_zeros():
    from analysis.report import ReportTable, compact_table

    tiny = ReportTable("area", "By area", ("A", "B"), (0, None), (("Housing", (0, None)),))
    compact = compact_table(tiny, base=5)
    assert compact.empty and compact.few_groups == ("A", "B") and compact.small == 4
    # exact counts (summaries from before rounding): only hidden numbers are small
    exact = compact_table(small_table(), base=0)
    assert exact.table.groups == ("Downtown", "North", "Rural") and exact.small == 1
