"""What a survey page template needs: wording, values, errors, progress."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import current_app
from markupsafe import Markup

from consult.definitions import title_in
from consult.i18n import current_language
from consult.survey.fragments import fragment
from consult.survey.messages import problem_message
from consult.survey.pageform import as_form_value, posted_value
from forms.flow import (
    FieldProblem,
    Page,
    applicable_answers,
    available_choices,
    is_relevant,
    page_questions,
)
from forms.localize import LocalizedQuestion, Wording, localize, wording
from forms.model import Group, Question, Repeat
from forms.repeats import MAX_ENTRIES, field_name_of, fixed_count, relevant_children


@dataclass(frozen=True)
class PageItem:
    """One element of the page as the template shows it."""

    question: LocalizedQuestion | None
    value: object
    error: str | None
    kind: str
    html: Markup | None = None
    key: tuple | None = None  # the fragment's key, when ``html`` came from the cache
    new: bool = False  # opened by the answers just given (skip logic), shown highlighted
    focus: bool = False  # the first new question: the page takes the respondent there


@dataclass(frozen=True)
class ErrorEntry:
    """One line of the error summary: which question (its words), what is wrong,
    and the ``q-<anchor>`` it links to."""

    anchor: str
    question: Wording
    entry: int | None  # the repeat entry (1, 2 …) a roster question belongs to
    message: str


@dataclass(frozen=True)
class RepeatItem:
    """A roster: its entries (each a list of items), and whether entries can change."""

    question: LocalizedQuestion
    entries: list[list[PageItem]]
    fixed: bool
    can_add: bool
    kind: str = "repeat"
    key: None = None  # a roster is rendered for each request, never from the cache


@dataclass(frozen=True)
class _Showing:
    """What every question on the page is shown with."""

    definition: object
    values: dict
    errors: dict
    language: str
    fallback: str
    answers: dict
    fresh: frozenset
    revealed: tuple = ()


def page_context(
    survey, definition, draft, pages, number, formdata, problems: list[FieldProblem], revealed=()
):
    """Everything ``survey/page.html`` renders for page ``number`` of ``pages``;
    ``revealed`` names the questions the answers just posted opened on this page."""
    page: Page = pages[number - 1]
    language, fallback = draft.language, definition.default_language
    answers = applicable_answers(
        definition, {**draft.answers, **_posted(formdata)}, language=language
    )
    relevant = page_questions(page, answers)
    relevant_names = {q.name for q in relevant}
    by_name = definition.questions_by_name()
    errors = {
        p.question: problem_message(by_name.get(_base_name(p.question)), p.code, language, fallback)
        for p in problems
    }
    showing = _Showing(
        definition=definition,
        values=_values(relevant, formdata, draft.answers),
        errors=errors,
        language=language,
        fallback=fallback,
        answers=answers,
        fresh=_fresh_names(relevant, formdata, draft.answers, errors),
        revealed=tuple(revealed),
    )
    items = _items(page.elements, relevant_names, showing)
    title_source = page.title_source
    return {
        "survey": survey,
        "survey_title": title_in(survey, language),
        "page_title": wording(title_source.label, language, fallback) if title_source else None,
        "items": items,
        "errors": [
            _error_entry(name, errors[name], by_name, language, fallback)
            for name in errors
            if _base_name(name, top=True) in relevant_names
        ],
        "number": number,
        "total": len(pages),
        "is_last": number == len(pages),
        "shown": " ".join(_shown_names(relevant, items)),
        "revealed": list(revealed),
    }


def _base_name(field_name: str, top: bool = False) -> str:
    """The question a web-form field answers: ``roster.0.age`` -> ``age``
    (or, with ``top``, the repeat it sits in: ``roster``)."""
    parts = field_name.split(".")
    return parts[0] if top else parts[-1]


def _error_entry(name: str, message: str, by_name, language: str, fallback: str) -> ErrorEntry:
    question = by_name.get(_base_name(name))
    label = wording(question.label, language, fallback) if question else Wording(name, False, "")
    parts = name.split(".")
    entry = int(parts[1]) + 1 if len(parts) == 3 and parts[1].isdigit() else None
    return ErrorEntry(name, label, entry, message)


def fresh_page_key(context: dict) -> tuple | None:
    """What a page shown with nothing answered, posted or wrong depends on, or ``None``.

    Such a page is the same for every respondent (the CSRF token aside), so it
    can be rendered once per key: every item came from the fragment cache and
    the key holds everything else ``survey/page.html`` reads.
    """
    items = context["items"]
    if context["errors"] or context.get("revealed") or context.get("busy_message"):
        return None
    if any(item.key is None for item in items):
        return None
    return (
        "page",
        current_language().code,
        context["survey"].slug,
        context["survey_title"],
        context["page_title"],
        context["number"],
        context["total"],
        context["shown"],
        tuple(item.key for item in items),
    )


def _shown_names(relevant: list[Question], items) -> list[str]:
    names = [q.name for q in relevant]
    for item in items:
        if isinstance(item, RepeatItem):
            names.extend(child.question.name for entry in item.entries for child in entry)
    return names


def with_defaults(questions: list[Question], answers: dict) -> dict:
    """Saved answers, plus each question's ``default`` where it was never answered."""
    values = dict(answers)
    for question in questions:
        if question.name not in values and question.default:
            default = question.default
            values[question.name] = (
                default.split() if question.type == "select_multiple" else default
            )
    return values


def _values(questions: list[Question], formdata, answers: dict) -> dict:
    """Each question's value as its field shows it: as posted, else as saved."""
    if formdata is not None:
        return {q.name: posted_value(q, formdata) for q in questions}
    saved = with_defaults(questions, answers)
    return {q.name: as_form_value(q, saved.get(q.name)) for q in questions}


def _fresh_names(questions: list[Question], formdata, answers: dict, errors) -> frozenset:
    """Questions shown exactly as the form defines them: never answered, nothing posted,
    no error. Their markup is the same for everyone, so it comes from the fragment cache."""
    if formdata is not None:
        return frozenset()
    return frozenset(q.name for q in questions if q.name not in answers and q.name not in errors)


def _posted(formdata) -> dict:
    if formdata is None:
        return {}
    return {key: formdata.getlist(key) for key in formdata}


def _items(elements, relevant_names, showing: _Showing) -> list[PageItem]:
    items: list = []
    for element in elements:
        if isinstance(element, Group):
            items.extend(_items(element.children, relevant_names, showing))
        elif isinstance(element, Repeat):
            if is_relevant(element, showing.answers):
                items.append(_repeat_item(element, showing))
        elif isinstance(element, Question):
            item = _item(element, relevant_names, showing)
            if item is not None:
                items.append(item)
    return items


def _item(question: Question, relevant_names, showing: _Showing):
    if question.type == "note":
        if not is_relevant(question, showing.answers):
            return None
        return _fragment_item(question, showing, lambda: _note_item(question, showing))
    if question.name not in relevant_names:
        return None
    if question.choice_filter:
        question = replace(question, choices=available_choices(question, showing.answers))
    if question.name in showing.fresh:
        return _fragment_item(question, showing, lambda: _question_item(question, showing))
    return _question_item(question, showing)


def _note_item(question: Question, showing: _Showing) -> PageItem:
    return PageItem(localize(question, showing.language, showing.fallback), None, None, "note")


def _question_item(question: Question, showing: _Showing) -> PageItem:
    new = question.name in showing.revealed
    return PageItem(
        localize(question, showing.language, showing.fallback),
        showing.values.get(question.name),
        showing.errors.get(question.name),
        _kind(question),
        new=new,
        focus=new and not showing.errors and question.name == _first_shown(showing),
    )


def _first_shown(showing: _Showing) -> str | None:
    """The first revealed question of the page itself (``revealed`` lists them in
    page order, after any roster fields)."""
    return next((name for name in showing.revealed if "." not in name), None)


def _fragment_item(question: Question, showing: _Showing, build) -> PageItem:
    """An item carrying ready markup (rendered once per definition and language)."""
    key = (
        showing.language,
        question.name,
        tuple(choice.name for choice in question.choices) if question.choice_filter else (),
    )
    html = fragment(showing.definition, key, lambda: _render(build()))
    return PageItem(None, None, None, "html", html, key)


def _render(item: PageItem) -> Markup:
    template = current_app.jinja_env.get_template("survey/_fields.html")
    return template.module.question(item)  # a macro's output is already Markup


def _kind(question: Question) -> str:
    if question.type == "select_one":
        return "select" if "minimal" in question.appearance.split() else "radio"
    if question.type == "rank":
        return "rank"
    if question.type == "select_multiple":
        return "checkbox"
    if question.type == "text":
        return "textarea" if "multiline" in question.appearance.split() else "input"
    return {
        "integer": "integer",
        "decimal": "decimal",
        "date": "date",
        "time": "time",
        "datetime": "datetime",
        "acknowledge": "acknowledge",
    }.get(question.type, "input")


def _repeat_item(repeat: Repeat, showing: _Showing) -> RepeatItem:
    language, fallback, answers = showing.language, showing.fallback, showing.answers
    fixed = fixed_count(repeat, answers)
    entries = list(answers.get(repeat.name) or [])
    count = fixed if fixed is not None else max(len(entries), 1)
    entries = (entries + [{}] * count)[:count]
    rendered = []
    for index, entry in enumerate(entries):
        items = []
        for question in relevant_children(repeat, answers, entry, position=index + 1):
            name = field_name_of(repeat.name, index, question.name)
            shown = replace(localize(question, language, fallback), name=name)
            value = as_form_value(question, entry.get(question.name))
            items.append(PageItem(shown, value, showing.errors.get(name), _kind(question)))
        rendered.append(items)
    return RepeatItem(
        question=localize(repeat, language, fallback),
        entries=rendered,
        fixed=fixed is not None,
        can_add=fixed is None and count < MAX_ENTRIES,
    )
