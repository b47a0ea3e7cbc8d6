"""The codebook: the default file, round trips and editing operations."""

import json

import pytest

from analysis.codebook import (
    Codebook,
    CodebookError,
    Theme,
    add_theme,
    codebook_from_dict,
    codebook_to_dict,
    default_codebook,
    dump_codebook,
    load_codebook,
    merge_themes,
    rename_theme,
    set_patterns,
    split_theme,
)

DEFAULT_KEYS = [
    "employment",
    "credentials",
    "language_training",
    "housing",
    "health",
    "education",
    "children_youth",
    "childcare",
    "transportation",
    "social_inclusion",
    "discrimination",
    "information_access",
    "settlement_services",
    "civic_engagement",
    "income",
    "legal_status",
    "women_seniors",
    "business",
]
LANGUAGES = ["ar", "en", "es", "fa", "fr", "pa", "so", "ti", "tl", "uk", "ur", "zh-Hans"]


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return default_codebook()


def test_default_codebook_has_the_stable_keys_in_order(codebook):
    assert list(codebook.keys) == DEFAULT_KEYS


def test_every_theme_has_patterns_in_all_twelve_languages(codebook):
    assert list(codebook.languages) == LANGUAGES
    for theme in codebook.themes:
        assert sorted(theme.patterns) == LANGUAGES, theme.key
        assert all(theme.patterns[lang] for lang in LANGUAGES), theme.key
        assert {"en", "fr"} <= set(theme.labels) and {"en", "fr"} <= set(theme.definitions)


def test_non_english_languages_are_marked_unreviewed(codebook):
    assert codebook.review_status["en"] == "source"
    assert {codebook.review_status[lang] for lang in LANGUAGES if lang != "en"} == {
        "draft_unreviewed"
    }


def test_round_trip_through_dict_and_json(codebook):
    assert codebook_from_dict(codebook_to_dict(codebook)) == codebook
    assert load_codebook(dump_codebook(codebook)) == codebook


def test_theme_lookup_and_unknown_key(codebook):
    assert codebook.theme("housing").label("fr") == "Logement"
    with pytest.raises(CodebookError) as err:
        codebook.theme("nope")
    assert err.value.code == "unknown_theme"


def test_invalid_documents_raise_codes():
    with pytest.raises(CodebookError) as err:
        load_codebook("{not json")
    assert err.value.code == "invalid_codebook"
    with pytest.raises(CodebookError) as err:
        codebook_from_dict({"version": 1, "themes": [{"labels": {}}]})
    assert err.value.code == "invalid_codebook"
    with pytest.raises(CodebookError) as err:
        Theme("Bad Key")
    assert err.value.code == "invalid_key"
    with pytest.raises(CodebookError) as err:
        Theme("ok", patterns={"en": ("*",)})
    assert err.value.code == "invalid_pattern"


def test_themes_are_read_only(codebook):
    with pytest.raises(TypeError):
        codebook.theme("housing").patterns["en"] = ("x",)  # type: ignore[index]


def test_add_theme_bumps_version_and_rejects_duplicates(codebook):
    new = add_theme(codebook, Theme("food_security", {"en": "Food"}, patterns={"en": ("hunger",)}))
    assert new.version == codebook.version + 1
    assert new.keys[-1] == "food_security" and new.keys[:-1] == codebook.keys
    assert "food_security" not in codebook  # the original is untouched
    with pytest.raises(CodebookError) as err:
        add_theme(new, Theme("housing"))
    assert err.value.code == "duplicate_theme"


def test_rename_changes_labels_never_the_key(codebook):
    new = rename_theme(codebook, "housing", {"en": "Housing and shelter"})
    assert new.version == codebook.version + 1
    assert new.theme("housing").labels["en"] == "Housing and shelter"
    assert new.theme("housing").labels["fr"] == "Logement"
    assert new.keys == codebook.keys


def test_set_patterns_replaces_one_language(codebook):
    new = set_patterns(codebook, "transportation", "en", ["bus", "bus pass"])
    assert new.theme("transportation").patterns["en"] == ("bus", "bus pass")
    assert (
        new.theme("transportation").patterns["fr"]
        == codebook.theme("transportation").patterns["fr"]
    )
    assert new.version == codebook.version + 1


def test_merge_themes_into_an_existing_key(codebook):
    new = merge_themes(codebook, ["childcare", "children_youth"], into="children_youth")
    assert "childcare" not in new and "children_youth" in new
    merged = new.theme("children_youth").patterns["en"]
    assert "daycare" in merged and "teenagers" in merged
    assert new.keys.index("children_youth") == codebook.keys.index("children_youth")
    assert len(new.keys) == len(codebook.keys) - 1
    assert new.version == codebook.version + 1


def test_merge_into_new_key_and_errors(codebook):
    new = merge_themes(
        codebook,
        ["women_seniors", "social_inclusion"],
        into="belonging",
        labels={"en": "Belonging"},
    )
    assert new.theme("belonging").labels == {"en": "Belonging"}
    with pytest.raises(CodebookError) as err:
        merge_themes(codebook, ["housing"], into="housing")
    assert err.value.code == "nothing_to_merge"
    with pytest.raises(CodebookError) as err:
        merge_themes(codebook, ["housing", "income"], into="health")
    assert err.value.code == "duplicate_theme"


def test_split_theme_keeps_the_original_key_and_moves_patterns(codebook):
    mental = Theme(
        "mental_health", {"en": "Mental health"}, patterns={"en": ("depression", "anxiety")}
    )
    new = split_theme(codebook, "health", [mental])
    assert new.version == codebook.version + 1
    assert new.keys.index("mental_health") == new.keys.index("health") + 1
    assert "depression" not in new.theme("health").patterns["en"]
    assert "doctor" in new.theme("health").patterns["en"]
    dropped = split_theme(codebook, "health", [mental], keep_original=False)
    assert "health" not in dropped


def test_default_file_is_valid_json_with_review_note():
    from importlib import resources

    data = json.loads(resources.files("analysis").joinpath("data/codebook.json").read_text("utf-8"))
    assert data["format"] == "consult-codebook" and "review_note" in data


def test_every_concept_is_rendered_in_all_twelve_languages():
    """One concept list rendered per language: every language sees the same needs."""
    from analysis.codebook import default_concepts

    languages = {"en", "fr", "ar", "zh-Hans", "pa", "tl", "es", "fa", "ur", "uk", "ti", "so"}
    keys = set(default_codebook().keys)
    for concept in default_concepts():
        assert concept["theme"] in keys
        assert {k for k, v in concept["renderings"].items() if v} == languages, concept["concept"]


def test_concept_renderings_are_in_the_default_codebook():
    from analysis.codebook import default_concepts

    codebook = default_codebook()
    for concept in default_concepts():
        theme = codebook.theme(concept["theme"])
        for language, renderings in concept["renderings"].items():
            assert set(renderings) <= set(theme.patterns[language])
