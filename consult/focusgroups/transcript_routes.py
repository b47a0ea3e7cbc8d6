"""Researcher pages of a held session: its notes and transcripts, segment by segment.

Views on the focus groups' research blueprint (:mod:`consult.focusgroups.research_routes`),
looked up within ``research_partnerships()`` like the rest.
"""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from consult import db
from consult.auth.access import require_research
from consult.focusgroups import services, transcripts
from consult.focusgroups.forms import ActionForm, SegmentForm, TranscriptForm
from consult.focusgroups.models import FocusGroupSession
from consult.focusgroups.research_routes import bp, checked, session_or_404
from consult.focusgroups.text import TranscriptError, decode_transcript, split_transcript
from consult.i18n import current_language


def _segment_form_options(found: FocusGroupSession) -> dict:
    code = current_language().code
    return {
        "prompts": [(str(p.id), services.prompt_text(p, code)[:80]) for p in found.prompts],
        "languages": _spoken_languages(found),
    }


def _spoken_languages(found: FocusGroupSession) -> list[str]:
    from consult.i18n import UI_LANGUAGES

    first = [code for code in found.languages if code in UI_LANGUAGES]
    return first + [code for code in UI_LANGUAGES if code not in first]


def _render_notes(found, segment_form=None, transcript_form=None):
    options = _segment_form_options(found)
    return render_template(
        "focusgroups/notes.html",
        session=found,
        segments=transcripts.segments_of(db.session(), found),
        segment_form=segment_form or SegmentForm(**options),
        transcript_form=transcript_form or TranscriptForm(**options),
        action_form=ActionForm(),
        prompt_text=services.prompt_text,
    )


@bp.route("/<int:session_id>/notes", methods=["GET", "POST"])
@require_research
def notes(session_id: int):
    found = session_or_404(session_id)
    if request.method == "GET":
        return _render_notes(found)
    form = SegmentForm(**_segment_form_options(found))
    if form.validate_on_submit():
        transcripts.add_segment(db.session(), found, _segment_values(form))
        db.commit()
        flash(_("Segment added."))
        return redirect(url_for("focusgroups.research.notes", session_id=found.id) + "#add")
    return _render_notes(found, segment_form=form)


def _segment_values(form: SegmentForm) -> transcripts.SegmentValues:
    return transcripts.SegmentValues(
        prompt_id=int(form.prompt_id.data) if form.prompt_id.data else None,
        participant_code=form.participant_code.data,
        language=form.language.data,
        text=form.text.data,
        translation=form.translation.data,
        translation_language=form.translation_language.data or None,
    )


@bp.route("/<int:session_id>/notes/upload", methods=["POST"])
@require_research
def upload(session_id: int):
    found = session_or_404(session_id)
    form = TranscriptForm(**_segment_form_options(found))
    if not form.validate_on_submit():
        return _render_notes(found, transcript_form=form)
    try:
        turns = split_transcript(decode_transcript(form.transcript.data.read()))
    except TranscriptError as error:
        form.transcript.errors = [_transcript_message(error)]
        return _render_notes(found, transcript_form=form)
    prompt_id = int(form.prompt_id.data) if form.prompt_id.data else None
    transcripts.add_transcript(db.session(), found, turns, prompt_id, form.language.data)
    db.commit()
    flash(_("%(count)s segments added from the transcript. Please check them.", count=len(turns)))
    return redirect(url_for("focusgroups.research.notes", session_id=found.id))


def _transcript_message(error: TranscriptError) -> str:
    if error.code == "segment_too_long":
        return _(
            "Part %(number)s of the transcript is longer than 20,000 characters. "
            "Please add blank lines or speaker codes to split it.",
            number=error.detail,
        )
    return {
        "too_large": _("The file is too large: the limit is 500 KB."),
        "not_text": _(
            "This file is not plain text. Please save the transcript as a UTF-8 .txt file."
        ),
        "empty": _("This file is empty."),
        "too_many_segments": _("This transcript has more than 2,000 parts. Please split it."),
    }.get(error.code, _("This file could not be read."))


@bp.route("/<int:session_id>/segments/<int:segment_id>", methods=["GET", "POST"])
@require_research
def edit_segment(session_id: int, segment_id: int):
    found = session_or_404(session_id)
    segment = transcripts.segment_for(db.session(), found, segment_id) or abort(404)
    form = SegmentForm(**_segment_form_options(found))
    if request.method == "GET":
        form.prompt_id.data = str(segment.prompt_id or "")
        form.participant_code.data = segment.participant_code
        form.language.data = segment.language
        form.text.data = segment.text
        form.translation.data = segment.translation or ""
        form.translation_language.data = segment.translation_language or ""
    if form.validate_on_submit():
        transcripts.update_segment(db.session(), segment, _segment_values(form))
        db.commit()
        return redirect(
            url_for("focusgroups.research.notes", session_id=found.id) + f"#segment-{segment.id}"
        )
    return render_template(
        "focusgroups/segment_form.html", session=found, segment=segment, form=form
    )


@bp.route("/<int:session_id>/segments/<int:segment_id>/delete", methods=["POST"])
@require_research
def delete_segment(session_id: int, segment_id: int):
    found = session_or_404(session_id)
    segment = transcripts.segment_for(db.session(), found, segment_id) or abort(404)
    checked(ActionForm())
    transcripts.delete_segment(db.session(), segment)
    db.commit()
    flash(_("Segment deleted."))
    return redirect(url_for("focusgroups.research.notes", session_id=found.id))
