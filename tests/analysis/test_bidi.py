"""Right-to-left lines: the order words are drawn in (UAX #9 at word level)."""

from analysis.bidi import (
    LTR,
    RTL,
    first_strong_direction,
    has_right_to_left,
    paragraph_direction,
    visual_order,
)


def test_arabic_words_run_from_the_right():
    assert visual_order(["الصحة", "والسكن"], RTL) == ["والسكن", "الصحة"]


def test_numbers_and_latin_runs_keep_their_own_order_inside_right_to_left():
    words = ["الفترة:", "2024-01-01", "إلى", "Cohen", "kappa"]
    assert visual_order(words, RTL) == ["Cohen", "kappa", "إلى", "2024-01-01", "الفترة:"]


def test_an_arabic_run_inside_left_to_right_is_reversed_alone():
    words = ["Housing", "الصحة", "العامة", "20"]
    assert visual_order(words, LTR) == ["Housing", "العامة", "الصحة", "20"]


def test_left_to_right_text_is_untouched():
    assert visual_order(["a", "b", "(c)"], LTR) == ["a", "b", "(c)"]


def test_direction_comes_from_the_first_strong_letter():
    assert first_strong_direction("2024 سكن") == RTL
    assert first_strong_direction("(Housing) سكن") == LTR
    assert first_strong_direction("2024 —") is None
    assert paragraph_direction("95%", RTL) == RTL
    assert has_right_to_left("Housing مسكن") and not has_right_to_left("住房 ਸਿਹਤ")
