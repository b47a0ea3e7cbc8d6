"""Language negotiation: URL, then session, then Accept-Language, then English."""

import pytest

from consult.i18n import UI_LANGUAGES, language


def html_lang(response) -> str:
    return response.text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_accept_language_is_used_when_nothing_was_chosen(client):
    assert (
        html_lang(client.get("/", headers={"Accept-Language": "fa-IR,fa;q=0.9,en;q=0.5"})) == "fa"
    )
    assert html_lang(client.get("/", headers={"Accept-Language": "zh-CN"})) == "zh-Hans"
    assert html_lang(client.get("/", headers={"Accept-Language": "de, ja"})) == "en"


def test_url_beats_session_and_session_beats_browser(client):
    french_browser = {"Accept-Language": "fr"}
    assert html_lang(client.get("/?lang=ar", headers=french_browser)) == "ar"
    assert html_lang(client.get("/", headers=french_browser)) == "ar"  # remembered
    assert html_lang(client.get("/?lang=so", headers=french_browser)) == "so"
    assert html_lang(client.get("/?lang=xx-nonsense", headers=french_browser)) == "so"


def test_interface_strings_come_from_the_catalogue(client):
    assert "langue" in client.get("/?lang=fr").text
    arabic = client.get("/?lang=ar").text
    assert "Choose your language" not in arabic


@pytest.mark.parametrize("code", UI_LANGUAGES)
def test_every_language_has_a_compiled_catalogue_and_direction(client, code):
    page = client.get(f"/?lang={code}")
    direction = "rtl" if code in {"ar", "fa", "ur"} else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in page.text
    assert language(code).direction == direction
    if code != "en":
        assert "Open surveys" not in page.text, f"{code}: the index is not translated"
