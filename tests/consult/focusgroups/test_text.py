"""Plain checks: contacts, participant codes, transcript decoding and splitting."""

from __future__ import annotations

import pytest

from consult.focusgroups.text import (
    MAX_SEGMENT_CHARS,
    TranscriptError,
    Turn,
    contact_match_key,
    decode_transcript,
    is_valid_email,
    is_valid_participant_code,
    is_valid_phone,
    split_transcript,
)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("name@example.ca", True),
        ("Prénom.Nom@exemple.québec", True),
        ("name@example", False),
        ("name example@x.ca", False),
        ("@example.ca", False),
        ("name@@example.ca", False),
        ("name@example..ca", False),
        ("a" * 250 + "@x.ca", False),
    ],
)
def test_email(value, valid):
    assert is_valid_email(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("613 555 0100", True),
        ("+1 (613) 555-0100", True),
        ("5550100", True),
        ("555 010", False),
        ("+1 613 555 0100 1234 5", False),
        ("613-555-CALL", False),
        ("", False),
    ],
)
def test_phone(value, valid):
    assert is_valid_phone(value) is valid


def test_same_contact_written_differently_matches():
    assert contact_match_key("phone", "+1 (613) 555-0100") == contact_match_key(
        "text", "1 613 555 0100"
    )
    assert contact_match_key("email", " A@B.ca") == contact_match_key("email", "a@b.CA ")


def test_participant_codes():
    assert is_valid_participant_code("P1") and is_valid_participant_code("")
    assert not is_valid_participant_code("P0") and not is_valid_participant_code("Ali")


def test_decode_refuses_binary_and_empty_files():
    with pytest.raises(TranscriptError, match="not_text"):
        decode_transcript(b"\xff\xfe\x00h\x00i")
    with pytest.raises(TranscriptError, match="not_text"):
        decode_transcript(b"\xc3\x28")
    with pytest.raises(TranscriptError, match="empty"):
        decode_transcript(b"\n \n")
    assert decode_transcript("\ufeffa\r\nb".encode()) == "a\nb"


def test_split_speaker_turns_and_paragraphs():
    assert split_transcript("P1: a\nmore\n\nP12 : b") == [Turn("P1", "a\nmore"), Turn("P12", "b")]
    assert split_transcript("one\n\ntwo\n") == [Turn("", "one"), Turn("", "two")]


def test_split_refuses_an_oversized_segment():
    with pytest.raises(TranscriptError) as error:
        split_transcript("P1: short\nP2: " + "x" * (MAX_SEGMENT_CHARS + 1))
    assert error.value.code == "segment_too_long" and error.value.detail == 2


def test_the_same_phone_in_any_script_is_the_same_contact():
    assert contact_match_key("phone", "۶۱۳ ۵۵۵ ۰۱۲۳") == contact_match_key("phone", "613-555-0123")
    assert is_valid_phone("+١ (٦١٣) ٥٥٥-٠١٢٣")
