"""Languages of the interface: which exist, their own names, direction, negotiation.

The language comes from the URL (``?lang=``) or the picker, then the
session, then the browser's Accept-Language, then English.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from flask import Flask, g, has_app_context, request, session
from flask_babel import (
    Babel,
    force_locale,
    format_decimal,
    get_locale,
    get_translations,
    refresh,
)
from jinja2 import pass_context

from consult.textdir import isolate
from forms.languages import to_babel

UI_LANGUAGES = ("en", "fr", "ar", "zh-Hans", "pa", "tl", "es", "fa", "ur", "uk", "ti", "so")
"""The languages Consult's interface is translated into, in picker order."""

_OWN_NAME_OVERRIDES = {"tl": "Tagalog"}
# Babel treats ``tl`` as an alias of Filipino; Tagalog speakers call it Tagalog.


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    own_name: str
    english_name: str
    direction: str

    @property
    def is_rtl(self) -> bool:
        return self.direction == "rtl"


@lru_cache(maxsize=256)
def language(code: str) -> Language:
    """A language by BCP 47 code, with its name in its own script and its direction."""
    locale = Locale.parse(to_babel(code))
    own = _OWN_NAME_OVERRIDES.get(code) or locale.get_display_name(locale) or code
    english = locale.get_display_name("en") or code
    if code == "tl":
        english = "Tagalog"
    return Language(code, own[:1].upper() + own[1:], english, locale.text_direction)


def language_name_in(code: str, display: str) -> str:
    """The name of language ``code`` written in language ``display`` ("arabe" in French)."""
    if code == "tl":
        return "Tagalog"
    try:
        locale = Locale.parse(to_babel(code))
        name = locale.get_display_name(Locale.parse(to_babel(display)))
    except (ValueError, TypeError):
        return code
    return (name or code)[:1].upper() + (name or code)[1:]


def ui_languages() -> list[Language]:
    """Every interface language, for the picker."""
    return [language(code) for code in UI_LANGUAGES]


def normalise_code(value: str | None, allowed: tuple[str, ...] = UI_LANGUAGES) -> str | None:
    """The allowed code matching ``value`` case-insensitively (``zh_hans`` -> ``zh-Hans``)."""
    if not value:
        return None
    wanted = value.replace("_", "-").casefold()
    for code in allowed:
        if code.casefold() == wanted:
            return code
    return None


def negotiate(allowed: tuple[str, ...] = UI_LANGUAGES) -> str:
    """The language for this request: URL, then session, then browser, then English."""
    chosen = normalise_code(request.args.get("lang"), allowed)
    if chosen:
        session["lang"] = chosen
        return chosen
    remembered = normalise_code(session.get("lang"), allowed)
    if remembered:
        return remembered
    return _from_accept_language(allowed) or "en"


def _from_accept_language(allowed: tuple[str, ...]) -> str | None:
    for value, _quality in request.accept_languages:
        exact = normalise_code(value, allowed)
        if exact:
            return exact
        if value.lower().startswith("zh") and "zh-Hans" in allowed:
            return "zh-Hans"
        base = normalise_code(value.split("-")[0], allowed)
        if base:
            return base
    return None


def current_language() -> Language:
    """The negotiated language of this request (cached on the request)."""
    code = getattr(request, "_consult_lang", None)
    if code is None:
        code = negotiate()
        request._consult_lang = code
    return language(code)


def use_language(code: str, remember: bool = True) -> None:
    """Answer this request in ``code`` and (unless not ``remember``) for the next ones."""
    request._consult_lang = code
    refresh()
    remembered = normalise_code(code) if remember else None
    if remembered and session.get("lang") != remembered:  # an unchanged cookie is not re-sent
        session["lang"] = remembered


def _select_locale() -> str:
    return to_babel(current_language().code)


def number(value: float) -> str:
    """A count as the interface language writes it (``1,840``; ``1 840`` in French)."""
    return format_decimal(value)


def decimal2(value: float) -> str:
    """A share to two decimals as the interface language writes it (``0.86``; ``0,86``)."""
    return format_decimal(value, format="0.00")


def init_app(app: Flask) -> None:
    """Attach Flask-Babel with Consult's language negotiation."""
    Babel(app, locale_selector=_select_locale)
    _install_template_gettext(app)
    app.add_template_filter(language, "language_of")
    app.add_template_filter(isolate_in_rtl, "isolate")
    app.add_template_filter(number, "number")
    app.add_template_filter(decimal2, "decimal2")

    @app.context_processor
    def _language_context():
        return {"current_language": current_language(), "ui_languages": ui_languages()}


def _catalogue():
    """This context's translations, looked up once per request and locale.

    Flask-Babel resolves the locale and its catalogue on every call; templates
    call gettext often. The catalogue is kept where Flask-Babel itself expects
    it (``babel_translations``), which ``refresh()`` and ``force_locale()`` reset.
    """
    if not g:
        return get_translations()
    babel_context = getattr(g, "_flask_babel", None)
    found = getattr(babel_context, "babel_translations", None)
    if found is None:
        found = get_translations()
        g._flask_babel.babel_translations = found  # get_translations made the namespace
    return found


def _install_template_gettext(app: Flask) -> None:
    env = app.jinja_env
    env.install_gettext_callables(
        gettext=lambda s: _catalogue().ugettext(s),
        ngettext=lambda s, p, n: _catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: _catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )
    for name in ("gettext", "ngettext", "pgettext", "npgettext"):  # `_` calls gettext
        if name in env.globals:
            env.globals[name] = _isolating(env.globals[name])


def _isolating(translate):
    """A template's ``_()`` whose result, on a right-to-left page, has its numbers,
    codes, emails and URLs isolated (``consult.textdir``), after the variables
    are filled in."""

    @pass_context
    def call(context, *args, **kwargs):
        return isolate_in_rtl(translate(context, *args, **kwargs))

    return call


def isolate_in_rtl(value):
    """The ``isolate`` filter: on a right-to-left page, ``value`` with its
    left-to-right runs in ``<bdi dir="ltr">``; elsewhere ``value`` unchanged."""
    if has_app_context() and get_locale().text_direction == "rtl":
        return isolate(value)
    return value


def force_language(code: str):
    """Translate in ``code`` inside the ``with`` block (``zh-Hans`` is Babel's ``zh_Hans``)."""
    return force_locale(to_babel(code))
