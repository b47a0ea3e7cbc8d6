"""Who runs a partnership's surveys and how newcomers reach it, in their language.

The consent page of every survey names the partnership and its contact
details. The name and a note (when and how to reach it, an address) are kept
per language, like survey wording: a language without its own words shows the
partnership's ``name`` (or the English note, else the first one given),
marked as not yet translated. Email, phone and website are one value each.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from forms.localize import Wording, wording

MAX_NAME = 200
MAX_NOTE = 500
FALLBACK = "en"


@dataclass(frozen=True, slots=True)
class PublicContact:
    """What a consent page shows about the partnership running the survey."""

    name: Wording
    email: str | None
    phone: str | None
    url: str | None
    note: Wording | None

    @property
    def reachable(self) -> bool:
        return bool(self.email or self.phone or self.url)


def public_contact(partnership, language: str) -> PublicContact:
    """``partnership``'s name, contact details and note in ``language``."""
    names = {FALLBACK: partnership.name, **_filled(partnership.public_names)}
    notes = _filled(partnership.contact_notes)
    note = wording(notes, language, FALLBACK) if notes else None
    return PublicContact(
        name=wording(names, language, FALLBACK),
        email=partnership.contact_email or None,
        phone=partnership.contact_phone or None,
        url=partnership.contact_url or None,
        note=note,
    )


def _filled(texts: Mapping[str, str] | None) -> dict[str, str]:
    return {code: text for code, text in (texts or {}).items() if text}


def read_translations(
    formdata: Mapping[str, str], prefix: str, languages: Iterable[str], limit: int
) -> tuple[dict[str, str], list[str]]:
    """``{language: text}`` from the fields ``<prefix>-<language>`` of a posted form
    (empty ones left out), and the languages whose text is longer than ``limit``."""
    texts, too_long = {}, []
    for code in languages:
        text = " ".join((formdata.get(f"{prefix}-{code}") or "").split())
        if len(text) > limit:
            too_long.append(code)
        elif text:
            texts[code] = text
    return texts, too_long
