"""The web form's pages see calculations, as ODK keeps every calculate up to date.

onadata's grains survey ranks each brand with ``. <= ${maize_brands_stocked}``
where that is ``count-selected(${flour_brands_maize})``: a page read without the
calculation compared the rank with an empty value and refused every answer.
"""

from forms.flow import read_page, survey_pages, visible_pages
from forms.xlsform import read_xlsform
from tests.forms.inline import md_form

FORM = read_xlsform(
    md_form(
        """
        | survey |
        |        | type                   | name    | label          | calculation           | constraint         | relevant    |
        |        | select_multiple brands | brands  | Brands stocked |                       |                    |             |
        |        | calculate              | stocked |                | count-selected(${brands}) |                |             |
        |        | integer                | rank    | Rank of A      |                       | . <= ${stocked}    |             |
        |        | text                   | why     | Why so many?   |                       |                    | ${stocked} > 1 |
        | choices |
        |         | list_name | name | label |
        |         | brands    | a    | A     |
        |         | brands    | b    | B     |
        """
    )
)


def _page_of(name: str):
    return next(p for p in survey_pages(FORM) if any(e.name == name for e in p.elements))


def test_a_constraint_reads_a_calculation_from_earlier_answers():
    page = _page_of("rank")
    reading = read_page(page, {"rank": ["2"]}, {"brands": ["a", "b"]}, survey=FORM)
    assert reading.problems == []
    reading = read_page(page, {"rank": ["3"]}, {"brands": ["a", "b"]}, survey=FORM)
    assert [p.code for p in reading.problems] == ["constraint"]


def test_a_page_shows_when_a_calculation_makes_it_relevant():
    names = lambda answers: [e.name for p in visible_pages(FORM, answers) for e in p.elements]  # noqa: E731
    assert "why" in names({"brands": ["a", "b"]})
    assert "why" not in names({"brands": ["a"]})
