"""Compile the gettext catalogues under ``translations/`` when they change.

Runs at start-up (and from ``make``), so a stale or missing ``.mo`` cannot
happen. Babel reads some codes as another locale (``tl`` is parsed as
``fil_PH``); the compiled file is written where Babel will look for it.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)


def compiled_path(po_path: Path) -> Path:
    """Where the ``.mo`` for a ``translations/<code>/LC_MESSAGES/messages.po`` goes."""
    folder = po_path.parent.parent.name
    babel_name = str(Locale.parse(folder))
    return po_path.parent.parent.parent / babel_name / "LC_MESSAGES" / "messages.mo"


def ensure_compiled(translations: Path) -> list[Path]:
    """Compile every catalogue whose ``.mo`` is missing or older; return those compiled."""
    compiled = []
    for po_path in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        mo_path = compiled_path(po_path)
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            _compile(po_path, mo_path)
        except OSError as error:  # a read-only install keeps what it has
            log.warning("could not compile %s: %s", po_path, error)
            continue
        compiled.append(mo_path)
    return compiled


def _compile(po_path: Path, mo_path: Path) -> None:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parent.parent.name)
    mo_path.parent.mkdir(parents=True, exist_ok=True)
    with mo_path.open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)


def catalogue_folder(code: str) -> str:
    """The folder of language ``code`` under ``translations/`` (``zh-Hans`` -> ``zh_Hans``)."""
    return code.replace("-", "_")


def is_complete(po_path: Path) -> bool:
    """Whether every message of the catalogue is translated and none is fuzzy."""
    try:
        return _is_complete_cached(po_path, po_path.stat().st_mtime_ns)
    except OSError:
        return False


@lru_cache(maxsize=64)
def _is_complete_cached(po_path: Path, _mtime_ns: int) -> bool:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=po_path.parent.parent.name)
    for message in catalog:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            return False
    return True


def complete_languages(translations: Path, codes: tuple[str, ...]) -> tuple[str, ...]:
    """Those of ``codes`` whose catalogue under ``translations`` is complete, in order."""
    return tuple(
        code
        for code in codes
        if is_complete(translations / catalogue_folder(code) / "LC_MESSAGES" / "messages.po")
    )
