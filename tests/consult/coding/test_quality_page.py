"""Per theme, how often the coder is right and how many it finds, in words, on the
codebook page (cross-validated counts of the latest training, with intervals)."""

from analysis.stats import proportion_with_interval
from consult.coding.quality_words import out_of_ten
from tests.conftest import sign_in
from tests.consult.coding.test_background import _record_training
from tests.consult.coding.test_queue import RESEARCHER

QUALITY = {
    "housing": {"rule": "model", "tp": 16, "fp": 4, "fn": 2, "threshold": 0.4},
    "health": {"rule": "keywords", "tp": 3, "fp": 1, "fn": 2, "threshold": None},
    "income": {"rule": "keywords", "tp": 0, "fp": 0, "fn": 12, "threshold": None},
}


def test_out_of_ten_rounds_the_share_and_its_interval():
    assert out_of_ten(proportion_with_interval(16, 20)) == (8, 6, 9)
    assert out_of_ten(proportion_with_interval(16, 18)) == (9, 7, 10)


def test_the_codebook_page_says_per_theme_how_often_the_coder_is_right(app, client):
    sign_in(client, *RESEARCHER)
    before = client.get("/research/codebook/").text
    assert "has not learned from reviewed answers yet" in before
    _record_training(app, QUALITY)

    page = client.get("/research/codebook/").text

    assert "Estimated from 30 reviewed answers and 12 imported examples" in page
    housing = page[page.index('id="quality-housing"') :].split("</tr>")[0]
    assert "what it learned, with its keywords" in housing
    assert "Of 10 answers the coder marks as Housing, about 8 are right (between 6 and 9)" in (
        housing
    )
    assert "Of 10 answers that are about Housing, it finds about 9 (between 7 and 10)" in housing
    health = page[page.index('id="quality-health"') :].split("</tr>")[0]
    assert "its keywords" in health and "Too few reviewed answers" in health  # 5 reviewed
    income = page[page.index('id="quality-income"') :].split("</tr>")[0]
    assert (
        "It marked none of the reviewed answers as Income, cost of living and basic needs."
        in income
    )
    assert "it finds about 0 (between 0 and 2)" in income
    employment = page[page.index('id="quality-employment"') :].split("</tr>")[0]
    assert "No reviewed answers yet." in employment


def test_the_codebook_page_speaks_the_researchers_language(app, client):
    sign_in(client, *RESEARCHER)
    _record_training(app, QUALITY)
    page = client.get("/research/codebook/?lang=fr").text
    assert "Sur 10 réponses que le codeur classe" in page
