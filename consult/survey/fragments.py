"""Rendered markup of questions nobody has answered yet, reused across requests.

An unanswered question shown without an error renders the same for every
respondent: its markup depends only on the survey definition (a stored version
never changes), the language, and the choices offered (a choice filter can
narrow them). That markup is rendered once per process and reused, so a fresh
survey page costs a dictionary lookup per question instead of a template macro.
Answered questions, errors and repeats are rendered for each request.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from forms.model import Survey as SurveyDefinition

_MAX_DEFINITIONS = 64
_MAX_FRAGMENTS_PER_DEFINITION = 4096

_lock = Lock()
# Keyed by id(definition); each entry keeps the definition itself so its id
# cannot be reused by another object while the entry exists.
_by_definition: OrderedDict[int, tuple[SurveyDefinition, dict]] = OrderedDict()


def fragment(definition: SurveyDefinition, key: tuple, render: Callable[[], Markup]) -> Markup:
    """The markup for ``key`` in ``definition``, rendered by ``render`` on first use."""
    fragments = _fragments_of(definition)
    found = fragments.get(key)
    if found is None:
        found = render()
        if len(fragments) < _MAX_FRAGMENTS_PER_DEFINITION:
            fragments[key] = found
    return found


_TOKEN_SLOT = "__consult_csrf_token_slot__"  # noqa: S105 (a placeholder, not a secret)


def page(definition: SurveyDefinition, key: tuple, render: Callable[[], str]) -> str:
    """A whole page for ``key``, rendered once with its CSRF token left as a slot;
    each request fills the slot with its own token."""

    def render_with_slot() -> str:
        return render().replace(generate_csrf(), _TOKEN_SLOT)

    return fragment(definition, key, render_with_slot).replace(_TOKEN_SLOT, generate_csrf())


def _fragments_of(definition: SurveyDefinition) -> dict:
    entry = _by_definition.get(id(definition))
    if entry is not None and entry[0] is definition:
        return entry[1]
    with _lock:
        entry = (definition, {})
        _by_definition[id(definition)] = entry
        while len(_by_definition) > _MAX_DEFINITIONS:
            _by_definition.popitem(last=False)
    return entry[1]
