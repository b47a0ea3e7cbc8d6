"""The need side of the gap map, read from what a publication stores: its frozen report.

A publication holds its report in every report language with disclosure
control already applied (``consult.reports``). The gap map and the
strategy draft take every need figure from there, never from responses, so
they show exactly the protected counts the committee already reads, and
follow any change to how publications protect them. This module is the one
place that reads them.
"""

from __future__ import annotations

from sqlalchemy.orm import object_session
from werkzeug.exceptions import Gone

from analysis.gaps import NeedTable, needs_from_report
from analysis.report import Report, report_from_dict
from consult.reports import services
from consult.reports.build import report_languages
from consult.reports.models import Publication
from consult.reports.routes import published_languages


def report_language(publication: Publication, wanted: str | None) -> str:
    """``wanted`` if the publication exists in it, else English, else its first language."""
    available = published_languages(publication)
    if wanted in available:
        return wanted
    return "en" if "en" in available else available[0]


def published_report(publication: Publication, lang: str) -> Report:
    """The publication's protected report in ``lang`` (see :func:`report_language`).

    A publication a respondent has withdrawn from since it was made is
    re-derived first (as the committee pages do), so no gap map, round or
    draft reads a count or quote of a withdrawn response. One that can no
    longer be published safely is gone (410).
    """
    current(publication)
    return report_from_dict(publication.snapshot[report_language(publication, lang)])


def current(publication: Publication) -> None:
    """Re-derive ``publication`` if a respondent it counted withdrew; 410 if it was withdrawn."""
    session = object_session(publication)
    if session is not None and services.refresh(session, publication, report_languages()):
        session.commit()
    if publication.withdrawn_reason or not publication.snapshot:
        raise Gone(publication.withdrawn_reason or None)


def published_needs(publication: Publication, lang: str, area: str | None) -> list[NeedTable]:
    """Protected need tables of the publication: by language and by the ``area`` breakdown."""
    return needs_from_report(published_report(publication, lang), area)
