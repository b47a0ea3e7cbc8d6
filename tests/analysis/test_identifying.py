"""What could identify a newcomer is removed or flagged, per kind and language.

The marked set in data/identifying_spans.txt holds 300+ synthetic answers in the
12 languages; bench/eval_quotes.py reports the same figures in ``make bench``.
"""

from pathlib import Path

import pytest

from analysis.identifying import (
    GENERALISATIONS,
    KINDS,
    PLACEHOLDERS,
    find_identifying,
    generalise,
    scrub,
)
from analysis.identifying.evaluation import FAMILIES, caught, evaluate, family, read_marked
from analysis.identifying.text import ascii_digits

SET = Path(__file__).parent / "data" / "identifying_spans.txt"
ANSWERS = read_marked(SET.read_text(encoding="utf-8").splitlines())
LANGUAGES = ("en", "fr", "ar", "zh-Hans", "pa", "tl", "es", "fa", "ur", "uk", "ti", "so")
TARGETS = {"identifier": 0.95, "name": 0.85}


def test_the_set_is_large_enough_and_covers_every_language_and_kind():
    assert len(ANSWERS) >= 300
    assert {a.language for a in ANSWERS} == set(LANGUAGES)
    marked = {kind for a in ANSWERS for *_, kind in a.spans}
    assert marked == set(KINDS) - {"document_number"}
    for language in LANGUAGES:
        mine = [a for a in ANSWERS if a.language == language]
        assert sum(not a.spans for a in mine) >= 6  # answers with nothing identifying
        assert {family(k) for a in mine for *_, k in a.spans} == set(FAMILIES)


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(ANSWERS, lambda text, names: find_identifying(text, names))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind_family", ["identifier", "name"])
def test_recall_meets_the_target_in_every_language(evaluation, language, kind_family):
    tally = evaluation.by_language[(language, kind_family)]
    assert tally.total >= 5
    assert tally.recall >= TARGETS[kind_family], [
        (a.text[s:e], k) for a, (s, e, k) in evaluation.misses if a.language == language
    ]


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "document_number"])
def test_every_kind_is_caught(evaluation, kind):
    tally = evaluation.by_kind[kind]
    assert tally.recall >= (0.95 if family(kind) == "identifier" else 0.8)


def test_answers_with_nothing_identifying_are_left_alone(evaluation):
    assert evaluation.clean.total >= 80
    assert evaluation.clean.caught / evaluation.clean.total <= 0.05


@pytest.mark.parametrize(
    "text, names, gone",
    [
        ("My name is Amina Yusuf … my UCI is 1234-5678", (), ["Amina Yusuf", "1234-5678"]),
        (
            "Je m'appelle Marie-Claire Dubois … mon numéro IRCC est E001234567",
            (),
            ["Marie-Claire Dubois", "E001234567"],
        ),
        ("اسمي فاطمة الزهراء … شارع الملك فهد رقم ١٢", (), ["فاطمة الزهراء", "الملك فهد", "١٢"]),
        (
            "We live at 4410 Kingsway … ask for Juan Pablo Ortiz",
            (),
            ["4410 Kingsway", "Juan Pablo Ortiz"],
        ),
        ("我叫王丽，电话７７８-５５５-０１５５", (), ["王丽", "７７８"]),
        ("شماره من ۴۱۶-۵۵۵-۰۱۸۲ است", (), ["۴۱۶"]),
        ("ਮੇਰਾ UCI ੧੨੩੪-੫੬੭੮ ਹੈ", (), ["੧੨੩੪"]),
        ("Ask Hodan about it, she knows", ("Hodan Abdi",), ["Hodan"]),
    ],
)
def test_the_issue_examples_reach_no_one(text, names, gone):
    scrubbed = scrub(text, names)
    for piece in gone:
        assert piece not in scrubbed.text


def test_each_kind_has_a_placeholder_in_its_removed_text():
    scrubbed = scrub("My SIN is 130 692 544, passport AB123456, call 613-555-0100")
    assert scrubbed.text == "My SIN is [SIN], passport [passport number], call [phone]"
    assert scrubbed.removed_kinds == ("phone", "sin", "passport")
    assert {f.kind: f.reason for f in scrubbed.removed}["passport"] == "context"


def test_a_nine_digit_number_with_a_valid_check_digit_is_a_sin_without_context():
    (finding,) = find_identifying("le numéro 130 692 544 est refusé")
    assert (finding.kind, finding.reason) == ("sin", "check_digit")


def test_every_digit_system_reads_as_ascii_with_offsets_kept():
    text = "١٢٣ ۴۵۶ ੭੮੯ ０１ 12"
    assert ascii_digits(text) == "123 456 789 01 12"
    assert len(ascii_digits(text)) == len(text)


def test_quasi_identifiers_are_flagged_not_removed_and_generalise_in_one_step():
    scrubbed = scrub("I work at Maple Leaf Foods and my son goes to Dovercourt Public School.")
    assert scrubbed.removed == ()
    kinds = {f.kind: f for f in scrubbed.flags}
    assert set(kinds) == {"workplace", "school"}
    for flag in scrubbed.flags:
        assert scrubbed.text[flag.start : flag.end] == flag.text
    text = generalise(scrubbed.text, kinds["workplace"])
    assert text == "I work at [an employer] and my son goes to Dovercourt Public School."
    assert GENERALISATIONS["school"] == "[a school]"


def test_flags_keep_their_place_after_removals_before_them():
    scrubbed = scrub("Call 613-555-0100. I work at Costco in Kapuskasing.")
    assert scrubbed.text.startswith("Call [phone].")
    for flag in scrubbed.flags:
        assert scrubbed.text[flag.start : flag.end] == flag.text
    assert {f.kind for f in scrubbed.flags} >= {"workplace", "place"}


def test_weak_name_evidence_is_flagged_strong_evidence_removed():
    assert [f.action for f in find_identifying("I am Farida, from Afghanistan")] == ["flag"]
    assert [f.action for f in find_identifying("My name is Farida, from Afghanistan")] == ["remove"]


def test_ordinary_words_years_amounts_and_durations_are_left_alone():
    for text in [
        "Rent is $1,800 and we came in 2019; the bus takes 45 minutes.",
        "Nous attendons depuis 3 ans un médecin de famille à Montréal.",
        "Llegamos hace 2 años y el inglés es difícil en Canadá.",
        "看医生要等很久，我先生每天工作十个小时。",
        "The LINC school and Service Canada helped us on Monday.",
    ]:
        assert find_identifying(text) == (), text


def test_the_caught_rule_needs_every_letter_covered():
    text = "ask for Juan Pablo Ortiz"
    (span,) = [(8, 24, "name")]
    partial = [f for f in find_identifying("ask for Juan")]
    assert not caught(text, span, partial)
    assert caught(text, span, find_identifying(text))


def test_placeholders_cover_every_identifier_kind():
    assert set(PLACEHOLDERS) == {k for k in KINDS if family(k) != "quasi"}
