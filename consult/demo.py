"""The demo partnership, its surveys and accounts that ``make run`` loads.

The needs-assessment survey (open, 12 languages); an employer survey and a
service-provider scan (English and French, left as drafts for a researcher
to open); the default LIP codebook with the themes that fit employers and
providers added (:func:`analysis.codebook.audience_themes`). For umbrella
analysts (:func:`load_umbrella`): a second partnership asking the same core
questions, generated answers to the core questions in both, both sharing
their core indicators, and an umbrella analyst of both.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.codebook import audience_themes
from consult.auth.services import add_user, find_partnership, set_role
from consult.coding.services import current_codebook, current_codebook_row, save_codebook
from consult.definitions import definition_of
from consult.models import Partnership, Role, SurveyStatus
from consult.survey.services import import_survey, store_response

DEMO_PARTNERSHIP = ("demo-lip", "Riverside Local Immigration Partnership (demo)")
DEMO_FORM = "needs_assessment.md"
AUDIENCE_FORMS = (
    ("employer_survey.md", "employer-survey"),
    ("provider_survey.md", "provider-scan"),
)
"""The other audiences' demo instruments (file in forms/demo, slug), loaded as drafts."""
# How newcomers reach the demo partnership (shown on the consent page). Names and
# notes are drafts by the developers, awaiting review like the interface catalogues.
DEMO_CONTACT = {
    "contact_email": "hello@riverside-lip.example",
    "contact_phone": "613 555 0100",
    "contact_url": "https://riverside-lip.example",
    "public_names": {
        "fr": "Partenariat local en matière d'immigration de Riverside (démo)",
        "ar": "شراكة الهجرة المحلية في ريفرسايد (تجريبية)",
        "zh-Hans": "河畔地方移民合作伙伴（演示）",
        "pa": "ਰਿਵਰਸਾਈਡ ਲੋਕਲ ਇਮੀਗ੍ਰੇਸ਼ਨ ਪਾਰਟਨਰਸ਼ਿਪ (ਡੈਮੋ)",
        "tl": "Lokal na Partnership sa Imigrasyon ng Riverside (demo)",
        "es": "Alianza Local de Inmigración de Riverside (demostración)",
        "fa": "مشارکت محلی مهاجرت ریورساید (نمایشی)",
        "ur": "ریور سائیڈ لوکل امیگریشن پارٹنرشپ (ڈیمو)",
        "uk": "Місцеве імміграційне партнерство Ріверсайд (демо)",
        "ti": "ናይ ሪቨርሳይድ ከባቢያዊ ሽርክና ስደተኛታት (መርኣያ)",
        "so": "Iskaashiga Socdaalka Deegaanka ee Riverside (tijaabo)",
    },
    "contact_notes": {
        "en": "Call or write Monday to Friday, 9:00 to 17:00.",
        "fr": "Appelez ou écrivez du lundi au vendredi, de 9 h à 17 h.",
        "ar": "اتصلوا بنا أو راسلونا من الاثنين إلى الجمعة، من 9:00 إلى 17:00.",
        "zh-Hans": "周一至周五 9:00 至 17:00 可来电或来信。",
        "pa": "ਸੋਮਵਾਰ ਤੋਂ ਸ਼ੁੱਕਰਵਾਰ, 9:00 ਤੋਂ 17:00 ਵਜੇ ਤੱਕ ਫ਼ੋਨ ਕਰੋ ਜਾਂ ਲਿਖੋ।",
        "tl": "Tumawag o sumulat Lunes hanggang Biyernes, 9:00 hanggang 17:00.",
        "es": "Llame o escriba de lunes a viernes, de 9:00 a 17:00.",
        "fa": "دوشنبه تا جمعه، ساعت 9:00 تا 17:00 تماس بگیرید یا بنویسید.",
        "ur": "پیر سے جمعہ، 9:00 سے 17:00 بجے تک فون کریں یا لکھیں۔",
        "uk": "Телефонуйте або пишіть з понеділка по п’ятницю, з 9:00 до 17:00.",
        "ti": "ካብ ሰኑይ ክሳብ ዓርቢ፡ ካብ 9:00 ክሳብ 17:00 ደውሉ ወይ ጽሓፉ።",
        "so": "Wac ama qor Isniinta ilaa Jimcaha, 9:00 ilaa 17:00.",
    },
}
DEMO_ACCOUNTS = (
    ("admin@demo.consult.local", "demo-admin-password", Role.ADMIN),
    ("researcher@demo.consult.local", "demo-researcher-password", Role.RESEARCHER),
    ("committee@demo.consult.local", "demo-committee-password", Role.COMMITTEE),
)

UMBRELLA_PARTNERSHIP = ("lakeside-lip", "Lakeside Local Immigration Partnership (demo)")
UMBRELLA_ACCOUNTS = (("umbrella@demo.consult.local", "demo-umbrella-password", Role.UMBRELLA),)
"""The umbrella analyst of both demo partnerships."""
UMBRELLA_RESPONSES = {"demo-lip": 60, "lakeside-lip": 45}
"""Generated responses (core questions only) per demo partnership."""


def demo_form_bytes(name: str = DEMO_FORM) -> bytes:
    """A demo XLSForm shipped in ``forms/demo`` (the needs assessment by default)."""
    return resources.files("forms").joinpath("demo", name).read_bytes()


def load_demo(db: Session, audiences: bool = True) -> bool:
    """Load the demo data once; return False when it was already there.

    ``audiences``: also the employer survey, the service-provider scan and
    their themes (:func:`load_audiences`); the test suite's template
    database leaves them out, so that its tests meet one survey and the
    default codebook.
    """
    if find_partnership(db, DEMO_PARTNERSHIP[0]) is not None:
        return False
    partnership = Partnership(slug=DEMO_PARTNERSHIP[0], name=DEMO_PARTNERSHIP[1], **DEMO_CONTACT)
    db.add(partnership)
    db.flush()
    current_codebook_row(db, partnership.id)  # the default LIP codebook, version 1
    imported = import_survey(db, partnership, demo_form_bytes(), DEMO_FORM)
    imported.survey.status = SurveyStatus.OPEN
    if audiences:
        load_audiences(db, partnership)
    for email, password, role in DEMO_ACCOUNTS:
        add_user(db, email, password, role, partnership)
    if audiences:
        load_umbrella(db, partnership)
    return True


def load_umbrella(db: Session, partnership: Partnership) -> None:
    """A second partnership with the same survey (closed), generated answers to the core
    questions in both, both sharing their core indicators, and an umbrella analyst."""
    from consult.umbrella.services import share

    lakeside = Partnership(slug=UMBRELLA_PARTNERSHIP[0], name=UMBRELLA_PARTNERSHIP[1])
    db.add(lakeside)
    db.flush()
    current_codebook_row(db, lakeside.id)
    imported = import_survey(db, lakeside, demo_form_bytes(), DEMO_FORM, slug="lakeside-needs")
    imported.survey.status = SurveyStatus.CLOSED
    db.flush()
    for seed, row in enumerate((partnership, lakeside)):
        _generated_answers(db, row, UMBRELLA_RESPONSES[row.slug], seed)
    for email, password, role in UMBRELLA_ACCOUNTS:
        user = add_user(db, email, password, role, partnership)
        set_role(db, user, lakeside, role)
    for row in (partnership, lakeside):
        share(db, row)


def _generated_answers(db: Session, partnership: Partnership, count: int, seed: int) -> None:
    """``count`` responses answering only the core questions, drawn with a fixed seed."""
    from consult.models import Survey
    from forms.bank import core_indicators

    draw = random.Random(seed)
    survey = db.scalars(select(Survey).where(Survey.partnership_id == partnership.id)).first()
    core = core_indicators(definition_of(survey.current_version))
    for _ in range(count):
        answers = {}
        for name, question in core.items():
            choices = [c.name for c in question.choices]
            weights = [len(choices) - i + draw.random() * 3 for i in range(len(choices))]
            if question.type == "select_multiple":
                answers[name] = sorted({draw.choices(choices, weights)[0] for _ in range(2)})
            else:
                answers[name] = draw.choices(choices, weights)[0]
        instance = str(uuid.UUID(int=draw.getrandbits(128)))
        store_response(db, survey, survey.current_version_id, instance, "en", answers)


def load_audiences(db: Session, partnership: Partnership) -> None:
    """The employer survey and service-provider scan (drafts), and the themes that fit them."""
    for name, slug in AUDIENCE_FORMS:
        import_survey(db, partnership, demo_form_bytes(name), name, slug=slug)
    codebook = current_codebook(db, partnership.id)
    added = tuple(t for t in audience_themes() if t.key not in codebook)
    codebook = replace(codebook, version=codebook.version + 1, themes=codebook.themes + added)
    note = "Themes for the employer survey and the service-provider scan"
    save_codebook(db, partnership.id, codebook, None, note)
    db.flush()


def create_demo_database(audiences: bool = True) -> bool:
    """In an app context: migrate the app's database and load the demo once.

    What ``consult demo`` does; tests and benchmarks build their databases
    the same way, without the other audiences' surveys (``audiences``, see
    :func:`load_demo`). Returns False when the demo was already there.
    """
    from consult import db, migrate

    migrate.upgrade(db.engine())
    created = load_demo(db.session(), audiences)
    db.commit()
    return created
