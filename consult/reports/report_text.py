"""A prepared report laid out in one language: titles, group names, quotes, methods.

Everything here reads the protected counts of :class:`consult.reports.build.Prepared`
and the wording of the codebook and the forms; nothing reads raw data.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from analysis.aggregate import LANGUAGE, SOURCE
from analysis.codebook import Codebook
from analysis.report import Quote, Report, build_report
from consult.group_labels import group_labeller
from consult.i18n import force_language
from consult.reports.build import Prepared, aware
from consult.waves.publication import comparison_section
from forms.model import localized

_ONE_MICROSECOND = timedelta(microseconds=1)


def report_in(prepared: Prepared, lang: str) -> Report:
    """The report of ``prepared`` in ``lang``."""
    codebook = prepared.codebook
    titles = dict(prepared.scope.titles)
    with force_language(lang):
        return build_report(
            prepared.protection.counts,
            title=titles.get(lang) or prepared.scope.title,
            title_fallback=lang != "en" and not titles.get(lang),
            language=lang,
            period=_period_text(prepared.period),
            theme_label=lambda key: codebook.theme(key).label(lang) if key in codebook else key,
            untranslated_themes=_untranslated(codebook, lang),
            group_label=group_labeller(prepared.definitions, lang),
            table_titles=_table_titles(prepared.definitions, prepared.scope.breakdowns, lang),
            quotes=_quotes_in(prepared.quotes, lang),
            methods=_methods(prepared),
            comparisons=tuple(comparison_section(c, codebook, lang) for c in prepared.comparisons),
        )


def _quotes_in(quotes, lang: str) -> dict[str, list[Quote]]:
    """Quotes per theme, each in its own language; the translation goes with it when the
    report is in another language (and is shown apart, in its own direction)."""
    found: dict[str, list[Quote]] = {}
    for quote in quotes:
        translated = quote.language.split("-")[0] != lang and quote.translation
        found.setdefault(quote.theme, []).append(
            Quote(
                text=quote.text,
                language=quote.language,
                translation=quote.translation if translated else None,
                translation_language=(quote.translation_language or "en") if translated else None,
            )
        )
    return found


def _period_text(period: tuple[datetime, datetime]) -> tuple[str, str]:
    start, until = period
    last = aware(until) - _ONE_MICROSECOND
    return (start.date().isoformat(), last.date().isoformat())


def _untranslated(codebook: Codebook, lang: str) -> frozenset[str]:
    """Keys of the themes with no label in ``lang`` (shown with their English label)."""
    return frozenset(t.key for t in codebook.themes if not t.labels.get(lang))


def _table_titles(definitions, breakdowns, lang: str) -> dict[str, str]:
    titles = {
        LANGUAGE: _("By language of the answers"),
        SOURCE: _("Survey and focus groups side by side"),
    }
    for name in breakdowns:
        for definition in definitions:
            try:
                question = definition.question(name)
            except KeyError:
                continue
            text = localized(question.label, lang, definition.default_language)[0]
            titles[name] = _("By answer to: %(question)s", question=text)
            break
    return titles


def _methods(prepared: Prepared) -> dict:
    counts = prepared.protection.counts
    methods = {
        "respondents_text": _("Respondents: everyone who answered in the period, counted once."),
        "coding": _(
            "Free-text answers and focus-group notes were coded automatically with the "
            "partnership's codebook (version %(version)s), in the language they were written "
            "in; researchers reviewed the codes, and their decisions replace the automatic ones.",
            version=prepared.codebook_version,
        ),
        "agreement": _agreement_text(prepared.kappa),
        "suppression": _(
            "Every number in this summary is rounded at random to a multiple of %(base)s, as "
            "Statistics Canada does with census counts: up or down, more often towards the "
            "nearer multiple. A number below %(base)s shows as “fewer than %(base)s”, parts may "
            "not add up to their total, and shares and intervals are worked out from the rounded "
            "numbers. The rounding is drawn again whenever the answers change (for example when "
            "someone withdraws), and it is checked so that no number of fewer than "
            "%(threshold)s people can be worked out from this summary, alone or together with "
            "the partnership's earlier summaries.",
            base=counts.base,
            threshold=counts.threshold,
        ),
        "sentiment": _(
            "Sentiment is measured only for English and French texts and texts with a human "
            "translation; each person counts once per theme, by the overall tone of what they "
            "wrote about it."
        ),
    }
    if prepared.protection.hidden:
        methods["hidden"] = _(
            "Numbers marked “hidden to protect a small group” are hidden because, with the "
            "others, they would let someone work out a group of fewer than %(threshold)s people.",
            threshold=counts.threshold,
        )
    return methods


def _agreement_text(kappa: float | None) -> str:
    if kappa is None:
        return _("Agreement between automatic and human coding has not been measured yet.")
    return _(
        "On samples coded independently by researchers, automatic coding agreed with people "
        "with a mean Cohen's kappa of %(kappa)s across themes.",
        kappa=f"{kappa:.2f}",
    )
