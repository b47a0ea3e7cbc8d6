"""Rendered markup of questions nobody has answered yet, reused across requests.

An unanswered question shown without an error renders the same for every
respondent: its markup depends only on the survey definition (a stored version
never changes), the language, and the choices offered (a choice filter can
narrow them). That markup is rendered once per process and reused, so a fresh
survey page costs a dictionary lookup per question instead of a template macro.
The fragments are kept with the definition (:meth:`forms.model.Survey.memo`),
at most 4,096 per definition.
Answered questions, errors and repeats are rendered for each request.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from forms.model import Survey as SurveyDefinition

_MAX_FRAGMENTS_PER_DEFINITION = 4096


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
    """The definition's rendered fragments, kept with it (:meth:`forms.model.Survey.memo`)."""
    return definition.memo("fragments", dict)
