"""Flask-WTF forms of the focus-group pages (CSRF on every one).

Every message goes through gettext so errors read in the user's language;
every field keeps what was typed when the form comes back with errors.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from consult.focusgroups import choices
from consult.focusgroups.text import (
    MAX_SEGMENT_CHARS,
    MAX_TRANSCRIPT_BYTES,
    is_valid_email,
    is_valid_participant_code,
    is_valid_phone,
    normalise_participant_code,
    normalise_phone,
)
from consult.i18n import UI_LANGUAGES, language
from consult.models import utcnow
from forms.digits import ascii_digits

OTHER_LANGUAGE = choices.OTHER_LANGUAGE


def options(pairs) -> list[SelectChoice]:
    """WTForms choices from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def language_choices(codes=UI_LANGUAGES, other: bool = False) -> list[SelectChoice]:
    """Languages in their own names, optionally with "another language" last."""
    pairs = [(code, language(code).own_name) for code in codes]
    if other:
        pairs.append((OTHER_LANGUAGE, str(_l("Another language"))))
    return options(pairs)


def _whole_number(low: int, high: int, message):
    def check(_form, field) -> None:
        value = ascii_digits((field.data or "").strip())
        if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
            raise ValidationError(message)
        field.data = value

    return check


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class SessionForm(FlaskForm):
    partnership_id = SelectField(_l("Partnership"), coerce=int)
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Please give the session a title.")),
            Length(max=200, message=_l("Please keep the title under 200 characters.")),
        ],
    )
    purpose = TextAreaField(
        _l("What the group is for (shown to people who sign up)"),
        validators=[
            DataRequired(message=_l("Please say what the group is for.")),
            Length(max=5000, message=_l("Please keep this under 5,000 characters.")),
        ],
    )
    date = DateField(
        _l("Date"), validators=[InputRequired(message=_l("Please enter a valid date."))]
    )
    time = TimeField(
        _l("Start time"), validators=[InputRequired(message=_l("Please enter a valid time."))]
    )
    timezone = SelectField(
        _l("Time zone"), choices=options(choices.TIMEZONES), default="America/Toronto"
    )
    duration_minutes = StringField(
        _l("Length in minutes"),
        default="120",
        validators=[_whole_number(15, 600, _l("Please enter a length from 15 to 600 minutes."))],
    )
    mode = RadioField(
        _l("In person or online"),
        choices=options(choices.MODES),
        default="in_person",
        validators=[InputRequired(message=_l("Please choose in person or online."))],
    )
    place = StringField(
        _l("Place (address, or how the online link is sent)"),
        validators=[
            DataRequired(message=_l("Please say where the group meets.")),
            Length(max=500, message=_l("Please keep this under 500 characters.")),
        ],
    )
    languages = SelectMultipleField(
        _l("Languages the group runs in"),
        validators=[InputRequired(message=_l("Please choose at least one language."))],
    )
    interpretation_offered = BooleanField(_l("Interpretation is offered"))
    capacity = StringField(
        _l("Places (capacity)"),
        default="10",
        validators=[_whole_number(1, 500, _l("Please enter a number of places from 1 to 500."))],
    )
    childcare_notes = TextAreaField(
        _l("Childcare"),
        validators=[Length(max=2000, message=_l("Please keep this under 2,000 characters."))],
    )
    accessibility_notes = TextAreaField(
        _l("Accessibility"),
        validators=[Length(max=2000, message=_l("Please keep this under 2,000 characters."))],
    )
    status = SelectField(_l("Status"), choices=options(choices.STATUSES), default="open")

    def __init__(self, *args, partnerships=(), original_starts_at=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        partnerships = list(partnerships)
        self.partnership_id.choices = options((p.id, p.name) for p in partnerships)
        if self.partnership_id.data is None and len(partnerships) == 1:
            self.partnership_id.data = partnerships[0].id
        self.languages.choices = language_choices()
        self.original_starts_at = original_starts_at

    def starts_at(self) -> datetime | None:
        """The start as a timezone-aware datetime, or ``None`` if a part is missing."""
        if self.date.data is None or self.time.data is None:
            return None
        zone = ZoneInfo(self.timezone.data or "America/Toronto")
        return datetime.combine(self.date.data, self.time.data, tzinfo=zone)

    def validate_time(self, field) -> None:
        starts = self.starts_at()
        if starts is None:
            return
        original = self.original_starts_at
        unchanged = original is not None and starts == original.replace(second=0, microsecond=0)
        if not unchanged and starts <= utcnow():
            raise ValidationError(_l("This date and time are in the past."))


def prompt_form_class(languages: list[str]) -> type[FlaskForm]:
    """A prompt form with one text box per language: English and French required."""
    wanted = list(dict.fromkeys(["en", "fr", *languages]))

    class PromptForm(FlaskForm):
        codes = wanted

        def texts(self) -> dict[str, str]:
            """``{language: text}`` of the boxes that were filled."""
            found = {}
            for code in self.codes:
                value = (getattr(self, _prompt_field(code)).data or "").strip()
                if value:
                    found[code] = value
            return found

    for code in wanted:
        validators = [Length(max=2000, message=_l("Please keep this under 2,000 characters."))]
        if code in ("en", "fr"):
            validators.insert(
                0, DataRequired(message=_l("Please give the prompt in English and in French."))
            )
        field = TextAreaField(
            _l("Prompt in %(language)s", language=language(code).own_name), validators=validators
        )
        setattr(PromptForm, _prompt_field(code), field)
    return PromptForm


def _prompt_field(code: str) -> str:
    return "text_" + code.replace("-", "_")


class SignupForm(FlaskForm):
    session_choice = RadioField(
        _l("Which focus group?"),
        validators=[
            InputRequired(message=_l("Please choose a group, or ask to hear about the next one."))
        ],
    )
    preferred_language = SelectField(
        _l("Which language do you want to speak in the group?"),
        validators=[InputRequired(message=_l("Please choose a language."))],
    )
    needs_interpretation = BooleanField(_l("I need an interpreter"))
    needs_childcare = BooleanField(_l("I need childcare to attend"))
    accessibility_needs = TextAreaField(
        _l("Anything that would make it easier for you to take part (optional)"),
        validators=[Length(max=1000, message=_l("Please keep this under 1,000 characters."))],
    )
    availability = SelectMultipleField(
        _l("When are you usually free?"),
        choices=options(choices.AVAILABILITY),
        validators=[Optional()],
    )
    availability_notes = StringField(
        _l("Other times that suit you (optional)"),
        validators=[Length(max=500, message=_l("Please keep this under 500 characters."))],
    )
    name = StringField(
        _l("What should we call you? (optional)"),
        validators=[Length(max=200, message=_l("Please keep this under 200 characters."))],
    )
    contact_method = RadioField(
        _l("How should we contact you?"),
        choices=options(choices.CONTACT_METHODS),
        validators=[InputRequired(message=_l("Please choose how we should contact you."))],
    )
    contact_value = StringField(
        _l("Your phone number or email"),
        validators=[
            DataRequired(message=_l("Please give your phone number or email.")),
            Length(max=254, message=_l("Please keep this under 254 characters.")),
        ],
    )
    years_in_canada = RadioField(
        _l("How long have you lived in Canada? (optional)"),
        choices=options(choices.YEARS_IN_CANADA),
        validators=[Optional()],
    )
    age_band = RadioField(
        _l("How old are you? (optional)"),
        choices=options(choices.AGE_BAND),
        validators=[Optional()],
    )
    gender = RadioField(
        _l("What is your gender? (optional)"),
        choices=options(choices.GENDER),
        validators=[Optional()],
    )
    consent_contact = BooleanField(
        _l("I agree to be contacted about this focus group."),
        validators=[
            DataRequired(message=_l("Please agree to be contacted, or we cannot invite you."))
        ],
    )
    consent_purpose = BooleanField(
        _l("I understand what the group is for, and that reports never name who said what."),
        validators=[
            DataRequired(message=_l("Please confirm that you understand what the group is for."))
        ],
    )
    link_survey = BooleanField(_l("Link my survey answers to my sign-up"), default=False)

    def __init__(self, *args, session_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session_choice.choices = options(session_choices)
        self.preferred_language.choices = [
            SelectChoice("", str(_l("Choose…"))),
            *language_choices(other=True),
        ]

    def validate_contact_value(self, field) -> None:
        value = (field.data or "").strip()
        if not value:
            return
        if self.contact_method.data == "email" and not is_valid_email(value):
            raise ValidationError(_l("Please enter an email address like name@example.ca."))
        if self.contact_method.data in ("phone", "text"):
            if not is_valid_phone(value):
                raise ValidationError(
                    _l("Please enter a phone number with 7 to 15 digits, like 613 555 0100.")
                )
            field.data = normalise_phone(value)


class SegmentForm(FlaskForm):
    prompt_id = SelectField(_l("Prompt"), validators=[Optional()])
    participant_code = StringField(
        _l("Participant code (P1, P2…; leave empty if not one person)"),
        validators=[Length(max=10, message=_l("Please use a code like P1."))],
    )
    language = SelectField(_l("Language spoken"))
    text = TextAreaField(
        _l("What was said"),
        validators=[
            DataRequired(message=_l("Please write what was said.")),
            Length(
                max=MAX_SEGMENT_CHARS,
                message=_l("Please keep a segment under 20,000 characters; split it in two."),
            ),
        ],
    )
    translation = TextAreaField(
        _l("Translation (optional)"),
        validators=[
            Length(
                max=MAX_SEGMENT_CHARS,
                message=_l("Please keep a translation under 20,000 characters."),
            )
        ],
    )
    translation_language = SelectField(_l("Language of the translation"))

    def __init__(self, *args, prompts=(), languages=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.prompt_id.choices = options([("", str(_l("No particular prompt"))), *prompts])
        self.language.choices = language_choices(languages or UI_LANGUAGES)
        self.translation_language.choices = [
            SelectChoice("", str(_l("No translation"))),
            *language_choices(choices.TRANSLATION_LANGUAGES),
        ]

    def validate_participant_code(self, field) -> None:
        field.data = normalise_participant_code(field.data or "")
        if not is_valid_participant_code(field.data):
            raise ValidationError(_l("Please use a code like P1, P2 or P12."))

    def validate_translation_language(self, field) -> None:
        if (self.translation.data or "").strip() and not field.data:
            raise ValidationError(_l("Please say which language the translation is in."))


class TranscriptForm(FlaskForm):
    transcript = FileField(
        _l("Transcript file (.txt, UTF-8)"),
        validators=[
            FileRequired(message=_l("Please choose a transcript file.")),
            FileAllowed(["txt"], message=_l("Please upload a plain text (.txt) file.")),
            FileSize(
                max_size=MAX_TRANSCRIPT_BYTES,
                message=_l("The file is too large: the limit is 500 KB."),
            ),
        ],
    )
    prompt_id = SelectField(_l("Prompt"), validators=[Optional()])
    language = SelectField(_l("Language spoken"))

    def __init__(self, *args, prompts=(), languages=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.prompt_id.choices = options([("", str(_l("No particular prompt"))), *prompts])
        self.language.choices = language_choices(languages or UI_LANGUAGES)


class AssignForm(FlaskForm):
    session_id = SelectField(_l("Add to session"), coerce=int)

    def __init__(self, *args, sessions=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.session_id.choices = options((s.id, s.title) for s in sessions)
