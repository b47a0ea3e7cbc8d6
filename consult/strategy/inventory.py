"""The service inventory: import, edit, export, and themes suggested by the coder.

Services take the session and never commit; the view or command commits
once, and only when nothing was refused, so an import is all or nothing.
Rows are checked by :func:`analysis.inventory.parse_inventory`, the same
checks for a file, a command and the edit form.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.gaps import Supply
from analysis.inventory import (
    COLUMNS,
    Problem,
    ServiceRecord,
    Vocabulary,
    export_rows,
    names_to_keys,
    parse_inventory,
)
from analysis.spreadsheet import (
    UnreadableTable,
    csv_writer,
    read_rows,
    write_xlsx_row,
    xlsx_workbook,
)
from consult.coding.services import coder_for, current_codebook
from consult.definitions import definition_of
from consult.models import Survey
from consult.strategy.models import Service
from forms.languages import UnknownLanguage, language_code


def _language(name: str) -> str | None:
    try:
        return language_code(name)
    except UnknownLanguage:
        return None


AREA_QUESTION = "area"
"""The survey question whose choices name areas (a ``breakdown`` question of that name)."""


def area_choices(db: Session, partnership_id: int) -> list:
    """Choices of the ``area`` breakdown question of the partnership's surveys (merged by name)."""
    found: dict[str, object] = {}
    for survey in db.scalars(select(Survey).where(Survey.partnership_id == partnership_id)):
        if survey.current_version is None:
            continue
        for question in definition_of(survey.current_version).breakdown_questions():
            if question.name == AREA_QUESTION:
                for choice in question.choices:
                    found.setdefault(choice.name, choice)
    return list(found.values())


def vocabulary(db: Session, partnership_id: int) -> Vocabulary:
    """What inventory cells may name: the codebook's themes, languages, the survey's areas.

    Themes by key or by label in any language; areas by the name or label
    of a choice of the ``area`` question (any area when there is none).
    """
    codebook = current_codebook(db, partnership_id)
    themes = names_to_keys((t.key, t.labels.values()) for t in codebook.themes)
    areas = names_to_keys((c.name, c.label.values()) for c in area_choices(db, partnership_id))
    return Vocabulary(theme_names=themes, language=_language, area_names=areas)


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did (nothing when ``problems``)."""

    added: int = 0
    updated: int = 0
    problems: tuple[Problem, ...] = ()
    file_error: str | None = None


def import_file(db: Session, partnership_id: int, data: bytes, filename: str) -> ImportOutcome:
    """Check every row of a CSV or XLSX inventory; add or update services only if all pass.

    A row whose organisation and service (ignoring case) match a service
    already in the inventory updates it; the others are added.
    """
    try:
        rows = read_rows(data, filename)
    except UnreadableTable as error:
        return ImportOutcome(file_error=error.code)
    records, problems = parse_inventory(rows, vocabulary(db, partnership_id))
    if problems:
        return ImportOutcome(problems=tuple(problems))
    added, updated = save_records(db, partnership_id, records)
    return ImportOutcome(added=added, updated=updated)


def save_records(
    db: Session, partnership_id: int, records: Sequence[ServiceRecord]
) -> tuple[int, int]:
    """Add or update (matched on organisation and service, ignoring case); (added, updated)."""
    existing = {_identity(s.organisation, s.name): s for s in services_of(db, partnership_id)}
    coder, _version = coder_for(db.connection(), partnership_id)
    added = updated = 0
    for record in records:
        service = existing.get(_identity(record.organisation, record.service))
        if service is None:
            service = Service(partnership_id=partnership_id)
            apply_record(service, record, coder)
            db.add(service)
            added += 1
        else:
            apply_record(service, record, coder)
            updated += 1
    db.flush()
    return added, updated


def apply_record(service: Service, record: ServiceRecord, coder) -> None:
    """Copy a checked row onto a service and suggest themes from its description."""
    service.organisation = record.organisation
    service.name = record.service
    service.description = record.description
    service.description_language = record.description_language
    service.themes = list(record.themes)
    service.languages = list(record.languages)
    service.areas = list(record.areas)
    service.eligibility = record.eligibility
    service.contact = record.contact
    service.suggested_themes = suggest_themes(coder, record)


def suggest_themes(coder, record: ServiceRecord) -> list[str]:
    """Themes the partnership's coder finds in the description, not already confirmed."""
    if not record.description:
        return []
    found = coder.match_text(record.description, record.description_language)
    return [m.theme for m in found if m.theme not in record.themes]


def _identity(organisation: str, name: str) -> tuple[str, str]:
    return organisation.strip().casefold(), name.strip().casefold()


def services_of(db: Session, partnership_id: int) -> list[Service]:
    """The partnership's services, by organisation then name."""
    return list(
        db.scalars(
            select(Service)
            .where(Service.partnership_id == partnership_id)
            .order_by(Service.organisation, Service.name, Service.id)
        )
    )


def service_for(db: Session, service_id: int, partnerships: Iterable[int]) -> Service | None:
    """The service with this id if it belongs to one of ``partnerships``."""
    service = db.get(Service, service_id)
    if service is None or service.partnership_id not in set(partnerships):
        return None
    return service


def as_record(service: Service) -> ServiceRecord:
    """A stored service as a checked row (for export and the edit form)."""
    return ServiceRecord(
        row=0,
        organisation=service.organisation,
        service=service.name,
        languages=tuple(service.languages),
        themes=tuple(service.themes),
        areas=tuple(service.areas),
        description=service.description,
        description_language=service.description_language,
        eligibility=service.eligibility,
        contact=service.contact,
    )


def update_service(
    db: Session, partnership_id: int, service: Service | None, cells: dict
) -> tuple[Service | None, list[Problem]]:
    """Check one service's cells (as in a file, :data:`COLUMNS`; lists for list cells) and save.

    ``service`` None adds a new one. Refused when another service of the
    partnership has the same organisation and name.
    """
    row = [_cell(cells.get(name, "")) for name in COLUMNS]
    records, problems = parse_inventory([list(COLUMNS), row], vocabulary(db, partnership_id))
    if problems:
        return None, problems
    record = records[0]
    clash = next(
        (
            s
            for s in services_of(db, partnership_id)
            if s is not service
            and _identity(s.organisation, s.name) == _identity(record.organisation, record.service)
        ),
        None,
    )
    if clash is not None:
        return None, [Problem(2, "service", "service_exists")]
    coder, _version = coder_for(db.connection(), partnership_id)
    if service is None:
        service = Service(partnership_id=partnership_id)
        db.add(service)
    apply_record(service, record, coder)
    db.flush()
    return service, []


def delete_service(db: Session, service: Service) -> None:
    """Remove a service from the inventory (rounds keep the inventory they froze)."""
    db.delete(service)


def _cell(value) -> str:
    """A form value as an inventory cell (lists joined as in a file)."""
    return "; ".join(value) if isinstance(value, list | tuple) else str(value)


def decide_suggestion(service: Service, theme: str, confirm: bool) -> bool:
    """Confirm (add to the service's themes) or dismiss a suggested theme; False if none."""
    if theme not in service.suggested_themes:
        return False
    service.suggested_themes = [t for t in service.suggested_themes if t != theme]
    if confirm and theme not in service.themes:
        service.themes = [*service.themes, theme]
    return True


def supply_of(db: Session, partnership_id: int) -> list[Supply]:
    """What the gap map counts of each service: confirmed themes, languages, areas."""
    return [
        Supply(frozenset(s.themes), tuple(s.languages), tuple(s.areas))
        for s in services_of(db, partnership_id)
    ]


def export_rows_of(services: Iterable[Service]) -> list[list[str]]:
    """The inventory as rows: a header, then a row per service (see :data:`COLUMNS`)."""
    return export_rows(as_record(s) for s in services)


def export_csv(services: Iterable[Service]) -> bytes:
    """The inventory as CSV (UTF-8 with a byte-order mark, which Excel needs), formulas
    neutralised."""
    buffer = io.StringIO()
    csv_writer(buffer).writerows(export_rows_of(services))
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(services: Iterable[Service]) -> bytes:
    """The inventory as an XLSX workbook (text cells only, formulas neutralised)."""
    buffer = io.BytesIO()
    workbook = xlsx_workbook(buffer, in_memory=True)
    sheet = workbook.add_worksheet("services")
    bold = workbook.add_format({"bold": True})
    for number, row in enumerate(export_rows_of(services)):
        write_xlsx_row(sheet, number, row, bold if number == 0 else None)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()
