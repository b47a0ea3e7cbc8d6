"""Real public XLSForms (tests/corpus/SOURCES.csv says where each comes from and its licence).

For each form: if it is expected to import, it imports (``--drop-unsupported``),
every page renders and accepts answers through the web pages, and the API
accepts a valid submission; otherwise it is refused with every problem
saying where it is. ``consult forms check`` over the whole folder prints the
counts and finds no crash.
"""

from __future__ import annotations

import csv
import json
import re
import uuid
from pathlib import Path

import pytest

from consult.forms_cli import is_clear
from forms.flow import available_choices, validate_submission
from forms.model import Question, Repeat, Survey
from forms.problems import FormError
from forms.repeats import child_questions, fixed_count
from forms.xlsform import read_xlsform
from tests.consult.walker import fields_of, start

HERE = Path(__file__).parent
FORMS = HERE / "forms"
with (HERE / "SOURCES.csv").open(encoding="utf-8") as _sources:
    SOURCES = list(csv.DictReader(_sources))
IMPORTED = [row for row in SOURCES if row["expect"] == "imports"]
REFUSED = [row for row in SOURCES if row["expect"] == "refused"]

VALUES = {
    "integer": "1",
    "decimal": "1.5",
    "date": "2024-01-15",
    "time": "10:30",
    "datetime": "2024-01-15T10:30",
    "text": "Finding work takes time.",
}


def _typed(question: Question, value: object) -> object:
    """A chosen answer (as typed on the web) as the API takes it: numbers as numbers."""
    if question.type == "integer":
        return int(value)
    if question.type == "decimal":
        return float(value)
    return value


def _json_value(question: Question, answers: dict | None = None) -> object:
    offered = available_choices(question, answers or {}) if question.is_select else ()
    if question.type in ("select_one",):
        return offered[0].name
    if question.type in ("select_multiple",):
        return [offered[0].name]
    if question.type == "rank":
        return [choice.name for choice in offered]
    if question.type == "acknowledge":
        return "OK"
    if question.type in ("integer", "decimal"):
        return float(VALUES[question.type]) if question.type == "decimal" else 1
    return VALUES.get(question.type, VALUES["text"])


def api_answers(survey: Survey, chosen: dict) -> dict[str, object]:
    """A valid answer to every question a respondent answers, repeats with one entry
    (``chosen`` gives the answer where a constraint needs a particular one)."""
    answers: dict[str, object] = {}
    for name, field in survey.top_level_fields().items():
        if isinstance(field, Repeat):
            entries = fixed_count(field, answers)
            entry = {q.name: _json_value(q) for q in child_questions(field)}
            answers[name] = [dict(entry) for _ in range(1 if entries is None else entries)]
        elif name in chosen:
            answers[name] = _typed(field, chosen[name])
        elif field.is_answerable and (not field.is_select or available_choices(field, answers)):
            answers[name] = _json_value(field, answers)  # a select filtered to nothing is left
    for _ in range(10):  # only what applies, until leaving out one answer changes nothing
        clean, _problems = validate_submission(survey, answers)
        kept = {name: value for name, value in answers.items() if name in clean}
        if kept == answers:
            break
        answers = kept
    return answers


def _form_value(question: Question, choices: list[str]) -> object:
    if choices:
        return choices[0] if question.type != "select_multiple" else [choices[0]]
    return VALUES.get(question.type, VALUES["text"])


def _page_data(html: str, survey: Survey, chosen: dict) -> dict:
    fields = fields_of(html)
    questions = survey.questions_by_name()
    data: dict[str, object] = {"csrf_token": fields.csrf, "action": "next", **fields.hidden}
    names = set(fields.radios) | set(fields.checkboxes) | set(fields.selects) | set(fields.texts)
    for name in names:
        question = questions.get(name.rsplit(".", 1)[-1])
        if name in chosen:
            data[name] = chosen[name]
            continue
        offered = fields.radios.get(name) or fields.checkboxes.get(name) or fields.selects.get(name)
        if question is None:
            data[name] = offered[0] if offered else VALUES["text"]
            continue
        if question.type == "rank":
            data[name] = offered[int(re.sub(r"\D", "", name) or 0) % len(offered)]
            continue
        data[name] = _form_value(question, offered or [])
    return data


def walk_every_page(client, slug: str, survey: Survey, chosen: dict, limit: int = 200) -> int:
    """Answer every page through the web, as a person would; return the pages seen."""
    page = start(client, slug)
    seen = 0
    for _ in range(limit):
        assert page.status_code == 200, page.text[:2000]
        seen += 1
        action = re.search(r'action="([^"]+/p/\d+)"', page.text).group(1)
        response = client.post(action, data=_page_data(page.text, survey, chosen))
        if response.status_code == 200 and 'role="status"' in response.text:
            page = response
            continue
        assert response.status_code == 302, "page refused valid answers:\n" + response.text[:3000]
        location = response.headers["Location"]
        if location.endswith("/done"):
            assert client.get(location).status_code == 200
            return seen
        page = client.get(location)
    raise AssertionError("the survey did not finish")


@pytest.mark.parametrize("row", IMPORTED, ids=[row["file"] for row in IMPORTED])
def test_the_form_imports_renders_every_page_and_takes_a_submission(row, runner, client):
    path = FORMS / row["file"]
    survey = read_xlsform(path.read_bytes(), drop_unsupported=True)
    result = runner.invoke(
        args=[
            "forms",
            "import",
            str(path),
            "--partnership",
            "demo-lip",
            "--open",
            "--drop-unsupported",
        ]
    )
    assert result.exit_code == 0, result.output
    slug = re.search(r"Imported (\S+) version", result.output).group(1)
    chosen = json.loads(row["answers"] or "{}")
    assert walk_every_page(client, slug, survey, chosen) >= 1
    body = {"instance_id": str(uuid.uuid4()), "language": survey.default_language}
    body["answers"] = api_answers(survey, chosen)
    reply = client.post(f"/api/v1/surveys/{slug}/responses", json=body)
    assert reply.status_code == 201, json.dumps(reply.json)


@pytest.mark.parametrize("row", REFUSED, ids=[row["file"] for row in REFUSED])
def test_the_form_is_refused_saying_where(row):
    with pytest.raises(FormError) as error:
        read_xlsform((FORMS / row["file"]).read_bytes(), drop_unsupported=True)
    assert all(is_clear(problem) for problem in error.value.problems), error.value.problems


def test_every_form_has_its_source_and_licence_recorded():
    files = sorted(path.name for path in FORMS.iterdir())
    assert files == sorted(row["file"] for row in SOURCES)
    for row in SOURCES:
        assert row["repository"] and row["path"] and re.fullmatch(r"[0-9a-f]{40}", row["commit"])
        assert row["licence"] and row["expect"] in ("imports", "refused")


def test_forms_check_over_the_corpus_counts_no_crash(runner):
    result = runner.invoke(args=["forms", "check", "--drop-unsupported", str(FORMS)])
    counts = re.search(
        r"(\d+) forms; imported: (\d+), refused clearly: (\d+), refused unclearly: (\d+), "
        r"crashed: (\d+)",
        result.output,
    )
    assert counts, result.output
    total, imported, clear, unclear, crashed = map(int, counts.groups())
    print(counts.group(0))
    assert (total, imported, clear, unclear, crashed) == (
        len(SOURCES),
        len(IMPORTED),
        len(REFUSED),
        0,
        0,
    )
