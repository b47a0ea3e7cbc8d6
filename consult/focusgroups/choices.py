"""Choice lists of the focus-group forms, with labels in the interface language.

The make-up questions use the same choice names as the demo survey
(``forms/demo/needs_assessment.md``) so both sources break down the same way.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

YEARS_IN_CANADA = (
    ("lt1", _l("Less than 1 year")),
    ("y1_3", _l("1 to 3 years")),
    ("y4_5", _l("4 to 5 years")),
    ("y6_10", _l("6 to 10 years")),
    ("gt10", _l("More than 10 years")),
)

AGE_BAND = (
    ("a18_24", _l("18 to 24")),
    ("a25_34", _l("25 to 34")),
    ("a35_44", _l("35 to 44")),
    ("a45_54", _l("45 to 54")),
    ("a55_64", _l("55 to 64")),
    ("a65_plus", _l("65 or older")),
    ("no_say", _l("I prefer not to say")),
)

GENDER = (
    ("woman", _l("Woman")),
    ("man", _l("Man")),
    ("another", _l("Another gender")),
    ("no_say", _l("I prefer not to say")),
)

AVAILABILITY = (
    ("weekday_day", _l("Weekdays, during the day")),
    ("weekday_evening", _l("Weekday evenings")),
    ("weekend", _l("Weekends")),
)

CONTACT_METHODS = (
    ("phone", _l("Phone call")),
    ("text", _l("Text message")),
    ("email", _l("Email")),
)

MODES = (
    ("in_person", _l("In person")),
    ("online", _l("Online")),
)

STATUSES = (
    ("open", _l("Open for sign-up")),
    ("full", _l("Full (new sign-ups go to the waitlist)")),
    ("held", _l("Held")),
    ("cancelled", _l("Cancelled")),
)

TIMEZONES = (
    ("America/Vancouver", _l("Pacific time (British Columbia)")),
    ("America/Edmonton", _l("Mountain time (Alberta)")),
    ("America/Regina", _l("Saskatchewan time")),
    ("America/Winnipeg", _l("Central time (Manitoba)")),
    ("America/Toronto", _l("Eastern time (Ontario, Quebec)")),
    ("America/Halifax", _l("Atlantic time")),
    ("America/St_Johns", _l("Newfoundland time")),
    ("America/Whitehorse", _l("Yukon time")),
)

OTHER_LANGUAGE = "other"
"""The preferred-language choice for a language the interface does not have."""

TRANSLATION_LANGUAGES = ("en", "fr")
"""Languages a segment's translation may be in (the codebook's reference languages)."""

MAKE_UP_QUESTIONS = ("preferred_language", "years_in_canada", "age_band", "gender")


def label_of(choices, name: str | None) -> str:
    """The label of ``name`` in a choice list, or the name itself."""
    for value, label in choices:
        if value == name:
            return str(label)
    return name or ""
