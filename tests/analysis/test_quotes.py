"""Scrubbing personal details and choosing candidate quotes."""

import pytest

from analysis.quotes import candidate_quotes, scrub_personal_details
from analysis.records import Evidence, TextUnit, ThemeMatch


@pytest.mark.parametrize(
    "text, expected, kind",
    [
        ("Write to jane.doe+lip@example.co.uk today", "Write to [email] today", "email"),
        ("Call 613-555-1234.", "Call [phone].", "phone"),
        ("Call (604) 555 1234 ext 22 please", "Call [phone] please", "phone"),
        ("Call +1 416 555 0199 now", "Call [phone] now", "phone"),
        ("My cousin: +44 20 7946 0958", "My cousin: [phone]", "phone"),
        ("En France 06 12 34 56 78", "En France [phone]", "phone"),
        ("Near K1A 0B6 and m5v2t6", "Near [postal code] and [postal code]", "postal_code"),
        ("I live at 123 Main Street in Ottawa", "I live at [address] in Ottawa", "address"),
        ("Office at 99 Queen St. W downtown", "Office at [address] downtown", "address"),
        ("J'habite au 45 rue Principale, Gatineau", "J'habite au [address], Gatineau", "address"),
        ("au 12, boulevard de la Concorde Est depuis", "au [address] depuis", "address"),
        ("See https://example.org/help?x=1. Thanks", "See [link]. Thanks", "link"),
        ("Try www.lip.ca, it helps", "Try [link], it helps", "link"),
    ],
)
def test_each_kind_is_replaced(text, expected, kind):
    result = scrub_personal_details(text)
    assert result.text == expected
    assert result.removed_kinds == (kind,)


def test_names_are_whole_words_in_any_case():
    result = scrub_personal_details(
        "I am Amira; AMIRA Haddad is my name. Amiras is not.", names=["Amira Haddad", "J"]
    )
    assert result.text == "I am [name]; [name] [name] is my name. Amiras is not."
    assert result.removed_kinds == ("name",)


def test_ordinary_numbers_and_words_survive():
    text = "I paid 1500 in 2019 and 2020; 3 kids on the way; we waited 12 months at 9:30."
    result = scrub_personal_details(text, names=["Li"])
    assert (result.text, result.removed) == (text, ())
    assert [(f.kind, f.text) for f in result.flags] == [("family", "3 kids")]  # flagged, kept


def test_several_kinds_are_reported_in_a_fixed_order():
    result = scrub_personal_details("Sam, 613-555-1234, sam@x.org", names=["Sam"])
    assert result.text == "[name], [phone], [email]"
    assert result.removed_kinds == ("email", "phone", "name")


def match(theme, count):
    return ThemeMatch(theme, tuple(Evidence(0, 1, "x", "x") for _ in range(count)))


def quote_unit(unit_id, respondent_id, text, translation=None):
    return TextUnit(unit_id, text, "en", respondent_id, translation=translation)


MEDIUM = "Finding an apartment we could afford took us almost a whole year in this city."


def test_candidate_quotes_prefer_evidence_then_length_then_id():
    units = [
        (quote_unit("u1", "r1", MEDIUM), [match("housing", 1)]),
        (quote_unit("u2", "r2", MEDIUM), [match("housing", 3)]),
        (quote_unit("u3", "r3", "Rent is too high for us."), [match("housing", 1)]),
        (quote_unit("u0", "r4", MEDIUM), [match("housing", 1), match("income", 1)]),
        (quote_unit("u4", "r5", "Rent."), [match("housing", 5)]),  # too short
        (quote_unit("u5", "r6", "word " * 100), [match("housing", 5)]),  # too long
    ]
    quotes = candidate_quotes(units, per_theme=3)
    assert [q.unit_id for q in quotes["housing"]] == ["u2", "u0", "u1"]
    assert [q.unit_id for q in quotes["income"]] == ["u0"]
    assert quotes["housing"][0].evidence_count == 3
    assert candidate_quotes(reversed(units), per_theme=3) == quotes


def test_candidate_quotes_are_scrubbed_one_per_respondent():
    units = [
        (
            quote_unit(
                "u1",
                "r1",
                "Call Amira at 613-555-1234 about the housing list please",
                translation="Appelez Amira au 613-555-1234",
            ),
            [match("housing", 2)],
        ),
        (quote_unit("u2", "r1", MEDIUM), [match("housing", 2)]),
        (quote_unit("u3", "r2", MEDIUM), [match("housing", 1)]),
    ]
    quotes = candidate_quotes(units, names={"r1": ["Amira"]})["housing"]
    assert [q.unit_id for q in quotes] == ["u2", "u3"]  # fewer details removed ranks first
    quotes = candidate_quotes(units[:1], names={"r1": ["Amira"]})["housing"]
    assert quotes[0].text == "Call [name] at [phone] about the housing list please"
    assert quotes[0].translation == "Appelez [name] au [phone]"
    assert quotes[0].removed_kinds == ("phone", "name")


def test_max_length_applies_after_scrubbing():
    text = "Please email me at a.very.long.address.for.testing@example.com about housing"
    units = [(quote_unit("u1", "r1", text), [match("housing", 1)])]
    assert candidate_quotes(units, max_length=60)["housing"][0].unit_id == "u1"
    assert candidate_quotes(units, max_length=30) == {}


def test_review_applies_choices_and_lists_what_is_unresolved():
    from analysis.quotes import GENERALISE, KEEP, marked_segments, review_quote

    text = "I work at Costco in Kapuskasing and my kids go to Dovercourt Public School."
    first = review_quote(text, (), {})
    keys = {f.kind: f.key for f in first.flags}
    assert set(keys) == {"workplace", "place", "school"}
    assert {f.kind for f in first.unresolved} == set(keys) and first.text == text
    review = review_quote(text, (), {keys["workplace"]: GENERALISE, keys["place"]: KEEP})
    assert review.text.startswith("I work at [an employer] in Kapuskasing")
    assert [f.kind for f in review.generalised] == ["workplace"]
    assert [f.kind for f in review.kept] == ["place"]
    assert [f.kind for f in review.unresolved] == ["school"]
    typed = review_quote("Call me, Amira, at 613-555-1234", ["Amira"], {})
    assert typed.text == "Call me, [name], at [phone]" and typed.unresolved == ()
    pieces = marked_segments(first.text, first.flags)
    assert "".join(p for p, _ in pieces) == text
    assert [p for p, f in pieces if f] == ["Costco", "Kapuskasing", "Dovercourt Public School"]


def test_only_the_best_on_raw_text_are_scrubbed_and_short_ones_never_crowd_them_out(
    monkeypatch,
):
    from analysis import quotes as module

    short = [(quote_unit(f"s{i}", f"r{i}", "Rent."), [match("housing", 9)]) for i in range(50)]
    weak = [
        (quote_unit(f"w{i:02}", f"q{i}", MEDIUM + f" {i}"), [match("housing", 1)])
        for i in range(40)
    ]
    best = (quote_unit("b1", "rb", MEDIUM), [match("housing", 3)])
    calls = []
    real = module.scrub_personal_details
    monkeypatch.setattr(
        module, "scrub_personal_details", lambda text, names=(): calls.append(text) or real(text)
    )
    quotes = candidate_quotes([*short, *weak, best], per_theme=2)["housing"]
    assert [q.unit_id for q in quotes] == ["b1", "w00"]
    assert len(calls) == module.POOL * 2
