"""Focus-group segments become analysis text units, carrying make-up answers, never contacts."""

from __future__ import annotations

from dataclasses import asdict

from analysis.records import SOURCE_FOCUS_GROUP, TextUnit
from consult import db
from consult.auth.services import find_partnership
from consult.focusgroups import rosters as fg_rosters
from consult.focusgroups import services
from consult.focusgroups import transcripts as fg_transcripts
from consult.focusgroups.units import segment_units
from tests.consult.focusgroups.helpers import make_other_partnership, make_session, sign_up


def _record(app, session_id: int, code: str, text: str, **extra) -> None:
    with app.app_context():
        session = db.session()
        found = session.get(services.FocusGroupSession, session_id)
        values = fg_transcripts.SegmentValues(
            prompt_id=None,
            participant_code=code,
            language=extra.get("language", "fa"),
            text=text,
            translation=extra.get("translation"),
            translation_language=extra.get("translation_language"),
        )
        fg_transcripts.add_segment(session, found, values)
        db.commit()


def test_segment_units_carry_codes_attributes_and_translations(app, client):
    session_id = make_session(app)
    sign_up(client, session_id, name="Secret Name", contact_value="613 555 0177")
    with app.app_context():
        session = db.session()
        found = session.get(services.FocusGroupSession, session_id)
        fg_rosters.set_attendance(session, found, {found.signups[0].id})
        db.commit()
    _record(
        app,
        session_id,
        "P1",
        "کرایه خانه خیلی بالاست",
        translation="Rent is very high",
        translation_language="en",
    )
    _record(app, session_id, "P7", "No doctor for my children", language="en")
    _record(app, session_id, "", "The group agreed that buses are rare.", language="en")
    with app.app_context():
        partnership_id = find_partnership(db.session(), "demo-lip").id
        units = list(segment_units(db.session(), partnership_id))
    assert all(isinstance(u, TextUnit) for u in units)
    assert [u.source for u in units] == [SOURCE_FOCUS_GROUP] * 3
    first, unlinked, group = units
    assert first.respondent_id == f"fg{session_id}:P1"
    assert first.language == "fa"
    assert dict(first.attributes) == {
        "preferred_language": "fa",
        "years_in_canada": "y1_3",
        "age_band": "a25_34",
        "gender": "woman",
    }
    assert first.translation == "Rent is very high" and first.translation_language == "en"
    assert unlinked.respondent_id == f"fg{session_id}:P7" and dict(unlinked.attributes) == {}
    assert unlinked.translation is None and unlinked.translation_language is None
    assert group.respondent_id == f"fg{session_id}:group"
    for unit in units:
        flat = repr(asdict(unit))
        assert "Secret Name" not in flat and "613 555 0177" not in flat


def test_segment_units_belong_to_one_partnership(app):
    session_id = make_session(app)
    make_other_partnership(app)
    _record(app, session_id, "P1", "Housing is hard")
    with app.app_context():
        other_id = find_partnership(db.session(), "other-lip").id
        demo_id = find_partnership(db.session(), "demo-lip").id
        assert list(segment_units(db.session(), other_id)) == []
        assert len(list(segment_units(db.session(), demo_id))) == 1


def _stored_units(app) -> dict[str, tuple]:
    from sqlalchemy import select

    from consult.coding.models import TextUnitRow

    with app.app_context():
        rows = db.session().scalars(select(TextUnitRow).where(TextUnitRow.segment_key.is_not(None)))
        return {row.segment_key: (row.text, row.theme_keys, row.attributes) for row in rows}


def test_units_follow_the_segments_as_they_change(app, client):
    """Adding, correcting and deleting a segment, or giving its speaker a participant
    code, updates its text unit at once: no report or review queue needs to run first."""
    session_id = make_session(app)
    sign_up(client, session_id, name="Someone", contact_value="613 555 0100")
    _record(app, session_id, "P1", "Rent is too high for us", language="en")
    units = _stored_units(app)
    assert [text for text, _keys, _attrs in units.values()] == ["Rent is too high for us"]
    (key,) = units
    assert "housing" in units[key][1].split(",") and units[key][2] == {}
    with app.app_context():
        session = db.session()
        found = session.get(services.FocusGroupSession, session_id)
        fg_rosters.set_attendance(session, found, {found.signups[0].id})
        db.commit()
    assert _stored_units(app)[key][2]["preferred_language"]
    with app.app_context():
        session = db.session()
        segment = fg_transcripts.segments_of(
            session, session.get(services.FocusGroupSession, session_id)
        )[0]
        values = fg_transcripts.SegmentValues(
            None, "P1", "en", "We need a family doctor", None, None
        )
        fg_transcripts.update_segment(session, segment, values)
        db.commit()
    text, keys, _attrs = _stored_units(app)[key]
    assert text == "We need a family doctor" and "housing" not in keys.split(",")
    with app.app_context():
        session = db.session()
        segment = fg_transcripts.segments_of(
            session, session.get(services.FocusGroupSession, session_id)
        )[0]
        fg_transcripts.delete_segment(session, segment)
        db.commit()
    assert _stored_units(app) == {}
