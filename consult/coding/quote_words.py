"""The words for what quote scrubbing found and why, in the researcher's language.

:mod:`analysis.identifying` returns codes (kinds and reasons); this module words them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

KINDS = {
    "email": _l("email address"),
    "link": _l("link"),
    "phone": _l("phone number"),
    "postal_code": _l("postal code"),
    "address": _l("street address"),
    "uci": _l("IRCC client number (UCI)"),
    "application": _l("IRCC application number"),
    "sin": _l("social insurance number"),
    "health_card": _l("health card number"),
    "passport": _l("passport number"),
    "permit": _l("permit number"),
    "document_number": _l("identity or file number"),
    "name": _l("name"),
    "workplace": _l("workplace"),
    "school": _l("school"),
    "place": _l("small place"),
    "language": _l("rare language"),
    "family": _l("family detail"),
}
REASONS = {
    "pattern": _l("has the form of one"),
    "phonenumbers": _l("has the form of one"),
    "check_digit": _l("has the form of one"),
    "number_and_name": _l("has the form of one"),
    "context": _l("named by the words before it"),
    "given_elsewhere": _l("given elsewhere in the form or sign-up"),
    "introduction": _l("after words such as “my name is”"),
    "title": _l("next to a title such as Mr. or Dr."),
    "relation": _l("after a relative or a contact"),
    "capitalised": _l("capitalised like a name"),
    "known_employer": _l("in a list of known employers"),
    "work_cue": _l("after words such as “I work at”"),
    "school_word": _l("next to the word school"),
    "small_place_cue": _l("next to words such as “small town”"),
    "place_preposition": _l("a place that is not a large city"),
    "language_name": _l("a language few people speak here"),
    "count_or_age": _l("a number of children or an age"),
}


def kind_label(kind: str) -> str:
    """What was found, in the interface language."""
    return str(KINDS.get(kind, kind))


def reason_label(reason: str) -> str:
    """Why it was found, in the interface language."""
    return str(REASONS.get(reason, reason))
