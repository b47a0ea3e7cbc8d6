"""The export page: choose a format and how answers read, then download.

Only admins and researchers of the survey's partnership get in: anonymous
users go to the sign-in page, others get 403 (no research role anywhere) or
404 (the survey belongs to another partnership, exactly as if it did not
exist). The download is a POST (CSRF-checked, never cached): CSV streams
as it is read; XLSX and .sav are written to a temporary file, then sent.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    render_template,
    send_file,
    stream_with_context,
)
from flask_babel import gettext as _

from consult import db
from consult.auth.access import current_user, require_research, research_partnerships
from consult.definitions import title_in
from consult.exports import services
from consult.exports.forms import ExportForm
from consult.exports.job import CODES, ExportJob, ExportOptions, versions_of
from consult.exports.layout import build_layout
from consult.exports.registry import EXPORTERS
from consult.exports.source import count_responses
from consult.i18n import language
from consult.surveys import survey_for

bp = Blueprint("exports", __name__, url_prefix="/research/surveys")


@bp.route("/<slug>/export", methods=["GET", "POST"])
@require_research
def export(slug: str):
    survey = survey_for(db.session(), slug, research_partnerships())
    if survey is None or survey.current_version_id is None:
        abort(404)
    definitions = versions_of(db.session(), survey)
    languages = build_layout(definitions).languages
    form = ExportForm()
    form.format.choices = [(e.name, e.title) for e in EXPORTERS.values()]
    form.labels.choices = [(CODES, _("Codes (the choice names of the form)"))] + [
        (code, _("Labels in %(language)s", language=f"{language(code).own_name} ({code})"))
        for code in languages
    ]
    if form.validate_on_submit():
        options = ExportOptions(
            labels=None if form.labels.data == CODES else form.labels.data,
            choice_columns=bool(form.choice_columns.data),
        )
        return _download(survey, form.format.data, options)
    status = 400 if form.errors else 200
    return (
        render_template(
            "exports/export.html",
            survey=survey,
            form=form,
            count=count_responses(db.session(), survey.id),
            title=title_in(survey),
        ),
        status,
    )


def _download(survey, format_name: str, options: ExportOptions):
    user_id = current_user().id
    exporter = EXPORTERS[format_name]
    if exporter.stream is not None:
        job, exporter, chunks = services.start_stream(
            db.session(), survey, format_name, options, user_id=user_id
        )
        db.commit()
        response = Response(stream_with_context(chunks), mimetype=exporter.media_type)
        return _attachment(response, job, exporter)
    handle, name = tempfile.mkstemp(prefix="consult-export-", suffix=f".{exporter.extension}")
    os.close(handle)
    path = Path(name)
    try:
        job, exporter = services.export_to_file(
            db.session(), survey, format_name, options, path, user_id=user_id, via="web"
        )
        db.commit()
        opened = path.open("rb")
    finally:
        # The open handle keeps the data until the download ends; the name goes now,
        # so nothing is left behind however the download ends.
        path.unlink(missing_ok=True)
    response = send_file(opened, mimetype=exporter.media_type, max_age=0)
    response.content_length = os.fstat(opened.fileno()).st_size
    return _attachment(response, job, exporter)


def _attachment(response: Response, job: ExportJob, exporter) -> Response:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    name = f"{job.base_name}-{job.options.labels_name}-{stamp}.{exporter.extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
