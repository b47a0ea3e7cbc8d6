"""Short codes people read aloud: response references and resume codes."""

from __future__ import annotations

import secrets

from forms.digits import ascii_digits

# Crockford-style alphabet without 0/O, 1/I/L and U: nothing to confuse when read aloud.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code(length: int = 8) -> str:
    """A random code such as ``K7QM-3XPA`` (about 39 bits for 8 characters)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return "-".join(chars[i : i + 4] for i in range(0, length, 4))


def normalise_code(text: str) -> str:
    """What a person typed, made comparable: any script's digits and full-width
    letters as ASCII, upper case, no spaces, dashes placed."""
    cleaned = "".join(c for c in ascii_digits(text).upper() if c.isascii() and c.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))
