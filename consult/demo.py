"""The demo partnership, needs-assessment survey and accounts that ``make run`` loads."""

from __future__ import annotations

from importlib import resources

from sqlalchemy.orm import Session

from consult.auth.services import add_user, find_partnership
from consult.coding.services import current_codebook_row
from consult.models import Partnership, Role, SurveyStatus
from consult.survey.services import import_survey

DEMO_PARTNERSHIP = ("demo-lip", "Riverside Local Immigration Partnership (demo)")
DEMO_FORM = "needs_assessment.md"
DEMO_ACCOUNTS = (
    ("admin@demo.consult.local", "demo-admin-password", Role.ADMIN),
    ("researcher@demo.consult.local", "demo-researcher-password", Role.RESEARCHER),
    ("committee@demo.consult.local", "demo-committee-password", Role.COMMITTEE),
)


def demo_form_bytes() -> bytes:
    """The demo needs-assessment XLSForm shipped in ``forms/demo``."""
    return resources.files("forms").joinpath("demo", DEMO_FORM).read_bytes()


def load_demo(db: Session) -> bool:
    """Load the demo data once; return False when it was already there."""
    if find_partnership(db, DEMO_PARTNERSHIP[0]) is not None:
        return False
    partnership = Partnership(slug=DEMO_PARTNERSHIP[0], name=DEMO_PARTNERSHIP[1])
    db.add(partnership)
    db.flush()
    current_codebook_row(db, partnership.id)  # the default LIP codebook, version 1
    imported = import_survey(db, partnership, demo_form_bytes(), DEMO_FORM)
    imported.survey.status = SurveyStatus.OPEN
    for email, password, role in DEMO_ACCOUNTS:
        add_user(db, email, password, role, partnership)
    return True


def create_demo_database() -> bool:
    """In an app context: migrate the app's database and load the demo once.

    What ``consult demo`` does; tests and benchmarks build their databases
    the same way. Returns False when the demo was already there.
    """
    from consult import db, migrate

    migrate.upgrade(db.engine())
    created = load_demo(db.session())
    db.commit()
    return created
