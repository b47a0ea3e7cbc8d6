"""Emerging-theme clusters among uncoded units."""

import random

from analysis.clusters import propose_clusters
from analysis.records import TextUnit

HOUSING = ["rent", "apartment", "landlord", "lease", "deposit", "bedroom", "basement"]
TRANSIT = ["bus", "transit", "route", "schedule", "ride", "station", "driver"]
FILLER = ["we", "the", "our", "really", "very"]


def corpus(per_topic=15, seed=1):
    rng = random.Random(seed)
    units = []
    for i in range(per_topic * 2):
        words = HOUSING if i % 2 == 0 else TRANSIT
        text = " ".join(rng.choice(words + FILLER) for _ in range(10))
        units.append(TextUnit(f"u{i:03}", text, "en", f"r{i}"))
    return units


def test_two_clear_topics_are_separated():
    units = corpus()
    clusters = propose_clusters(units)
    assert len(clusters) == 2
    by_topic = {}
    for cluster in clusters:
        topic = "housing" if set(cluster.top_terms[:3]) <= set(HOUSING) else "transit"
        assert set(cluster.top_terms[:3]) <= set(HOUSING if topic == "housing" else TRANSIT)
        by_topic[topic] = cluster
    housing_ids = {u.unit_id for i, u in enumerate(units) if i % 2 == 0}
    assert set(by_topic["housing"].unit_ids) == housing_ids
    assert set(by_topic["transit"].unit_ids) == {u.unit_id for u in units} - housing_ids
    for cluster in clusters:
        assert cluster.size == len(cluster.unit_ids) == 15
        assert len(cluster.example_unit_ids) == 3
        assert set(cluster.example_unit_ids) <= set(cluster.unit_ids)
        assert set(cluster.top_terms[:7]) in (set(HOUSING), set(TRANSIT))  # filler ranks last


def test_deterministic_whatever_the_input_order():
    units = corpus()
    shuffled = list(units)
    random.Random(5).shuffle(shuffled)
    assert propose_clusters(units) == propose_clusters(shuffled)


def test_works_without_spaces_between_words():
    # Chinese has no spaces: character n-grams still find the two topics.
    housing = ["房租太贵了找不到房子", "房东不退押金房租很高", "房子太小房租太贵"]
    transit = ["公交车太少了等很久", "公交车路线不方便", "晚上没有公交车等很久"]
    units = [
        TextUnit(f"u{i:02}", (housing if i % 2 else transit)[i % 3], "zh", f"r{i}")
        for i in range(12)
    ]
    clusters = propose_clusters(units, n_clusters=2)
    groups = [{int(u[1:]) % 2 for u in c.unit_ids} for c in clusters]
    assert sorted(map(sorted, groups)) == [[0], [1]]


def test_explicit_cluster_count_and_limits():
    clusters = propose_clusters(corpus(), n_clusters=3, top_terms=4, examples=2)
    assert 1 <= len(clusters) <= 3
    assert all(len(c.top_terms) <= 4 and len(c.example_unit_ids) <= 2 for c in clusters)
    assert sum(c.size for c in clusters) == 30


def test_too_few_units_gives_nothing():
    assert propose_clusters(corpus()[:9]) == []
    assert propose_clusters([]) == []
