"""Short codes people read aloud: response references and resume codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from forms.digits import ascii_digits

# Crockford-style alphabet without 0/O, 1/I/L and U: nothing to confuse when read aloud.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code(length: int = 8) -> str:
    """A random code such as ``K7QM-3XPA`` (about 39 bits for 8 characters)."""
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(length)))


def derived_code(secret: str, seed: str, length: int = 10) -> str:
    """A code that ``seed`` always gives under ``secret`` (a keyed hash, read in
    :data:`ALPHABET`): unpredictable without the secret, the same every time."""
    number = int.from_bytes(hmac.new(secret.encode(), seed.encode(), hashlib.sha256).digest())
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return _grouped("".join(chars))


def _grouped(chars: str) -> str:
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def normalise_code(text: str) -> str:
    """What a person typed, made comparable: any script's digits and full-width
    letters as ASCII, upper case, no spaces, dashes placed."""
    return _grouped("".join(c for c in ascii_digits(text).upper() if c.isascii() and c.isalnum()))
