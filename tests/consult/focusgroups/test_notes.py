"""Facilitators record what was said: typed segments and uploaded transcripts."""

from __future__ import annotations

import io

from sqlalchemy import select

from consult import db
from consult.focusgroups.models import FocusGroupSegment
from tests.conftest import csrf_from, sign_in
from tests.consult.focusgroups.helpers import RESEARCHER, make_session


def _segments(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        query = select(FocusGroupSegment).order_by(FocusGroupSegment.position)
        return [(s.participant_code, s.language, s.text) for s in db.session().scalars(query)]


def _notes(client, session_id):
    return client.get(f"/research/focus-groups/{session_id}/notes?lang=en")


def test_segment_with_translation_is_recorded(app, client):
    session_id = make_session(app)
    sign_in(client, *RESEARCHER)
    page = _notes(client, session_id)
    response = client.post(
        f"/research/focus-groups/{session_id}/notes",
        data={
            "csrf_token": csrf_from(page.text),
            "participant_code": "p2",
            "language": "fa",
            "text": "پیدا کردن خانه خیلی سخت است",
            "translation": "Finding a home is very hard",
            "translation_language": "en",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        segment = db.session().scalars(select(FocusGroupSegment)).one()
        assert segment.participant_code == "P2"
        assert segment.translation == "Finding a home is very hard"
        assert segment.translation_language == "en"
    assert "پیدا کردن خانه" in _notes(client, session_id).text


def test_bad_segments_are_refused_and_the_text_kept(app, client):
    session_id = make_session(app)
    sign_in(client, *RESEARCHER)
    page = _notes(client, session_id)
    long_text = "word " * 4_001  # 20,005 characters
    response = client.post(
        f"/research/focus-groups/{session_id}/notes",
        data={
            "csrf_token": csrf_from(page.text),
            "participant_code": "Maryam",
            "language": "en",
            "text": long_text,
            "translation": "a translation",
            "translation_language": "",
        },
    )
    assert response.status_code == 200
    assert 'id="error-text"' in response.text
    assert 'id="error-participant_code"' in response.text
    assert 'id="error-translation_language"' in response.text
    assert long_text.strip() in response.text
    assert _segments(app) == []


def _upload(client, session_id, content: bytes, name: str = "transcript.txt", **extra):
    page = _notes(client, session_id)
    data = {
        "csrf_token": csrf_from(page.text),
        "language": "fa",
        "prompt_id": "",
        "transcript": (io.BytesIO(content), name),
        **extra,
    }
    return client.post(
        f"/research/focus-groups/{session_id}/notes/upload",
        data=data,
        content_type="multipart/form-data",
    )


def test_transcript_is_split_by_speaker_turns(app, client):
    session_id = make_session(app)
    sign_in(client, *RESEARCHER)
    transcript = (
        "Session opened at 6pm.\n\n"
        "P1: کرایه خانه خیلی بالاست.\n"
        "ادامه حرف من.\n\n"
        "P2: I could not find a family doctor.\n"
        "p1: کار پیدا نمی‌کنم.\n"
    ).encode()
    response = _upload(client, session_id, transcript)
    assert response.status_code == 302
    assert _segments(app) == [
        ("", "fa", "Session opened at 6pm."),
        ("P1", "fa", "کرایه خانه خیلی بالاست.\nادامه حرف من."),
        ("P2", "fa", "I could not find a family doctor."),
        ("P1", "fa", "کار پیدا نمی‌کنم."),
    ]


def test_transcript_without_speakers_is_split_by_paragraph(app, client):
    session_id = make_session(app)
    sign_in(client, *RESEARCHER)
    content = "\ufeffFirst paragraph,\nstill first.\r\n\r\nSecond one.\n\n\n\nThird.".encode()
    assert _upload(client, session_id, content).status_code == 302
    assert [text for _code, _lang, text in _segments(app)] == [
        "First paragraph,\nstill first.",
        "Second one.",
        "Third.",
    ]


def test_files_that_are_not_text_are_refused_with_a_message(app, client):
    session_id = make_session(app)
    sign_in(client, *RESEARCHER)
    for content in (b"PK\x03\x04\x00\x00binary", "café".encode("latin-1"), b"  \n\n "):
        response = _upload(client, session_id, content)
        assert response.status_code == 200
        assert 'id="error-transcript"' in response.text
    response = _upload(client, session_id, b"P1: hello", name="transcript.docx")
    assert 'id="error-transcript"' in response.text
    assert "not plain text" in _upload(client, session_id, b"a\x00b").text
    assert _segments(app) == []


def test_oversized_transcripts_are_refused(app, client):
    session_id = make_session(app)
    sign_in(client, *RESEARCHER)
    # over the 500,000-byte limit, yet under the test client's 512 KB spooling threshold
    response = _upload(client, session_id, b"x" * 505_000)
    assert response.status_code == 200
    assert 'id="error-transcript"' in response.text
    one_long_turn = ("P1: " + "word " * 4_100).encode()
    response = _upload(client, session_id, one_long_turn)
    assert "longer than 20,000 characters" in response.text
    assert _segments(app) == []


def test_segments_can_be_corrected_and_deleted(app, client):
    session_id = make_session(app)
    sign_in(client, *RESEARCHER)
    _upload(client, session_id, b"P1: first\nP2: second")
    with app.app_context():
        first, second = db.session().scalars(
            select(FocusGroupSegment.id).order_by(FocusGroupSegment.position)
        )
    base = f"/research/focus-groups/{session_id}/segments"
    edit = client.get(f"{base}/{first}?lang=en")
    assert ">first</textarea>" in edit.text
    response = client.post(
        f"{base}/{first}",
        data={
            "csrf_token": csrf_from(edit.text),
            "participant_code": "P3",
            "language": "en",
            "text": "first, corrected",
            "translation": "",
            "translation_language": "",
            "prompt_id": "",
        },
    )
    assert response.status_code == 302
    response = client.post(f"{base}/{second}/delete", data={"csrf_token": csrf_from(edit.text)})
    assert response.status_code == 302
    assert _segments(app) == [("P3", "en", "first, corrected")]
