"""What a survey page template needs: wording, values, errors, progress."""

from __future__ import annotations

from dataclasses import dataclass, replace

from consult.survey.messages import problem_message
from consult.survey.pageform import as_form_value, page_form
from consult.survey.services import title_in
from forms.flow import FieldProblem, Page, available_choices, is_relevant, page_questions
from forms.localize import LocalizedQuestion, localize, wording
from forms.model import Group, Question, Repeat
from forms.repeats import MAX_ENTRIES, field_name_of, fixed_count, relevant_children


@dataclass(frozen=True)
class PageItem:
    """One element of the page as the template shows it."""

    question: LocalizedQuestion
    field: object | None
    error: str | None
    kind: str


@dataclass(frozen=True)
class RepeatItem:
    """A roster: its entries (each a list of items), and whether entries can change."""

    question: LocalizedQuestion
    entries: list[list[PageItem]]
    fixed: bool
    can_add: bool
    kind: str = "repeat"


@dataclass(frozen=True)
class _Value:
    data: object


def page_context(survey, definition, draft, pages, number, formdata, problems: list[FieldProblem]):
    """Everything ``survey/page.html`` renders for page ``number`` of ``pages``."""
    page: Page = pages[number - 1]
    language, fallback = draft.language, definition.default_language
    answers = {**draft.answers, **_posted(formdata)}
    relevant = page_questions(page, answers)
    relevant_names = {q.name for q in relevant}
    form = page_form(relevant, formdata=formdata, values=with_defaults(relevant, draft.answers))
    by_name = definition.questions_by_name()
    errors = {
        p.question: problem_message(by_name.get(p.question), p.code, language, fallback)
        for p in problems
    }
    items = _items(page.elements, relevant_names, form, errors, language, fallback, answers)
    title_source = page.title_source
    return {
        "survey": survey,
        "survey_title": title_in(survey, language),
        "page_title": wording(title_source.label, language, fallback) if title_source else None,
        "items": items,
        "form": form,
        "errors": [(name, errors[name]) for name in errors if name in relevant_names],
        "number": number,
        "total": len(pages),
        "is_last": number == len(pages),
        "shown": " ".join(_shown_names(relevant, items)),
    }


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


def _posted(formdata) -> dict:
    if formdata is None:
        return {}
    return {key: formdata.getlist(key) for key in formdata}


def _items(elements, relevant_names, form, errors, language, fallback, answers) -> list[PageItem]:
    items: list[PageItem] = []
    for element in elements:
        if isinstance(element, Group):
            items.extend(
                _items(element.children, relevant_names, form, errors, language, fallback, answers)
            )
        elif isinstance(element, Repeat):
            if is_relevant(element, answers):
                items.append(_repeat_item(element, errors, language, fallback, answers))
        elif isinstance(element, Question):
            item = _item(element, relevant_names, form, errors, language, fallback, answers)
            if item is not None:
                items.append(item)
    return items


def _item(question: Question, relevant_names, form, errors, language, fallback, answers):
    if question.type == "note":
        if not is_relevant(question, answers):
            return None
        return PageItem(localize(question, language, fallback), None, None, "note")
    if question.name not in relevant_names:
        return None
    if question.choice_filter:
        question = replace(question, choices=available_choices(question, answers))
    field = form[question.name]
    kind = _kind(question)
    return PageItem(localize(question, language, fallback), field, errors.get(question.name), kind)


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


def _repeat_item(repeat: Repeat, errors, language, fallback, answers) -> RepeatItem:
    fixed = fixed_count(repeat, answers)
    entries = list(answers.get(repeat.name) or [])
    count = fixed if fixed is not None else max(len(entries), 1)
    entries = (entries + [{}] * count)[:count]
    rendered = []
    for index, entry in enumerate(entries):
        items = []
        for question in relevant_children(repeat, answers, entry):
            name = field_name_of(repeat.name, index, question.name)
            shown = replace(localize(question, language, fallback), name=name)
            value = as_form_value(question, entry.get(question.name))
            items.append(PageItem(shown, _Value(value), errors.get(name), _kind(question)))
        rendered.append(items)
    return RepeatItem(
        question=localize(repeat, language, fallback),
        entries=rendered,
        fixed=fixed is not None,
        can_add=fixed is None and count < MAX_ENTRIES,
    )
