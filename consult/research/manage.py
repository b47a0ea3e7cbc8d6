"""Researcher survey management: import XLSForms, open and close surveys, translations.

Only admins and researchers of a survey's partnership reach these pages
(anonymous users are sent to sign in, others get 403; a survey of another
partnership is 404). Every change is written to the audit log.

An upload whose only problems are question types a web survey cannot use
is kept on the server for up to an hour, under a random token tied to the
user, so that "Import without these questions" works without choosing the
file again (a file input cannot be refilled without JavaScript).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from consult import db
from consult.auth.access import current_user, require_research, research_partnerships
from consult.auth.services import record
from consult.definitions import definition_of, title_in
from consult.i18n import language
from consult.models import Partnership, SurveyStatus
from consult.research import services as research
from consult.research import upload_stash
from consult.research.forms import (
    ArchiveForm,
    ConfirmImportForm,
    DeleteForm,
    ImportForm,
    StatusForm,
)
from consult.research.import_messages import read_form, shown_problems
from consult.survey.services import SurveyConflict, UnknownSurvey, import_survey
from consult.surveys import survey_for, surveys_of
from forms.problems import Problem

bp = Blueprint("manage", __name__, url_prefix="/research/surveys")

MAX_FORM_BYTES = 1024 * 1024
"""Largest XLSForm accepted (1 MiB; real forms in a dozen languages are far smaller)."""

_DEFAULT = object()
_SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")

TRANSITIONS = {
    (SurveyStatus.DRAFT, SurveyStatus.OPEN),
    (SurveyStatus.OPEN, SurveyStatus.CLOSED),
    (SurveyStatus.CLOSED, SurveyStatus.OPEN),
}


# --- import ----------------------------------------------------------------


def _partnerships() -> list[Partnership]:
    return research.partnerships_by_name(db.session(), research_partnerships())


def _import_form(partnerships: list[Partnership], formdata=_DEFAULT) -> ImportForm:
    form = ImportForm() if formdata is _DEFAULT else ImportForm(formdata=formdata)
    form.partnership.choices = [(p.id, p.name) for p in partnerships]
    if len(partnerships) == 1 and not form.partnership.raw_data:
        form.partnership.data = partnerships[0].id
    surveys = surveys_of(db.session(), {p.id for p in partnerships})
    form.new_version_of.choices = [("", _("A new survey"))] + [
        (s.slug, _("A new version of “%(title)s” (%(slug)s)", title=title_in(s), slug=s.slug))
        for s in surveys
        if s.current_version is not None
    ]
    return form


@dataclass(frozen=True)
class Upload:
    """What the researcher asked for with an upload."""

    partnership: Partnership
    name: str
    drop: bool
    slug: str | None
    new_version_of: str | None


def _page(form, partnerships, *, problems=(), token=None, status=200):
    return (
        render_template(
            "research/manage_import.html",
            form=form,
            partnerships=partnerships,
            problems=shown_problems(list(problems)),
            confirm=token,
            max_kib=MAX_FORM_BYTES // 1024,
        ),
        status,
    )


def _add_error(field, message: str) -> None:
    field.errors = [*field.errors, message]


def _file_name(filename: str | None) -> str:
    name = (filename or "form").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (name or "form")[:255]


@bp.route("/import", methods=["GET", "POST"])
@require_research
def import_survey_page():
    partnerships = _partnerships()
    try:
        form = _import_form(partnerships)
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        return _too_large(partnerships)
    if not valid:
        return _page(form, partnerships, status=422 if request.method == "POST" else 200)
    source = form.file.data.read(MAX_FORM_BYTES + 1)
    if len(source) > MAX_FORM_BYTES:
        _add_error(form.file, _too_large_message())
        return _page(form, partnerships, status=413)
    if not source.strip():
        _add_error(form.file, _("The file is empty. Choose the XLSForm file again."))
        return _page(form, partnerships, status=422)
    upload = Upload(
        partnership=db.session().get(Partnership, form.partnership.data),
        name=_file_name(form.file.data.filename),
        drop=bool(form.drop_unsupported.data),
        slug=(form.slug.data or "").strip() or None,
        new_version_of=form.new_version_of.data or None,
    )
    return _try_import(form, partnerships, source, upload)


def _try_import(form, partnerships, source: bytes, upload: Upload):
    reading = read_form(source)
    definition = reading.definition
    if reading.problems or (reading.unsupported and not upload.drop):
        token = None
        if not reading.problems:
            token = upload_stash.stash(source, upload, current_user().id)
        problems = reading.unsupported + reading.problems
        return _page(form, partnerships, problems=problems, token=token, status=422)
    assert definition is not None
    if not upload.slug and not upload.new_version_of and not _SLUG.match(definition.form_id):
        problem = Problem("bad_slug", detail=definition.form_id, sheet="settings")
        return _page(form, partnerships, problems=[problem], status=422)
    try:
        imported = import_survey(
            db.session(),
            upload.partnership,
            source,
            upload.name,
            slug=upload.slug,
            drop_unsupported=True,
            new_version_of=upload.new_version_of,
            definition=definition,
        )
    except SurveyConflict as error:
        db.session().rollback()
        message = _(
            "A survey called “%(slug)s” already exists. Choose another web address, or "
            "choose to import this form as a new version of that survey.",
            slug=str(error),
        )
        _add_error(form.slug, message)
        return _page(form, partnerships, status=409)
    except UnknownSurvey:
        db.session().rollback()
        _add_error(form.new_version_of, _("Choose one of your surveys."))
        return _page(form, partnerships, status=422)
    partnership, name = upload.partnership, upload.name
    user = current_user()
    detail = f"version {imported.version.number}; file {name}"
    if imported.definition.dropped:
        detail += "; dropped: " + ", ".join(imported.definition.dropped)
    record(
        db.session(),
        "import_survey",
        user_id=user.id,
        partnership_id=partnership.id,
        target=imported.survey.slug,
        detail=detail,
    )
    slug, number = imported.survey.slug, imported.version.number
    db.commit()
    return redirect(url_for("manage.version", slug=slug, number=number))


def _too_large_message() -> str:
    return _(
        "The file is larger than %(size)s KiB. XLSForms are usually much smaller: check that "
        "you chose the right file.",
        size=MAX_FORM_BYTES // 1024,
    )


def _too_large(partnerships):
    form = ImportForm(formdata=None)
    form.partnership.choices = [(p.id, p.name) for p in partnerships]
    form.file.errors = [_too_large_message()]
    return _page(form, partnerships, status=413)


@bp.errorhandler(RequestEntityTooLarge)
def _request_too_large(error):
    """An upload over the app's size limit: the import page again, saying why."""
    if request.endpoint == "manage.import_survey_page" and research_partnerships():
        return _too_large(_partnerships())
    title = _("What you sent is too large.")
    return render_template("error.html", status=413, title=title, message=""), 413


@bp.route("/import/confirm", methods=["POST"])
@require_research
def confirm_import():
    partnerships = _partnerships()
    confirm = ConfirmImportForm()
    stashed = (
        upload_stash.unstash(confirm.token.data or "", current_user().id)
        if confirm.validate()
        else None
    )
    allowed = {p.id: p for p in partnerships}
    if stashed is None or int(stashed[1].get("partnership") or 0) not in allowed:
        form = _import_form(partnerships)
        _add_error(
            form.file,
            _("That upload is no longer waiting (it is kept for an hour). Upload the file again."),
        )
        return _page(form, partnerships, status=410)
    source, meta = stashed
    form = _import_form(partnerships, formdata=None)
    upload = Upload(
        partnership=allowed[int(meta.get("partnership") or 0)],
        name=str(meta.get("name") or "form"),
        drop=True,
        slug=meta.get("slug") or None,
        new_version_of=meta.get("new_version_of") or None,
    )
    form.partnership.data = upload.partnership.id
    form.drop_unsupported.data = True
    return _try_import(form, partnerships, source, upload)


@bp.route("/<slug>/versions/<int:number>")
@require_research
def version(slug: str, number: int):
    survey = survey_or_404(slug)
    found = research.survey_version(db.session(), survey.id, number)
    if found is None:
        abort(404)
    definition = definition_of(found)
    return render_template(
        "research/manage_version.html",
        survey=survey,
        version=found,
        definition=definition,
        fields=len([q for q in definition.iter_questions() if q.is_answerable]),
        is_current=found.id == survey.current_version_id,
        title=title_in(survey),
        language_of=language,
    )


# --- status ----------------------------------------------------------------


def survey_or_404(slug: str):
    """The researcher's survey ``slug`` that has a version, else 404."""
    survey = survey_for(db.session(), slug, research_partnerships())
    if survey is None or survey.current_version is None:
        abort(404)
    return survey


@bp.route("/<slug>/status", methods=["POST"])
@require_research
def status(slug: str):
    survey = survey_or_404(slug)
    form = StatusForm()
    if not form.validate():
        abort(400)
    wanted = SurveyStatus(form.status.data)
    before = survey.status
    if before == wanted:
        flash(_("Nothing changed: the survey was already %(status)s.", status=_status(wanted)))
    elif (before, wanted) not in TRANSITIONS:
        flash(_("A survey in draft cannot be closed; open it first."), "error")
    else:
        survey.status = wanted
        record(
            db.session(),
            "survey_status",
            user_id=current_user().id,
            partnership_id=survey.partnership_id,
            target=survey.slug,
            detail=f"{before.value} -> {wanted.value}",
        )
        db.commit()
        if wanted == SurveyStatus.OPEN:
            flash(_("%(title)s is open: respondents can answer it.", title=title_in(survey)))
        else:
            flash(_("%(title)s is closed: no new answers are taken.", title=title_in(survey)))
    return redirect(url_for("research.dashboard"))


@bp.route("/<slug>/archive", methods=["POST"])
@require_research
def archive(slug: str):
    survey = survey_or_404(slug)
    form = ArchiveForm()
    if not form.validate():
        abort(400)
    title = title_in(survey)
    if form.archive.data == "yes":
        research.archive_survey(db.session(), survey)
        action, message = "archive_survey", _("%(title)s is archived.", title=title)
    else:
        research.unarchive_survey(survey)
        action, message = "unarchive_survey", _("%(title)s is back in the list.", title=title)
    _record(action, survey)
    db.commit()
    flash(message)
    return redirect(url_for("research.dashboard"))


@bp.route("/<slug>/delete", methods=["POST"])
@require_research
def delete(slug: str):
    survey = survey_or_404(slug)
    form = DeleteForm()
    if not form.validate():
        flash(_("Tick the box to confirm that the survey is to be deleted."), "error")
        return redirect(url_for("research.dashboard"))
    title = title_in(survey)
    try:
        _record("delete_survey", survey)
        research.delete_survey(db.session(), survey)
    except research.HasResponses:
        db.session().rollback()
        flash(_("%(title)s has responses: archive it instead.", title=title), "error")
        return redirect(url_for("research.dashboard"))
    db.commit()
    flash(_("%(title)s is deleted.", title=title))
    return redirect(url_for("research.dashboard"))


def _record(action: str, survey) -> None:
    record(
        db.session(),
        action,
        user_id=current_user().id,
        partnership_id=survey.partnership_id,
        target=survey.slug,
    )


def _status(value: SurveyStatus) -> str:
    return {
        SurveyStatus.DRAFT: _("in draft"),
        SurveyStatus.OPEN: _("open"),
        SurveyStatus.CLOSED: _("closed"),
    }[value]
