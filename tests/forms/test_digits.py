"""Digits of every supported script read as ASCII, in every numeric input."""

import pytest

from forms.answers import AnswerProblem, parse_form_value
from forms.digits import ascii_digits, ascii_number
from forms.model import Question

# The digits 0-9 as each script writes them (the scripts of the 12 UI languages
# and the input methods their speakers use), and a phone number in each.
SCRIPTS = {
    "ascii (en, fr, es, tl, uk, ti, so)": "0123456789",
    "arabic-indic (ar)": "٠١٢٣٤٥٦٧٨٩",
    "extended arabic-indic (fa, ur)": "۰۱۲۳۴۵۶۷۸۹",
    "gurmukhi (pa)": "੦੧੨੩੪੫੬੭੮੯",
    "devanagari (hi, a second script for pa and ur speakers)": "०१२३४५६७८९",
    "full-width (zh-Hans input methods)": "０１２３４５６７８９",
}


def _in_script(script: str, ascii_text: str) -> str:
    digits = SCRIPTS[script]
    return "".join(digits[int(c)] if c.isdigit() else c for c in ascii_text)


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_digit_of_every_script_reads_as_ascii(script):
    assert ascii_digits(SCRIPTS[script]) == "0123456789"


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_phone_number_keeps_its_spaces_and_signs(script):
    assert ascii_digits(_in_script(script, "+1 (613) 555-0123")) == "+1 (613) 555-0123"


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize(
    ("question_type", "typed", "value"),
    [
        ("integer", "15", 15),
        ("integer", "-3", -3),
        ("integer", "1 250", 1250),
        ("decimal", "2.5", 2.5),
        ("decimal", "2,5", 2.5),
        ("date", "2024-05-31", "2024-05-31"),
        ("time", "14:30", "14:30:00"),
        ("datetime", "2024-05-31T14:30", "2024-05-31T14:30:00"),
    ],
)
def test_counts_numbers_dates_and_times_in_every_script(script, question_type, typed, value):
    question = Question(name="q", type=question_type)
    assert parse_form_value(question, [_in_script(script, typed)]) == value


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_postal_code_question_stores_ascii_digits(script):
    postal = Question(
        name="postal",
        type="text",
        constraint="regex(., '^[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]$')",
    )
    assert parse_form_value(postal, [_in_script(script, "K1A 0B1")]) == "K1A 0B1"


def test_a_numbers_appearance_stores_ascii_digits_and_prose_keeps_its_own():
    phone = Question(name="phone", type="text", appearance="numbers")
    prose = Question(name="story", type="text")
    assert parse_form_value(phone, ["۶۱۳ ۵۵۵ ۰۱۲۳"]) == "613 555 0123"
    assert parse_form_value(prose, ["۳ سال"]) == "۳ سال"


def test_arabic_separators_in_a_decimal():
    assert ascii_number("١٬٢٣٤٫٥") == "1234.5"
    assert parse_form_value(Question(name="q", type="decimal"), ["۱٬۲۳۴٫۵"]) == 1234.5


def test_full_width_letters_fold_with_the_digits():
    assert ascii_digits("Ｋ１Ａ　０Ｂ１") == "K1A 0B1"


@pytest.mark.parametrize("typed", ["፫", "三", "三十", "½"])
def test_numerals_that_are_not_decimal_digits_are_refused_as_counts(typed):
    """Ethiopic and Han numerals have no zero and are not positional: a count
    typed with them is refused (and the message asks for digits) rather than guessed."""
    with pytest.raises(AnswerProblem) as problem:
        parse_form_value(Question(name="q", type="integer"), [typed])
    assert problem.value.code == "not_integer"


def test_text_without_digits_is_unchanged():
    for text in ("", "hello", "سلام", "ሰላም", "你好", "ਸਤ ਸ੍ਰੀ ਅਕਾਲ"):
        assert ascii_digits(text) == text
