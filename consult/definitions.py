"""Survey definitions of stored versions: one cache, per process.

A stored version never changes, so its parsed definition is kept by (database,
version id), and its source read only on a miss; a form stored in many
databases (one per test, say) is parsed once, by content. Everything worked out
from a definition (its pages, translation coverage, offered languages, the
markup of unanswered questions) is memoised on the definition itself
(:meth:`forms.model.Survey.memo`), so it lives as long as the definition does
in this cache and needs no cache of its own.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from sqlalchemy import Connection, select
from sqlalchemy.orm import object_session

from forms.localize import Wording, wording
from forms.model import Survey as SurveyDefinition
from forms.xlsform import read_xlsform

MAX_DEFINITIONS = 256
"""Definitions kept per process (the first kept goes first when it is full)."""


class _Kept:
    """A bounded map, oldest entry out first, safe across threads."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, SurveyDefinition] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, load: Callable[[], SurveyDefinition]) -> SurveyDefinition:
        found = self._entries.get(key)
        if found is None:
            found = load()
            with self._lock:
                self._entries[key] = found
                while len(self._entries) > self._size:
                    self._entries.popitem(last=False)
        return found


_by_version = _Kept(MAX_DEFINITIONS)
_by_content = _Kept(MAX_DEFINITIONS)


def definition_of(version) -> SurveyDefinition:
    """The parsed definition of a :class:`consult.models.SurveyVersion`."""
    session = object_session(version)
    key = ("" if session is None else session.get_bind().url, version.id)
    return _by_version.get(key, lambda: _parse(version.source))


def definition_by_id(connection: Connection, version_id: int) -> SurveyDefinition:
    """The parsed definition of the version with this id, without loading the version
    (its source is read only the first time this process meets it)."""
    from consult.models import SurveyVersion

    def source() -> bytes:
        return connection.scalar(select(SurveyVersion.source).where(SurveyVersion.id == version_id))

    return _by_version.get((connection.engine.url, version_id), lambda: _parse(source()))


def _parse(source: bytes) -> SurveyDefinition:
    """Parse once per distinct form content (the same form in many databases).

    A stored form was checked against the question bank when it was imported;
    it is read as it is (a question that no longer matches is not counted as a
    core indicator, :func:`forms.bank.core_indicators`).
    """
    digest = hashlib.sha256(source).hexdigest()
    return _by_content.get(
        digest, lambda: read_xlsform(source, drop_unsupported=True, check_bank=False)
    )


def title_wording(survey, language: str | None = None) -> Wording:
    """The survey's title in ``language`` (default: this request's), marked when it
    falls back to another language; the slug when the form has no title.
    ``survey``: a stored survey or its record."""
    from consult.i18n import current_language

    code = language or current_language().code
    definition = survey.definition
    if definition is None:
        return Wording(survey.slug, False, code)
    found = wording(definition.title, code, definition.default_language)
    return found if found.text else Wording(survey.slug, False, code)


def title_in(survey, language: str | None = None) -> str:
    """The survey's title in ``language`` (default: this request's), else its default
    language's, else its slug. ``survey``: a stored survey or its record."""
    return title_wording(survey, language).text
