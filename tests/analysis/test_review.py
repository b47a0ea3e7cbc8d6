"""Active review: least certain and least covered first; quality with honest intervals."""

from analysis.evaluation import Scores
from analysis.learning import LearnedModel, ThemeQuality
from analysis.records import Evidence, ThemeMatch
from analysis.review import describe_quality, review_priority, theme_quality, uncertainty


def test_uncertainty_peaks_at_the_threshold():
    assert uncertainty(0.3, 0.3) == 1.0
    assert uncertainty(0.0, 0.3) == 0.0 and uncertainty(1.0, 0.3) == 0.0
    assert uncertainty(0.5, 0.3) > uncertainty(0.9, 0.3)


def test_least_certain_answers_come_first():
    unsure = review_priority((), {"housing": 0.48}, {"housing": 0.5}, {"housing": 40})
    sure = review_priority((), {"housing": 0.97}, {"housing": 0.5}, {"housing": 40})
    assert unsure > sure


def test_least_covered_themes_come_first():
    keyword_hit = (ThemeMatch("business", (Evidence(0, 4, "shop", "shop"),)),)
    uncovered = review_priority(keyword_hit, {}, {}, {"business": 0})
    covered = review_priority(keyword_hit, {}, {}, {"business": 200})
    assert uncovered > covered
    assert uncovered > review_priority((), {"housing": 0.6}, {"housing": 0.5}, {"housing": 40})


def test_quality_is_cross_validated_counts_with_intervals_in_plain_words():
    model = LearnedModel(
        keys=("housing", "business"),
        kind="embedding",
        classifiers={},
        quality={
            "housing": ThemeQuality("model", Scores(tp=45, fp=3, fn=5), 0.4),
            "business": ThemeQuality("keywords", Scores(tp=2, fp=1, fn=3)),
        },
    )
    quality = theme_quality(model)
    housing = quality["housing"]
    assert housing.rule == "model" and housing.reviewed == 50
    assert housing.recall.share == 0.9 and housing.recall.low < 0.9 < housing.recall.high
    assert describe_quality(housing) == "finds_most_rarely_wrong"
    assert describe_quality(quality["business"]) == "too_few"


def test_a_models_priorities_weigh_its_thresholds_and_how_many_examples_have_each_theme():
    import numpy as np

    from analysis.records import Coding
    from analysis.review import model_priorities

    model = LearnedModel(
        keys=("housing", "health"),
        kind="embedding",
        classifiers={"housing": object(), "health": object()},
        quality={
            "housing": ThemeQuality("model", Scores(8, 2, 2), 0.4),
            "health": ThemeQuality("model", Scores(8, 2, 2), 0.4),
        },
        labels=np.array([[1, 0]] * 30 + [[0, 1]] * 2, dtype=np.int8),
    )
    scored = [
        (Coding("sure", 1, ()), {"housing": 0.99, "health": 0.01}),
        (Coding("unsure", 1, ()), {"housing": 0.42, "health": 0.01}),
        (Coding("rare", 1, ()), {"housing": 0.99, "health": 0.42}),
    ]
    sure, unsure, rare = model_priorities(model, scored)
    assert unsure > sure and rare > unsure  # health has 2 examples, housing 30
    assert model_priorities(None, [(Coding("k", 1, ()), {})]) == [0.0]


def test_a_keyword_theme_reviewers_keep_rejecting_sinks_in_the_queue():
    from analysis.review import keyword_uncertainty

    hit = (ThemeMatch("business", (Evidence(0, 4, "shop", "shop"),)),)
    never_reviewed = review_priority(hit, {}, {}, {"business": 0})
    rejected = review_priority(hit, {}, {}, {"business": 0}, {"business": (0, 30)})
    split = review_priority(hit, {}, {}, {"business": 4}, {"business": (4, 4)})
    assert rejected < 0.1 < never_reviewed
    assert split > 0.5
    assert keyword_uncertainty(0, 0) == keyword_uncertainty(5, 5) == 1.0
    assert keyword_uncertainty(30, 0) == keyword_uncertainty(0, 30) < keyword_uncertainty(0, 3)


def test_a_models_priorities_weigh_how_reviews_judged_the_keywords_of_unlearned_themes():
    import numpy as np

    from analysis.records import Coding
    from analysis.review import model_priorities

    model = LearnedModel(
        keys=("housing", "business", "legal"),
        kind="embedding",
        classifiers={"housing": object()},
        quality={
            "housing": ThemeQuality("model", Scores(8, 2, 2), 0.4),
            "business": ThemeQuality("keywords", Scores(tp=0, fp=40, fn=0)),
            "legal": ThemeQuality("keywords", Scores(tp=0, fp=0, fn=0)),
        },
        labels=np.array([[1, 0, 0]] * 10 + [[0, 0, 0]] * 40, dtype=np.int8),
    )

    def keyword_hit(theme):
        return (ThemeMatch(theme, (Evidence(0, 4, "word", "word"),)),)

    scored = [
        (Coding("rejected", 1, keyword_hit("business")), {"housing": 0.05}),
        (Coding("unseen", 1, keyword_hit("legal")), {"housing": 0.05}),
        (Coding("unsure", 1, ()), {"housing": 0.38}),
    ]
    rejected, unseen, unsure = model_priorities(model, scored)
    assert unseen > unsure > rejected
