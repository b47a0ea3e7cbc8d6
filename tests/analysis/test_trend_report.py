"""A comparison laid out for a committee: verdicts from the tests, lines with nothing to show
named, and the section kept through a snapshot."""

from analysis.disclosure import Share
from analysis.trend_report import (
    AUDIENCES,
    WAVES,
    section_counts,
    section_from_dict,
    section_to_dict,
    trend_section,
)
from analysis.waves import THEME, Point, Trend, TrendRow, two_proportion_test


def _row(key, counts, wholes, kind=THEME, question=""):
    points = []
    for count, whole in zip(counts, wholes, strict=True):
        share = Share(count / whole, 0.0, 1.0) if count is not None and count >= 5 else None
        points.append(Point(count, whole, share))
    testable = [(c, n) for c, n in zip(counts, wholes, strict=True) if c is not None]
    overall = two_proportion_test(*testable[0], *testable[1]) if len(testable) == 2 else None
    return TrendRow(kind, question, key, tuple(points), overall)


TREND = Trend(
    respondents=(400, 400),
    rows=(
        _row("housing", (120, 220), (400, 400)),  # 30% -> 55%
        _row("income", (200, 100), (400, 400)),  # 50% -> 25%
        _row("health", (80, 85), (400, 400)),  # 20% -> 21%
        _row("business", (0, 0), (400, 400)),  # fewer than 5 everywhere
        _row("employed", (150, None), (400, None), kind="single", question="work"),
    ),
    questions=(),
    base=5,
)


def _section(kind=WAVES):
    return trend_section(
        TREND,
        kind=kind,
        title="Needs",
        groups=("2026", "2028"),
        themes_title="Themes raised",
        theme_label=str.title,
        questions=[("work", "Work")],
        choice_label=lambda q, c: f"{q}:{c}",
    )


def test_verdicts_follow_the_tests_and_the_direction():
    themes, work = _section().tables
    verdicts = {line.label: line.verdict for line in themes.lines}
    assert verdicts == {"Housing": "rose", "Income": "fell", "Health": "same"}
    assert themes.left_out == ("Business",)  # nothing to show: named, not drawn
    (employed,) = work.lines
    assert employed.verdict == "untested" and employed.asked == (True, False)


def test_audiences_differ_rather_than_rise():
    themes = _section(AUDIENCES).tables[0]
    assert {line.verdict for line in themes.lines} == {"differ", "same"}


def test_a_section_survives_a_snapshot_and_lists_its_counts():
    section = _section()
    assert section_from_dict(section_to_dict(section)) == section
    # the line left out publishes no count
    assert sorted(set(section_counts(section))) == [80, 85, 100, 120, 150, 200, 220, 400]
