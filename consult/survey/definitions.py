"""Survey definitions of stored versions, read once per process.

A stored version never changes, so its parsed form is cached by database
and version id; the form's source is only loaded on a cache miss.
"""

from __future__ import annotations

import hashlib
from threading import Lock

from sqlalchemy import select
from sqlalchemy.orm import object_session

from consult.connections import SessionOrConnection, database_of
from forms.model import Survey as SurveyDefinition
from forms.xlsform import read_xlsform

_cache: dict[tuple[object, int], SurveyDefinition] = {}
_by_content: dict[str, SurveyDefinition] = {}
_lock = Lock()
_MAX_ENTRIES = 256


def definition_of(version) -> SurveyDefinition:
    """The parsed definition of a :class:`consult.models.SurveyVersion`."""
    return _cached(object_session(version), version.id, lambda: version.source)


def definition_by_id(db: SessionOrConnection, version_id: int) -> SurveyDefinition:
    """The parsed definition of the version with this id, without loading the version
    (its source is read only the first time this process meets it)."""
    from consult.models import SurveyVersion

    def source() -> bytes:
        return db.scalar(select(SurveyVersion.source).where(SurveyVersion.id == version_id))

    return _cached(db, version_id, source)


def _cached(db: SessionOrConnection | None, version_id: int, source) -> SurveyDefinition:
    key = (database_of(db), version_id)
    found = _cache.get(key)
    if found is None:
        found = _parse(source())
        with _lock:
            if len(_cache) >= _MAX_ENTRIES:
                _cache.pop(next(iter(_cache)))
            _cache[key] = found
    return found


def _parse(source: bytes) -> SurveyDefinition:
    """Parse once per distinct form content (the same form in many databases)."""
    digest = hashlib.sha256(source).hexdigest()
    found = _by_content.get(digest)
    if found is None:
        found = read_xlsform(source, drop_unsupported=True)
        with _lock:
            if len(_by_content) >= _MAX_ENTRIES:
                _by_content.pop(next(iter(_by_content)))
            _by_content[digest] = found
    return found
