"""Numbers, codes, emails and URLs isolated inside right-to-left text."""

import re

import pytest
from markupsafe import Markup

from consult.textdir import isolate, isolate_text


@pytest.mark.parametrize(
    ("text", "isolated"),
    [
        ("مثلاً 613 555 0100 یا name@example.ca.", ["613 555 0100", "name@example.ca"]),
        ("68% (47–84%) من المشاركين", ["68% (47–84%)"]),
        ("التاريخ 2024-05-31، الساعة 14:30", ["2024-05-31", "14:30"]),
        ("رقم ۶۱۳ ۵۵۵ ۰۱۲۳.", ["۶۱۳ ۵۵۵ ۰۱۲۳"]),
        ("الرمز K7QM-3XPA-9B", ["K7QM-3XPA-9B"]),
        ("راجع https://riverside-lip.example/a?b=1.", ["https://riverside-lip.example/a?b=1"]),
        ("هاتف +1 (613) 555-0100", ["+1 (613) 555-0100"]),
    ],
)
def test_left_to_right_runs_are_isolated_and_sentence_punctuation_stays_outside(text, isolated):
    html = isolate_text(text)
    assert re.findall(r'<bdi dir="ltr">(.*?)</bdi>', html) == isolated
    assert re.sub(r"</?bdi[^>]*>", "", html) == text


def test_a_plain_number_and_words_are_left_alone():
    assert isolate_text("كم عمرك؟ 18 سنة") == "كم عمرك؟ 18 سنة"
    assert isolate_text("Page 3 of 8") == "Page 3 of 8"


def test_text_is_escaped_and_markup_changes_only_between_tags():
    assert isolate_text("<b> 5-6") == '&lt;b&gt; <bdi dir="ltr">5-6</bdi>'
    markup = Markup('<a href="#q-2024-05">&#39;x&#39; 2024-05-31</a>')
    assert str(isolate(markup)) == (
        '<a href="#q-2024-05">&#39;x&#39; <bdi dir="ltr">2024-05-31</bdi></a>'
    )
