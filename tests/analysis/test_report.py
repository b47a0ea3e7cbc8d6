"""The report model never publishes a small count, and charts draw only what it publishes."""

from analysis.aggregate import Respondent, aggregate
from analysis.charts import prevalence_chart, subgroup_chart, to_png, to_svg
from analysis.records import TextUnit
from analysis.report import build_report, every_count, report_from_dict, report_to_dict

TEXTS = {
    "share_axis": "Share (%)",
    "prevalence_alt": "Prevalence.",
    "subgroup_alt": "Groups: {title}.",
    "theme": "Theme",
    "share": "Share",
    "interval": "95% interval",
    "suppressed": "fewer",
    "count_axis": "Responses",
}


def dataset():
    respondents, units = {}, []
    plan = [("big", "housing", 30), ("mid", "employment", 9), ("tiny", "discrimination", 2)]
    for group, theme, count in plan:
        for i in range(count):
            rid = f"{group}{i}"
            respondents[rid] = Respondent(rid, "survey", "en", {"area": group})
            units.append((TextUnit(rid, "x", "en", rid), (theme,)))
    return aggregate(units, respondents, breakdowns=("area",))


def report(threshold=5):
    return build_report(
        dataset(),
        title="T",
        language="en",
        period=("2026-01-01", "2026-02-01"),
        theme_label=str.title,
        group_label=lambda attribute, group: group,
        table_titles={"area": "By area", "language": "By language", "source": "By source"},
        threshold=threshold,
        quotes={"housing": ["Rent is high"]},
    )


def test_no_published_count_is_below_the_threshold():
    built = report()
    assert built.respondents == 41
    counts = {f.key: f.respondents for f in built.findings}
    assert counts == {"housing": 30, "employment": 9, "discrimination": None}
    assert all(c == 0 or c >= 5 for c in every_count(built))
    suppressed = next(f for f in built.findings if f.key == "discrimination")
    assert suppressed.share is None and suppressed.low is None and suppressed.high is None


def test_the_small_group_and_its_complement_are_hidden_in_the_breakdown():
    table = next(t for t in report().tables if t.attribute == "area")
    totals = dict(zip(table.groups, table.group_totals, strict=True))
    assert totals["tiny"] is None
    hidden = sum(v is None for v in table.group_totals)
    assert hidden >= 2 or totals["big"] is None or totals["mid"] is None


def test_threshold_is_configurable():
    built = report(threshold=3)
    assert {f.key: f.respondents for f in built.findings}["discrimination"] is None
    built = report(threshold=10)
    assert {f.key: f.respondents for f in built.findings}["employment"] is None


def test_round_trip_through_json():
    built = report()
    assert report_from_dict(report_to_dict(built)) == built


def test_charts_draw_only_published_themes_with_text_alternatives():
    built = report()
    chart = prevalence_chart(built, TEXTS)
    labels = [row[0] for row in chart.rows]
    assert labels == ["Housing", "Employment"]
    assert "Housing: 73%" in chart.alt
    svg = to_svg(chart).decode()
    assert "Discrimination" not in svg and "Housing" in svg
    assert to_png(chart).startswith(b"\x89PNG")
    area = next(t for t in built.tables if t.attribute == "area")
    grouped = subgroup_chart(area, TEXTS, "area")
    assert all("fewer" in row or "%" in " ".join(row) for row in grouped.rows)
    assert "tiny" not in grouped.header


def test_untranslated_theme_labels_are_marked_and_survive_json():
    marked = build_report(
        dataset(),
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
    older = report_to_dict(marked)
    for finding in older["findings"]:
        del finding["label_fallback"]  # snapshots published before the field existed
    assert not any(f.label_fallback for f in report_from_dict(older).findings)
