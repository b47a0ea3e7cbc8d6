"""How a breakdown's groups are named on staff pages and in reports: a breakdown
question's choice labels, languages, answer sources and months, in ``lang``."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_skeleton
from flask_babel import gettext as _

from analysis.aggregate import LANGUAGE, NOT_STATED, SOURCE
from analysis.records import SOURCE_SURVEY
from analysis.report import MONTH
from consult.i18n import language, language_name_in
from forms.model import localized


def group_labeller(definitions, lang: str, own_language_names: bool = False):
    """``label(attribute, group)`` for the groups of these definitions' breakdowns;
    languages named in ``lang`` (reports), or each in its own (the researcher's review)."""
    labels = {}
    for definition in definitions:
        for question in definition.breakdown_questions():
            for choice in question.choices:
                labels[(question.name, choice.name)] = localized(
                    choice.label, lang, definition.default_language
                )[0]

    def label(attribute: str, group: str) -> str:
        if attribute == LANGUAGE and own_language_names and group != NOT_STATED:
            return language(group).own_name
        if attribute == LANGUAGE:
            return _("Other languages") if group == NOT_STATED else language_name_in(group, lang)
        if group == NOT_STATED:
            return _("Not stated")
        if attribute == SOURCE:
            return _("Survey") if group == SOURCE_SURVEY else _("Focus groups")
        if attribute == MONTH:
            year, month = (int(part) for part in group.split("-"))
            return format_skeleton("yMMM", datetime(year, month, 1), locale=lang.replace("-", "_"))
        return labels.get((attribute, group), group)

    return label
