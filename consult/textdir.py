"""Numbers, codes, emails and URLs isolated inside right-to-left text.

In a right-to-left paragraph the Unicode bidi algorithm orders a run of
numbers separated by spaces or hyphens from right to left: the example
phone number ``613 555 0100`` shows as ``0100 555 613``, the date
``2024-05-31`` as ``31-05-2024``, and ``68% (47–84%)`` as ``(84%–47) 68%``.
Each such run is wrapped in ``<bdi dir="ltr">``, so it is laid out on its own,
left to right, wherever it sits in the sentence.

What counts as a run: one or more tokens separated only by spaces, where a
token (minus trailing sentence punctuation, which stays outside) holds a
digit of any script or is an email or a URL, and is otherwise made of digits,
ASCII letters and signs (``+ - : / . , % ( )``, dashes, the Arabic decimal,
thousands and percent signs). A run that is one plain number (``18``) needs
no isolation and is left as it is; so is everything in left-to-right text.

Used three ways: every interface string a template translates (``_()``) on a
right-to-left page, the ``isolate`` filter for text made in Python (error
messages), and survey wording.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|\S+")
_TAGS = re.compile(r"(<[^>]*>)")
_TRAILING = ".,;:!?،؛؟。，；：！？」』)"
_SIGNS = set("\u066b\u066c\u066a\u2013\u2014\u2212\u00d7")
_URL_STARTS = ("http://", "https://", "www.")


def _core(token: str) -> str:
    """The token without trailing sentence punctuation (a closing parenthesis is
    kept when the token opened one)."""
    core = token.rstrip(_TRAILING)
    if token[len(core) :].startswith(")") and core.count("(") > core.count(")"):
        core += ")"
    return core


def _is_left_to_right(core: str) -> bool:
    if not core:
        return False
    if core.lower().startswith(_URL_STARTS) or ("@" in core and "." in core.split("@")[-1]):
        return True
    if not any(c.isdecimal() for c in core):
        return False
    return all(c.isdecimal() or (c.isascii() and c.isprintable()) or c in _SIGNS for c in core)


def _worth_isolating(run: str) -> bool:
    return not run.isdecimal()


@lru_cache(maxsize=8192)
def isolate_text(text: str) -> str:
    """``text`` escaped as HTML, each left-to-right run in ``<bdi dir="ltr">``."""
    out: list[str] = []
    run: list[str] = []  # tokens (and the spaces between them) of the open run
    pending = ""  # spaces after the open run, not yet known to continue it

    def close(trailing: str = "") -> None:
        nonlocal pending
        text_of_run = "".join(run)
        if text_of_run:
            if _worth_isolating(text_of_run):
                out.append(f'<bdi dir="ltr">{escape(text_of_run)}</bdi>')
            else:
                out.append(str(escape(text_of_run)))
        run.clear()
        out.append(str(escape(trailing + pending)))
        pending = ""

    for token in _TOKENS.findall(text):
        if token.isspace():
            if run:
                pending += token
            else:
                out.append(str(escape(token)))
            continue
        core = _core(token)
        if _is_left_to_right(core):
            if run:
                run.append(pending)
                pending = ""
            run.append(core)
            if len(core) < len(token):
                close(token[len(core) :])
        else:
            if run:
                close()
            out.append(str(escape(token)))
    if run:
        close()
    else:
        out.append(str(escape(pending)))
    return "".join(out)


def isolate(value) -> Markup:
    """Text (escaped) or markup with its left-to-right runs isolated.

    Markup is changed only between its tags (an entity stays one character).
    """
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        parts = _TAGS.split(str(value))
        return Markup(  # noqa: S704 (tags kept as they were, text escaped by isolate_text)
            "".join(
                part if index % 2 else isolate_text(unescape(part))
                for index, part in enumerate(parts)
            )
        )
    return Markup(isolate_text(str(value)))  # noqa: S704 (escaped by isolate_text)
