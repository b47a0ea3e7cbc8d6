"""Plain checks on what people type: contacts, participant codes and transcripts.

No Flask, no database: these return values or problem codes, and the forms
turn codes into sentences in the user's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forms.digits import ascii_digits

MAX_SEGMENT_CHARS = 20_000
"""The longest note or transcript segment accepted."""

MAX_TRANSCRIPT_BYTES = 500_000
"""The largest transcript file accepted (about 80,000 words)."""

MAX_TRANSCRIPT_SEGMENTS = 2_000

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-.]+$")
_CODE = re.compile(r"^P[1-9][0-9]{0,2}$")
_SPEAKER = re.compile(r"^\s*(P[1-9][0-9]{0,2})\s*[:：]\s?(.*)$", re.IGNORECASE)


def normalise_email(value: str) -> str:
    """Emails compare case-insensitively, without surrounding spaces."""
    return value.strip().lower()


def is_valid_email(value: str) -> bool:
    """A sane email: one ``@``, no spaces, a dotted domain, at most 254 characters."""
    value = value.strip()
    return len(value) <= 254 and bool(_EMAIL.match(value)) and ".." not in value


def normalise_phone(value: str) -> str:
    """A phone number as typed, with any script's digits as ASCII
    (``۶۱۳ ۵۵۵ ۰۱۲۳`` -> ``613 555 0123``) and surrounding spaces removed."""
    return ascii_digits(value.strip())


def phone_digits(value: str) -> str:
    """Only the digits of a phone number (``+1 (613) 555-0100`` -> ``16135550100``),
    in whichever script they were typed."""
    return re.sub(r"[^0-9]", "", ascii_digits(value))


def is_valid_phone(value: str) -> bool:
    """Digits of any script, spaces, ``+ ( ) - .`` only, with 7 to 15 digits."""
    value = normalise_phone(value)
    return bool(_PHONE_CHARS.match(value)) and 7 <= len(phone_digits(value)) <= 15


def contact_match_key(method: str, value: str) -> str:
    """What makes two contacts the same person: the email, or the phone's digits."""
    if method == "email":
        return "email:" + normalise_email(value)
    return "phone:" + phone_digits(value)


def normalise_participant_code(value: str) -> str:
    """``p3`` -> ``P3``; empty stays empty."""
    return value.strip().upper()


def is_valid_participant_code(value: str) -> bool:
    """``P1`` to ``P999``, or empty for something not attributed to anyone."""
    return value == "" or bool(_CODE.match(value))


class TranscriptError(ValueError):
    """A transcript that cannot be read; ``code`` says why."""

    def __init__(self, code: str, detail: int = 0) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


def decode_transcript(data: bytes) -> str:
    """The text of an uploaded UTF-8 file (a BOM is allowed).

    Raises ``TranscriptError`` with ``too_large``, ``not_text`` (NUL bytes or
    not UTF-8) or ``empty``.
    """
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise TranscriptError("too_large")
    if b"\x00" in data:
        raise TranscriptError("not_text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TranscriptError("not_text") from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise TranscriptError("empty")
    return text


@dataclass(frozen=True, slots=True)
class Turn:
    """One piece of a transcript: who spoke (``P1`` or empty) and what they said."""

    participant_code: str
    text: str


def split_transcript(text: str) -> list[Turn]:
    """Segments of a transcript: one per ``P1:`` speaker turn, else one per paragraph.

    When any line starts with a participant code and a colon, each such line
    starts a turn that runs until the next one (text before the first turn is
    kept, unattributed). Otherwise blank lines separate paragraphs.
    Raises ``TranscriptError("segment_too_long", n)`` for a segment over the
    limit and ``too_many_segments`` past ``MAX_TRANSCRIPT_SEGMENTS``.
    """
    lines = text.split("\n")
    if any(_SPEAKER.match(line) for line in lines):
        turns = _speaker_turns(lines)
    else:
        turns = _paragraphs(lines)
    if len(turns) > MAX_TRANSCRIPT_SEGMENTS:
        raise TranscriptError("too_many_segments")
    for number, turn in enumerate(turns, start=1):
        if len(turn.text) > MAX_SEGMENT_CHARS:
            raise TranscriptError("segment_too_long", number)
    return turns


def _speaker_turns(lines: list[str]) -> list[Turn]:
    turns: list[Turn] = []
    code, buffer = "", []
    for line in lines:
        match = _SPEAKER.match(line)
        if match:
            _close(turns, code, buffer)
            code, buffer = match.group(1).upper(), [match.group(2)]
        else:
            buffer.append(line)
    _close(turns, code, buffer)
    return turns


def _paragraphs(lines: list[str]) -> list[Turn]:
    turns: list[Turn] = []
    buffer: list[str] = []
    for line in lines:
        if line.strip():
            buffer.append(line)
        else:
            _close(turns, "", buffer)
            buffer = []
    _close(turns, "", buffer)
    return turns


def _close(turns: list[Turn], code: str, buffer: list[str]) -> None:
    text = "\n".join(line.rstrip() for line in buffer).strip()
    if text:
        turns.append(Turn(code, text))
