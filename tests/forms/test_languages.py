import pytest

from forms.languages import UnknownLanguage, language_code


@pytest.mark.parametrize(
    ("column", "code"),
    [
        ("Arabic (ar)", "ar"),
        ("english", "en"),
        ("English", "en"),
        ("العربية", "ar"),
        ("Dari", "fa-AF"),
        ("Chinese (zh-Hans)", "zh-Hans"),
        ("Chinese (zh_hans)", "zh-Hans"),
        ("Français", "fr"),
        ("ਪੰਜਾਬੀ", "pa"),
        ("ትግርኛ", "ti"),
        ("Soomaali", "so"),
        ("Tagalog (tl)", "tl"),
        ("Farsi (fa)", "fa"),
        ("es", "es"),
    ],
)
def test_language_names_resolve_to_codes(column, code):
    assert language_code(column) == code


@pytest.mark.parametrize("column", ["Elvish", "Arabic (zz)", "", "Qwerty (qqq-Xx)"])
def test_unknown_language_is_an_error_naming_it(column):
    with pytest.raises(UnknownLanguage) as error:
        language_code(column)
    assert error.value.language == column
