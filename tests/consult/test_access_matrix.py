"""Every route x every role of two partnerships: allowed or denied, and nothing crosses over.

Two partnerships, A (the demo partnership) and B (built here), each with an
admin, a researcher and a committee member, and with data of every kind: a
completed response (free text carrying the partnership's marker), its text
unit, a codebook version with a theme of its own, a coding sample, an approved
quote, focus-group sessions with a prompt, a note segment, sign-ups and a
"next session" sign-up, and a publication. Then every endpoint of the app is
requested, by every role, for A's objects and for B's, and compared with the
endpoint's access class in ``CLASSIFICATION`` below.

A new route fails ``test_every_route_is_classified`` until it is added to
``CLASSIFICATION``: say who may reach it and how to build its URL for A's
object and for B's.

Access classes (roles: anonymous; committee, researcher, admin of A; same of B):

- ``public``: everyone, signed in or not.
- ``signed-in``: any signed-in member; anonymous users are sent to sign in.
- ``research``: admins and researchers of any partnership (the page shows their own
  partnership's data); committee members get 403; anonymous users sign in.
- ``admin``: admins of any partnership (their own partnership's data); others 403.
- ``research-of``: admins and researchers of the partnership that owns the object in
  the URL. Committee members get 403; admins and researchers of the other
  partnership get 404, exactly as if the object did not exist.
- ``admin-of``: admins of the partnership named in the request; others 403 or 404.
- ``member-of``: any member (committee, researcher, admin) of the owning partnership;
  members of the other partnership get 404.
- ``committee-of``: committee members of the owning partnership (a ballot); its
  researchers and admins get 403; members of the other partnership get 404.
- ``umbrella``: umbrella analysts only (the page shows the partnerships that share
  with them); everyone else 403, anonymous users sign in.

An umbrella analyst (a fourth role of each side; A shares its core indicators, B
does not) is no member: every ``member-of``/``committee-of`` page is refused to them,
like every research and admin page.

Denied means: a redirect to /login for anonymous users (or 401: chart images),
403 or 404 for signed-in users, and an object made for a refused request that
would delete it is still there. Allowed means: neither 401/403/404 nor a
redirect to /login. Never a server error. GET and POST are both requested
where a route has them; POSTs carry a valid CSRF token and minimal data, as
the point is the access decision, not success.

Besides the statuses: no response to one partnership's members (or to anonymous
users) contains the other partnership's free text, reference codes, quotes,
codebook themes, sample and publication titles, focus-group notes or contacts
and user emails, and outside the public respondent pages not even its survey
slug, name or focus-group titles; and after the whole matrix no row of one
partnership was written by the other's users or points at the other's rows.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask import url_for
from sqlalchemy import select

from analysis.codebook import Theme, add_theme, codebook_from_dict
from consult import create_app, db
from consult.auth import invitations
from consult.auth.services import add_user, find_partnership, find_user
from consult.coding import agreement
from consult.coding import services as coding
from consult.coding.models import (
    ApprovedQuote,
    CodebookVersion,
    CodeDecision,
    CodingSample,
    SampleCoding,
    TextUnitRow,
)
from consult.demo import DEMO_ACCOUNTS, demo_form_bytes
from consult.focusgroups import rosters as fg_rosters
from consult.focusgroups import services as focus
from consult.focusgroups import signups as fg_signups
from consult.focusgroups import transcripts as fg_transcripts
from consult.focusgroups.models import (
    FocusGroupPrompt,
    FocusGroupSegment,
    FocusGroupSession,
    FocusGroupSignup,
    SessionMode,
)
from consult.models import (
    AuditEvent,
    Partnership,
    Response,
    Role,
    Survey,
    SurveyStatus,
    User,
    utcnow,
)
from consult.reports.models import Publication
from consult.strategy import rounds as strategy_rounds
from consult.strategy.models import PriorityRound, RoundStatus, Service
from consult.survey.services import import_survey, store_response, survey_by_slug
from consult.umbrella import services as umbrella
from consult.waves import services as waves
from consult.waves.models import Study, StudyWave
from tests.conftest import csrf_from, sign_in
from tests.consult import walker

# --- access classes and the classification of every endpoint ---------------------------

PUBLIC = "public"
SIGNED_IN = "signed-in"
RESEARCH = "research"
ADMIN = "admin"
RESEARCH_OF = "research-of"
ADMIN_OF = "admin-of"
MEMBER_OF = "member-of"
COMMITTEE_OF = "committee-of"
UMBRELLA = "umbrella"
ACCESS_CLASSES = {
    UMBRELLA,
    PUBLIC,
    SIGNED_IN,
    RESEARCH,
    ADMIN,
    RESEARCH_OF,
    ADMIN_OF,
    MEMBER_OF,
    COMMITTEE_OF,
}


@dataclass(frozen=True)
class Of:
    """A URL parameter or form value taken from the owning partnership's objects."""

    name: str


@dataclass(frozen=True)
class Fresh:
    """A new object of the owning partnership for each request (routes that delete it)."""

    kind: str


@dataclass(frozen=True)
class Route:
    access: str | dict[str, str]  # one class, or one per method ({"GET": ..., "POST": ...})
    params: dict = field(default_factory=dict)  # url_for arguments (query string included)
    data: dict = field(default_factory=dict)  # POST form fields besides the CSRF token
    json: bool = False  # POST a JSON body instead of a form
    signs_out: bool = False  # the client must sign in again afterwards

    def access_for(self, method: str) -> str:
        return self.access if isinstance(self.access, str) else self.access[method]


def route(access, *, data=None, json=False, signs_out=False, **params) -> Route:
    return Route(access, params, data or {}, json, signs_out)


PID = {"partnership": Of("pid")}  # pages that pick "their" partnership from ?partnership=

CLASSIFICATION: dict[str, Route] = {
    # respondents: open to everyone
    "survey.index": route(PUBLIC),
    "survey.consent": route(PUBLIC, slug=Of("slug")),
    "survey.give_consent": route(PUBLIC, slug=Of("slug"), data={"consent": "yes"}),
    "survey.page": route(PUBLIC, slug=Of("slug"), number=1),
    "survey.saved": route(PUBLIC, slug=Of("slug")),
    "survey.done": route(PUBLIC, slug=Of("slug")),
    "survey.finish": route(PUBLIC),
    "survey.resume": route(PUBLIC),
    "withdraw.withdraw": route(PUBLIC),
    "focusgroups.signup_index": route(PUBLIC),
    "focusgroups.signup": route(PUBLIC, session_id=Of("session_id")),
    "focusgroups.thanks": route(PUBLIC),
    "api.list_surveys": route(PUBLIC),
    "api.describe": route(PUBLIC, slug=Of("slug")),
    "api.submit": route(PUBLIC, slug=Of("slug"), json=True),
    "api.withdraw": route(PUBLIC, json=True),
    "api.openapi_document": route(PUBLIC),
    "auth.login": route(PUBLIC),
    "auth.logout": route(PUBLIC, signs_out=True),
    # committee members and up
    "reports.committee_index": route(SIGNED_IN),
    "reports.committee_view": route(MEMBER_OF, publication_id=Of("publication_id")),
    "reports.committee_download": route(MEMBER_OF, publication_id=Of("publication_id"), kind="csv"),
    "reports.committee_chart": route(
        MEMBER_OF, publication_id=Of("publication_id"), name="prevalence", kind="svg"
    ),
    "priorities.gap_map": route(MEMBER_OF, publication_id=Of("publication_id")),
    "priorities.round_index": route(SIGNED_IN),
    "priorities.ballot": route({"GET": MEMBER_OF, "POST": COMMITTEE_OF}, round_id=Of("round_id")),
    "priorities.draft": route(MEMBER_OF, round_id=Of("closed_round_id"), kind="html"),
    # researchers: pages about "my partnership"
    "research.dashboard": route(RESEARCH),
    "services.index": route(RESEARCH),
    "services.import_file": route(RESEARCH),
    "services.new": route(RESEARCH, data={"organisation": ""}),
    "services.export": route(RESEARCH, kind="csv"),
    "rounds.index": route(RESEARCH),
    "waves.index": route(RESEARCH, data={"title": ""}),
    "umbrella.bank": route(RESEARCH),
    # umbrella analysts: protected core indicators of the partnerships sharing with them
    "umbrella.index": route(UMBRELLA),
    "reports.publications": route(RESEARCH, data={"title": ""}),
    "coding.queue": route(RESEARCH, status="all"),
    "codebook.index": route(RESEARCH, **PID),
    "codebook.add": route(RESEARCH, data=PID),
    "codebook.merge": route(RESEARCH, data=PID),
    "codebook.split": route(RESEARCH, data=PID),
    "agreement.index": route(RESEARCH),
    "insight.emerging": route(RESEARCH),
    "insight.make_theme": route(RESEARCH),
    "insight.quotes": route(RESEARCH),
    # another partnership's unit is refused with 400; test_no_one_writes_... checks nothing was made
    "insight.approve_quote": route(
        RESEARCH, data={"unit_id": Fresh("unit"), "theme": "housing", "text": "Rent is high"}
    ),
    "manage.import_survey_page": route(RESEARCH),
    "manage.confirm_import": route(RESEARCH),
    "focusgroups.research.index": route(RESEARCH),
    "focusgroups.research.new_session": route(RESEARCH, data={"partnership_id": Of("pid")}),
    # researchers: one object of one partnership
    "research.responses": route(RESEARCH_OF, slug=Of("slug")),
    "research.response": route(RESEARCH_OF, response_id=Of("response_id")),
    "research.live": route(RESEARCH_OF, slug=Of("slug")),
    "exports.export": route(
        RESEARCH_OF, slug=Of("slug"), data={"format": "csv", "labels": "codes"}
    ),
    "manage.version": route(RESEARCH_OF, slug=Of("slug"), number=1),
    "translations.translations": route(RESEARCH_OF, slug=Of("slug")),
    "manage.status": route(RESEARCH_OF, slug=Of("slug")),
    "manage.archive": route(RESEARCH_OF, slug=Of("slug")),
    "manage.delete": route(RESEARCH_OF, slug=Of("slug")),
    "translations.languages": route(RESEARCH_OF, slug=Of("slug")),
    "coding.decide": route(RESEARCH_OF, unit_id=Of("unit_id")),
    # acts on the researcher's own partnership: another partnership's units are left alone
    "coding.bulk": route(
        RESEARCH, data={"theme": "housing", "decision": "yes", "unit": Of("unit_id")}
    ),
    "coding.undo_bulk": route(RESEARCH_OF, event_id=Fresh("bulk")),
    "coding.translation": route(RESEARCH_OF, unit_id=Of("unit_id")),
    "coding.passage": route(
        RESEARCH_OF, unit_id=Of("unit_id"), data={"theme": "housing", "passage": "rent"}
    ),
    "coding.summary": route(RESEARCH_OF, slug=Of("slug")),
    "codebook.theme": route(RESEARCH_OF, key=Of("theme_key"), **PID),
    "agreement.sample": route(RESEARCH_OF, sample_id=Of("sample_id")),
    "agreement.code": route(RESEARCH_OF, sample_id=Of("sample_id")),
    "insight.withdraw_quote": route(RESEARCH_OF, quote_id=Fresh("quote")),
    "focusgroups.research.session": route(RESEARCH_OF, session_id=Of("session_id")),
    "focusgroups.research.edit_session": route(RESEARCH_OF, session_id=Of("session_id")),
    "focusgroups.research.add_prompt": route(RESEARCH_OF, session_id=Of("session_id")),
    "focusgroups.research.edit_prompt": route(
        RESEARCH_OF, session_id=Of("session_id"), prompt_id=Of("prompt_id")
    ),
    "focusgroups.research.delete_prompt": route(
        RESEARCH_OF, session_id=Of("session_id"), prompt_id=Fresh("prompt")
    ),
    "focusgroups.research.roster": route(RESEARCH_OF, session_id=Of("session_id")),
    "focusgroups.research.attendance": route(
        RESEARCH_OF, session_id=Of("session_id"), data={"attended": Of("signup_id")}
    ),
    "focusgroups.research.promote": route(
        RESEARCH_OF, session_id=Of("session_id"), signup_id=Of("signup_id")
    ),
    "focusgroups.research.delete_contact": route(
        RESEARCH_OF, session_id=Of("session_id"), signup_id=Fresh("signup")
    ),
    "focusgroups.research.export_roster": route(RESEARCH_OF, session_id=Of("session_id")),
    "focusgroups.research.assign": route(RESEARCH_OF, signup_id=Of("interested_id")),
    "focusgroups.research.delete_interested_contact": route(
        RESEARCH_OF, signup_id=Fresh("interested")
    ),
    "focusgroups.research.notes": route(RESEARCH_OF, session_id=Of("session_id")),
    "focusgroups.research.upload": route(RESEARCH_OF, session_id=Of("session_id")),
    "focusgroups.research.edit_segment": route(
        RESEARCH_OF, session_id=Of("session_id"), segment_id=Of("segment_id")
    ),
    "focusgroups.research.delete_segment": route(
        RESEARCH_OF, session_id=Of("session_id"), segment_id=Fresh("segment")
    ),
    "services.edit": route(RESEARCH_OF, service_id=Of("service_id")),
    "services.delete": route(RESEARCH_OF, service_id=Fresh("service")),
    "services.suggestion": route(
        RESEARCH_OF, service_id=Of("service_id"), data={"theme": "housing", "decision": "dismiss"}
    ),
    "rounds.open_round": route(RESEARCH_OF, publication_id=Of("publication_id")),
    "rounds.manage": route(RESEARCH_OF, round_id=Of("round_id")),
    "rounds.close": route(RESEARCH_OF, round_id=Fresh("round")),
    "waves.study": route(RESEARCH_OF, study_id=Of("study_id")),
    "waves.add_wave": route(RESEARCH_OF, study_id=Of("study_id"), data={"survey": ""}),
    "waves.remove_wave": route(RESEARCH_OF, study_id=Of("study_id"), wave_id=Fresh("wave")),
    "waves.map_question": route(
        RESEARCH_OF, study_id=Of("study_id"), wave_id=Of("wave_id"), data={"first": ""}
    ),
    "waves.map_choice": route(
        RESEARCH_OF, study_id=Of("study_id"), wave_id=Of("wave_id"), data={"question": ""}
    ),
    # admins
    "admin.index": route(ADMIN),
    "admin.audit_log": route(ADMIN),
    "admin.settings": route(
        {"GET": ADMIN, "POST": ADMIN_OF},
        data={"partnership_id": Of("pid"), "contact_retention_days": "30"},
    ),
    "admin.contact": route(ADMIN_OF, data={"partnership_id": Of("pid")}),
    "admin.umbrella": route(ADMIN_OF, data={"partnership_id": Of("pid"), "action": "update"}),
    "users.index": route(ADMIN),
    "users.invite": route(
        ADMIN_OF,
        data={
            "partnership_id": Of("pid"),
            "email": "invited@matrix.example",
            "role": "committee",
            "method": "link",
        },
    ),
    # a fresh committee member of the owner for each request (a refused one stays as it was)
    "users.user": route(ADMIN_OF, user_id=Fresh("member")),
    "users.role": route(
        ADMIN_OF, user_id=Fresh("member"), data={"partnership_id": Of("pid"), "role": "researcher"}
    ),
    "users.reset": route(ADMIN_OF, user_id=Fresh("member"), data={"method": "link"}),
    "users.active": route(ADMIN_OF, user_id=Fresh("member"), data={"active": "0"}),
    "auth.invitation": route(PUBLIC, token=Fresh("invitation")),
    "auth.change_password": route(SIGNED_IN),
    "research.switch_partnership": route(RESEARCH_OF, data={"partnership": Of("pid")}),
}

NOT_CLASSIFIED = {"static"}

# --- the two partnerships and their data -------------------------------------------------

MARK = {"A": "MARKER-A-7f3c", "B": "MARKER-B-91d2"}
LEVELS = (Role.COMMITTEE, Role.RESEARCHER, Role.ADMIN, Role.UMBRELLA)
ROLES = [("anonymous", None, None)] + [
    (f"{side}-{level.value}", side, level) for side in "AB" for level in LEVELS
]
B_ACCOUNTS = tuple(
    (f"{level.value}@b-lip.consult.local", f"b-{level.value}-password", level) for level in LEVELS
)
A_ACCOUNTS = (
    *DEMO_ACCOUNTS,
    ("umbrella@a-lip.consult.local", "a-umbrella-password", Role.UMBRELLA),
)


def _side(session, key: str, partnership: Partnership, slug: str, accounts) -> SimpleNamespace:
    users = {role: (email, password) for email, password, role in accounts}
    return SimpleNamespace(
        key=key,
        mark=MARK[key],
        pid=partnership.id,
        name=partnership.name,
        slug=slug,
        survey_id=survey_by_slug(session, slug).id,
        users=users,
        user_ids={find_user(session, email).id for email, _p in users.values()},
        emails=[email for email, _p in users.values()],
    )


def _signup_answers(side, contact: str, name: str) -> fg_signups.SignupAnswers:
    return fg_signups.SignupAnswers(
        interface_language="en",
        preferred_language="en",
        needs_interpretation=False,
        needs_childcare=False,
        availability=["weekend"],
        years_in_canada="y1_3",
        age_band="a25_34",
        gender="woman",
        consent_contact=True,
        consent_purpose=True,
        name=name,
        contact_method="email",
        contact_value=contact,
        availability_notes="",
        accessibility_needs="",
    )


def _session_values(side) -> dict:
    return {
        "title": f"Focus group of {side.name}",
        "purpose": "Hear what newcomers need.",  # public, like the title
        "starts_at": utcnow() + timedelta(days=10),
        "timezone": "America/Toronto",
        "duration_minutes": 90,
        "mode": SessionMode.IN_PERSON,
        "place": "Library",
        "languages": ["en", "fr"],
        "interpretation_offered": False,
        "capacity": 10,
        "childcare_notes": "",
        "accessibility_notes": "",
        "status": "open",
    }


class World:
    """The app, both partnerships' data, and a signed-in test client per role."""

    def __init__(self, app):
        self.app = app
        self.counter = itertools.count(1)
        self.sides = self._partnerships()
        for side in self.sides.values():
            self._respond(side)
            self._more_responses(side)
        with app.app_context():
            for side in self.sides.values():
                self._research_data(side)
            db.commit()
        with app.app_context():
            umbrella.share(db.session(), db.session().get(Partnership, self.sides["A"].pid))
            db.commit()
        self.clients = {name: self._client(side, level) for name, side, level in ROLES}
        for side in self.sides.values():
            self._publish(side)
        with app.app_context():
            for side in self.sides.values():
                self._strategy(side)
            db.commit()

    # -- building

    def _partnerships(self) -> dict[str, SimpleNamespace]:
        with self.app.app_context():
            session = db.session()
            a = find_partnership(session, "demo-lip")
            b = Partnership(slug="b-lip", name="Northshore Immigration Partnership (B)")
            session.add(b)
            session.flush()
            imported = import_survey(session, b, demo_form_bytes(), "b.md", slug="b-survey")
            imported.survey.status = SurveyStatus.OPEN
            for email, password, level in B_ACCOUNTS:
                add_user(session, email, password, level, b)
            add_user(session, *A_ACCOUNTS[-1], a)
            db.commit()
            return {
                "A": _side(session, "A", a, "needs-assessment", A_ACCOUNTS),
                "B": _side(session, "B", b, "b-survey", B_ACCOUNTS),
            }

    def _respond(self, side) -> None:
        respondent = self.app.test_client()
        walker.complete(respondent, side.slug, text=f"The rent is too high. {side.mark}")
        with self.app.app_context():
            response = db.session().scalar(
                select(Response).where(Response.survey_id == side.survey_id).order_by(Response.id)
            )
            side.response_id, side.reference = response.id, response.reference

    def _more_responses(self, side, count: int = 6) -> None:
        """Enough answers about housing that the published summary shows counts."""
        with self.app.app_context():
            session = db.session()
            survey = survey_by_slug(session, side.slug)
            answers = {
                "years_in_canada": "lt1",
                "age_band": "a25_34",
                "area": "downtown",
                "hardest_part": "The rent is too high",
            }
            for _ in range(count):
                instance = str(uuid.uuid4())
                store_response(session, survey, survey.current_version_id, instance, "en", answers)
            db.commit()

    def _research_data(self, side) -> None:
        session = db.session()
        unit = session.scalar(
            select(TextUnitRow).where(
                TextUnitRow.response_id == side.response_id, TextUnitRow.question == "hardest_part"
            )
        )
        assert unit is not None and "housing" in coding.effective_themes(unit)
        side.unit_id = unit.id
        row = coding.current_codebook_row(session, side.pid)
        side.theme_key = f"own_theme_{side.key.lower()}"
        codebook = codebook_from_dict(row.data)
        theme = Theme(key=side.theme_key, labels={"en": f"Theme {side.mark}"})
        new = add_theme(codebook, theme)
        coding.save_codebook(session, side.pid, new, None, f"theme {side.mark}")
        side.sample_id = self._flushed(
            agreement.create_sample(session, side.pid, f"Sample {side.mark}", 5)
        )
        side.quote_id = self._flushed(self._quote(side, "housing"))
        found = focus.create_session(session, side.pid, _session_values(side))
        side.session_id = self._flushed(found)
        side.prompt_id = focus.add_prompt(session, found, {"en": f"Prompt {side.mark}"}).id
        signup = fg_signups.sign_up(
            session, side.pid, found, _signup_answers(side, f"p@{side.key}.example", side.mark)
        )
        side.signup_id = signup.id
        fg_rosters.set_attendance(session, found, {signup.id})
        side.interested_id = self._fresh_interested(side)
        segment = fg_transcripts.add_segment(
            session,
            found,
            fg_transcripts.SegmentValues(
                side.prompt_id, "P1", "en", f"Rent {side.mark}", None, None
            ),
        )
        side.segment_id = segment.id

    def _flushed(self, row) -> int:
        db.session().add(row)
        db.session().flush()
        return row.id

    def _quote(self, side, theme: str) -> ApprovedQuote:
        return ApprovedQuote(
            partnership_id=side.pid,
            unit_id=side.unit_id,
            theme=theme,
            text=f"Quote {side.mark}",
            language="en",
        )

    def _fresh_interested(self, side) -> int:
        contact = f"next{next(self.counter)}@{side.key}.example"
        answers = _signup_answers(side, contact, side.mark)
        return fg_signups.sign_up(db.session(), side.pid, None, answers).id

    def _client(self, side_key, level):
        client = self.app.test_client()
        if side_key is not None:
            email, password = self.sides[side_key].users[level]
            assert sign_in(client, email, password).status_code == 302
        client.csrf = csrf_from(client.get("/login").text)
        return client

    def clone(self, role: str):
        """Another browser signed in as the same role, for a request that ends its
        sign-in (a copy of the cookie would end the original's too)."""
        side_key, level = next((s, lv) for name, s, lv in ROLES if name == role)
        return self._client(side_key, level)

    def _publish(self, side) -> None:
        client = self.clients[f"{side.key}-{Role.RESEARCHER.value}"]
        answer = client.post(
            "/research/publications",
            data={
                "csrf_token": client.csrf,
                "title": f"Summary {side.mark}",
                "surveys": [str(side.survey_id)],
                "focus_groups": "yes",
            },
        )
        assert answer.status_code == 302, answer.text[:500]
        side.publication_id = int(answer.headers["Location"].rstrip("/").rsplit("/", 1)[1])

    def _strategy(self, side) -> None:
        """A service, an open round and a closed round of ``side``, each carrying its marker."""
        session = db.session()
        service = Service(
            partnership_id=side.pid,
            organisation=f"Org {side.mark}",
            name=f"Service {side.mark}",
            themes=["housing"],
            suggested_themes=["income"],
            languages=["en"],
            areas=[],
        )
        side.service_id = self._flushed(service)
        side.round_id = self._round(side).id
        closed = self._round(side)
        strategy_rounds.close_round(session, closed)
        side.closed_round_id = closed.id
        self._study(side)

    def _study(self, side) -> None:
        """A study of ``side`` with two waves (the survey, and its first version alone)."""
        session = db.session()
        study = waves.create_study(session, side.pid, f"Study {side.mark}", None)
        survey = session.get(Survey, side.survey_id)
        waves.add_wave(session, study, survey, None, "2026")
        side.study_id, side.wave_id = study.id, waves.add_wave(session, study, survey, 1, "v1").id

    def _round(self, side) -> PriorityRound:
        session = db.session()
        publication = session.get(Publication, side.publication_id)
        settings = strategy_rounds.RoundSettings(
            f"Round {side.mark}", "rank", None, "area", ("theme:housing", "theme:income")
        )
        return strategy_rounds.open_round(session, publication, settings, None)

    def fresh(self, kind: str, side) -> int:
        """A new object of ``side`` for a request that deletes or uses it up."""
        with self.app.app_context():
            session = db.session()
            found = focus.session_for(session, side.session_id, {side.pid})
            side_row = session.get(Partnership, side.pid)
            if kind == "unit":
                unit = TextUnitRow(
                    partnership_id=side.pid,
                    source="survey",
                    survey_id=side.survey_id,
                    respondent_key=f"fresh{next(self.counter)}",
                    language="en",
                    text="The rent is too high",
                )
                session.add(unit)
                coder, version = coding.coder_for(session.connection(), side.pid)
                coding.code_unit(session, unit, coder, version)
                made = self._flushed(unit)
            elif kind == "quote":
                made = self._flushed(self._quote(side, f"victim_{next(self.counter)}"))
            elif kind == "prompt":
                made = focus.add_prompt(session, found, {"en": "Victim prompt"}).id
            elif kind == "segment":
                values = fg_transcripts.SegmentValues(None, "", "en", "Victim segment", None, None)
                made = fg_transcripts.add_segment(session, found, values).id
            elif kind == "signup":
                contact = f"victim{next(self.counter)}@{side.key}.example"
                made = fg_signups.sign_up(
                    session, side.pid, found, _signup_answers(side, contact, "V")
                ).id
            elif kind == "interested":
                made = self._fresh_interested(side)
            elif kind == "service":
                made = self._flushed(
                    Service(
                        partnership_id=side.pid,
                        organisation="Victim",
                        name=f"Victim {next(self.counter)}",
                        languages=["en"],
                    )
                )
            elif kind == "round":
                made = self._round(side).id
            elif kind == "bulk":
                made = self._flushed(
                    AuditEvent(
                        action="bulk_review",
                        partnership_id=side.pid,
                        target="housing",
                        data={"theme": "housing", "present": True, "count": 0, "units": []},
                    )
                )
            elif kind == "member":
                email = f"member{next(self.counter)}@{side.key.lower()}.example"
                made = self._flushed(
                    add_user(session, email, "member-password-1", Role.COMMITTEE, side_row)
                )
            elif kind == "invitation":
                member = add_user(
                    session,
                    f"invited{next(self.counter)}@x.example",
                    "p" * 12,
                    Role.COMMITTEE,
                    side_row,
                )
                session.flush()
                made = invitations.create(session, member, None, 7)
            elif kind == "wave":
                study = session.get(Study, side.study_id)
                wave = StudyWave(
                    position=len(study.waves) + 100 + next(self.counter),
                    label="Victim wave",
                    survey_id=side.survey_id,
                    question_names={},
                )
                study.waves.append(wave)
                made = self._flushed(wave)
            else:
                raise AssertionError(f"no fresh {kind}")
            db.commit()
            return made

    def exists(self, kind: str, object_id: int) -> bool:
        """Whether a fresh object is still there (denied requests must leave it alone)."""
        if kind == "round":
            with self.app.app_context():
                return db.session().get(PriorityRound, object_id).status == RoundStatus.OPEN
        if kind == "member":
            with self.app.app_context():
                user = db.session().get(User, object_id)
                roles = {m.role for m in user.memberships}
                return user.is_active and roles == {Role.COMMITTEE}
        table = {
            "bulk": AuditEvent,
            "wave": StudyWave,
            "service": Service,
            "unit": TextUnitRow,
            "quote": ApprovedQuote,
            "prompt": FocusGroupPrompt,
            "segment": FocusGroupSegment,
            "signup": FocusGroupSignup,
            "interested": FocusGroupSignup,
        }[kind]
        with self.app.app_context():
            found = db.session().get(table, object_id)
            if kind in {"signup", "interested"}:
                return found is not None and found.contact is not None
            return found is not None

    # -- markers

    def secrets(self, side) -> list[str]:
        """Strings of ``side`` that only its own members may ever see."""
        return [side.mark, side.reference, *side.emails]

    def private(self, side) -> list[str]:
        """Names of ``side`` that are public on respondent pages but not elsewhere."""
        return [side.slug, side.name, f"Focus group of {side.name}"]


@pytest.fixture(scope="module")
def world(databases, tmp_path_factory):
    url = databases.new(tmp_path_factory.mktemp("access-matrix"))
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "RATELIMIT_ENABLED": False,
            "IMPORT_STASH_DIR": str(tmp_path_factory.mktemp("stash")),
        }
    )
    yield World(app)
    db.dispose(app)
    databases.drop(url)


# --- running the matrix ------------------------------------------------------------------


@dataclass
class Outcome:
    endpoint: str
    method: str
    owner: str
    role: str
    access: str
    url: str
    status: int
    location: str
    body: str  # "" for binary bodies
    problem: str | None


def _value(world: World, side, value, made: list):
    if isinstance(value, Of):
        return getattr(side, value.name)
    if isinstance(value, Fresh):
        made.append((value.kind, world.fresh(value.kind, side)))
        return made[-1][1]
    return value


def expectation(access: str, role: str, side_key: str | None, level, owner: str) -> str:
    """``allow``, ``login`` (anonymous sent to sign in), ``forbid`` (403/404) or ``hide`` (404)."""
    if access == PUBLIC:
        return "allow"
    if side_key is None:
        return "login"
    if access == UMBRELLA:
        return "allow" if level == Role.UMBRELLA else "forbid"
    if level == Role.UMBRELLA and access in (MEMBER_OF, COMMITTEE_OF):
        return "forbid"  # no member: not even their own partnership's committee pages
    research = level in (Role.RESEARCHER, Role.ADMIN)
    if access == SIGNED_IN:
        return "allow"
    if access == RESEARCH:
        return "allow" if research else "forbid"
    if access == ADMIN:
        return "allow" if level == Role.ADMIN else "forbid"
    if access == RESEARCH_OF:
        if not research:
            return "forbid"
        return "allow" if side_key == owner else "hide"
    if access == ADMIN_OF:
        return "allow" if level == Role.ADMIN and side_key == owner else "forbid"
    if access == MEMBER_OF:
        return "allow" if side_key == owner else "hide"
    if access == COMMITTEE_OF:
        if side_key != owner:
            return "hide"
        return "allow" if level == Role.COMMITTEE else "forbid"
    raise AssertionError(f"unknown access class {access!r}")


def judge(expect: str, status: int, location: str) -> str | None:
    to_login = 300 <= status < 400 and urlsplit(location).path == "/login"
    if status >= 500:
        return f"server error {status}"
    if expect == "allow" and (status in {401, 403, 404} or to_login):
        return f"should be allowed, got {status} {location}".rstrip()
    if expect == "login" and not (to_login or status == 401):
        return f"anonymous should be sent to sign in, got {status} {location}".rstrip()
    if expect == "forbid" and status not in {403, 404}:
        return f"should be refused (403/404), got {status} {location}".rstrip()
    if expect == "hide" and status != 404:
        return f"another partnership's object should be 404, got {status} {location}".rstrip()
    return None


def _owners(spec: Route, method: str) -> str:
    """Both partnerships for routes about an object; once for the others."""
    values = [*spec.params.values(), *(spec.data.values() if method == "POST" else ())]
    return "AB" if any(isinstance(v, Of | Fresh) for v in values) else "-"


def _methods(rule) -> list[str]:
    return [m for m in ("GET", "POST") if m in rule.methods]


def _request(world: World, role: str, endpoint: str, spec: Route, method: str, owner: str):
    side = world.sides.get(owner, world.sides["A"])
    _name, side_key, level = next(r for r in ROLES if r[0] == role)
    client = world.clone(role) if spec.signs_out else world.clients[role]
    made: list[tuple[str, int]] = []
    with world.app.test_request_context():
        params = {k: _value(world, side, v, made) for k, v in spec.params.items()}
        url = url_for(endpoint, **params)
    access = spec.access_for(method)
    kwargs = {}
    if method == "POST":
        data = {k: _value(world, side, v, made) for k, v in spec.data.items()}
        if spec.json:
            kwargs["json"] = data
        else:
            kwargs["data"] = {"csrf_token": client.csrf, **data}
    try:
        answer = client.open(url, method=method, **kwargs)
    except Exception as error:  # noqa: BLE001 - reported as a failure with the rest
        return Outcome(endpoint, method, owner, role, access, url, 500, "", "", f"raised {error!r}")
    status, location = answer.status_code, answer.headers.get("Location", "")
    binary = answer.mimetype in {"application/pdf", "image/png"}
    body = "" if binary else answer.get_data(as_text=True)
    answer.close()
    expect = expectation(access, role, side_key, level, owner)
    problem = judge(expect, status, location)
    if problem is None and expect != "allow":
        touched = [f"{kind} {made_id}" for kind, made_id in made if not world.exists(kind, made_id)]
        if touched:
            problem = f"refused, yet changed {', '.join(touched)}"
    return Outcome(endpoint, method, owner, role, access, url, status, location, body, problem)


@pytest.fixture(scope="module")
def outcomes(world) -> list[Outcome]:
    found = []
    for rule in sorted(world.app.url_map.iter_rules(), key=lambda r: r.endpoint):
        spec = CLASSIFICATION.get(rule.endpoint)
        if spec is None:
            continue
        for method in _methods(rule):
            for owner, (role, _s, _l) in itertools.product(_owners(spec, method), ROLES):
                found.append(_request(world, role, rule.endpoint, spec, method, owner))
    return found


# --- the tests ---------------------------------------------------------------------------


def test_every_route_is_classified():
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "test"})
    db.dispose(app)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - NOT_CLASSIFIED
    missing = sorted(endpoints - set(CLASSIFICATION))
    stale = sorted(set(CLASSIFICATION) - endpoints)
    assert not missing, (
        "classify this new route in tests/consult/test_access_matrix.py "
        f"(CLASSIFICATION: access class and URL parameters): {', '.join(missing)}"
    )
    assert not stale, f"these classified endpoints no longer exist: {', '.join(stale)}"
    for endpoint, spec in CLASSIFICATION.items():
        methods = {m for r in app.url_map.iter_rules(endpoint) for m in _methods(r)}
        for method in methods:
            access = spec.access_for(method)
            assert access in ACCESS_CLASSES, f"{endpoint}: unknown access class {access!r}"
            if access.endswith("-of"):
                assert _owners(spec, method) == "AB", f"{endpoint}: {access} needs an object"


def test_every_role_is_allowed_or_denied_as_classified(outcomes):
    failures = [
        f"{o.method} {o.url} [{o.endpoint}, {o.access}"
        f"{', object of ' + o.owner if o.owner != '-' else ''}] "
        f"as {o.role}: {o.problem}"
        for o in outcomes
        if o.problem
    ]
    assert outcomes
    assert not failures, f"{len(failures)} access failures:\n" + "\n".join(failures)


def test_no_data_of_one_partnership_reaches_another(world, outcomes):
    leaks = []
    for o in outcomes:
        # anonymous users may see no one's data; members none of the other partnership's
        others = "AB" if o.role == "anonymous" else "AB".replace(o.role[0], "")
        for other in others:
            side = world.sides[other]
            watched = world.secrets(side)
            if o.access != PUBLIC:
                watched += world.private(side)
            for text in watched:
                if text in o.body and text not in o.url:  # pages may echo their own URL
                    leaks.append(f"{o.method} {o.url} [{o.endpoint}] as {o.role} shows {text!r}")
    assert not leaks, f"{len(leaks)} leaks across partnerships:\n" + "\n".join(leaks)


# (endpoint, method, role level) whose body must show the owner's marker when its own
# members ask: proof that the markers are rendered, so their absence elsewhere means something.
SHOWN_TO_OWNERS = (
    ("research.response", "GET", "researcher"),
    ("research.responses", "GET", "researcher"),
    ("coding.queue", "GET", "researcher"),
    ("coding.translation", "GET", "researcher"),
    ("codebook.index", "GET", "researcher"),
    ("insight.quotes", "GET", "researcher"),
    ("agreement.index", "GET", "researcher"),
    ("exports.export", "POST", "researcher"),
    ("focusgroups.research.notes", "GET", "researcher"),
    ("focusgroups.research.session", "GET", "researcher"),
    ("focusgroups.research.export_roster", "POST", "admin"),
    ("reports.committee_index", "GET", "committee"),
    ("reports.committee_view", "GET", "committee"),
    ("admin.audit_log", "GET", "admin"),
    ("services.index", "GET", "researcher"),
    ("rounds.index", "GET", "researcher"),
    ("priorities.round_index", "GET", "committee"),
    ("priorities.ballot", "GET", "committee"),
    ("priorities.draft", "GET", "committee"),
)


def test_each_partnership_sees_its_own_markers(world, outcomes):
    missing = []
    for endpoint, method, level in SHOWN_TO_OWNERS:
        for key, side in world.sides.items():
            role = f"{key}-{level}"
            bodies = [
                o.body
                for o in outcomes
                if (o.endpoint, o.method, o.role) == (endpoint, method, role)
                and o.owner in (key, "-")
            ]
            if not any(s in body for body in bodies for s in (side.mark, side.reference)):
                missing.append(f"{method} {endpoint} as {role}")
    assert not missing, "the owner's marker is not shown where expected: " + ", ".join(missing)


def test_no_one_writes_into_another_partnership(world, outcomes):
    """After every request of the matrix: nothing of A was made by B's users, and no row
    of one partnership points at a row of the other."""
    assert outcomes
    wrong = []
    with world.app.app_context():
        session = db.session()
        for side in world.sides.values():
            foreign = set().union(*(s.user_ids for s in world.sides.values() if s is not side))
            authored = (
                (AuditEvent, AuditEvent.user_id),
                (CodebookVersion, CodebookVersion.created_by),
                (ApprovedQuote, ApprovedQuote.approved_by),
                (Publication, Publication.published_by),
                (PriorityRound, PriorityRound.opened_by),
                (Study, Study.created_by),
            )
            for table, author in authored:
                rows = session.scalars(
                    select(table.id).where(table.partnership_id == side.pid, author.in_(foreign))
                ).all()
                wrong += [f"{table.__name__} {row} of {side.key} by another's user" for row in rows]
            decided = (
                select(CodeDecision.id)
                .join(TextUnitRow)
                .where(TextUnitRow.partnership_id == side.pid, CodeDecision.user_id.in_(foreign))
            )
            wrong += [
                f"CodeDecision {row} on {side.key}'s unit by another's user"
                for row in session.scalars(decided)
            ]
        pairs = (
            (ApprovedQuote, TextUnitRow, ApprovedQuote.unit_id == TextUnitRow.id),
            (PriorityRound, Publication, PriorityRound.publication_id == Publication.id),
            (Response, Survey, Response.survey_id == Survey.id),
            (TextUnitRow, Survey, TextUnitRow.survey_id == Survey.id),
            (
                FocusGroupSignup,
                FocusGroupSession,
                FocusGroupSignup.session_id == FocusGroupSession.id,
            ),
            (
                FocusGroupPrompt,
                FocusGroupSession,
                FocusGroupPrompt.session_id == FocusGroupSession.id,
            ),
            (
                FocusGroupSegment,
                FocusGroupSession,
                FocusGroupSegment.session_id == FocusGroupSession.id,
            ),
        )
        crossed = (
            select(StudyWave.id)
            .join(Study, StudyWave.study_id == Study.id)
            .join(Survey, StudyWave.survey_id == Survey.id)
            .where(Study.partnership_id != Survey.partnership_id)
        )
        wrong += [
            f"StudyWave {row} is another partnership's survey" for row in session.scalars(crossed)
        ]
        for child, parent, on in pairs:
            rows = session.scalars(
                select(child.id)
                .join(parent, on)
                .where(child.partnership_id != parent.partnership_id)
            ).all()
            wrong += [
                f"{child.__name__} {row} belongs to another partnership's {parent.__name__}"
                for row in rows
            ]
        samples = {s.id: s.partnership_id for s in session.scalars(select(CodingSample))}
        units = dict(session.execute(select(TextUnitRow.id, TextUnitRow.partnership_id)).all())
        for sample in session.scalars(select(CodingSample)):
            wrong += [
                f"CodingSample {sample.id} holds another partnership's unit {u}"
                for u in sample.unit_ids
                if units.get(u, sample.partnership_id) != sample.partnership_id
            ]
        for coding_row in session.scalars(select(SampleCoding)):
            if units.get(coding_row.unit_id) != samples.get(coding_row.sample_id):
                wrong.append(f"SampleCoding {coding_row.id} mixes partnerships")
    assert not wrong, "\n".join(wrong)
