"""One test per XForms function, with values from the examples of the ODK XForms spec
(getodk.github.io/xforms-spec, "XPath functions") and of XPath 1.0 where ODK defers to it."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from types import SimpleNamespace

import pytest

from forms import budget
from forms.budget import BudgetExceeded, expression_budget
from forms.expressions import FUNCTIONS, EvaluationContext, check, evaluate, parse
from forms.xpath_values import NodeSet

ROSTER = [
    {"member": "Amina", "age": 34, "sex": "f"},
    {"member": "Omar", "age": 9, "sex": "m"},
    {"member": "Lina", "age": 41, "sex": "f"},
]
VALUES = {"household": ROSTER, "colours": ["red", "blue"], "dob": "2014-05-24", "empty": None}
LABELS = {"colour": {"red": "Rouge", "blue": "Bleu"}}
CTX = EvaluationContext(VALUES, today=date(2024, 5, 1), labels=LABELS)


def value(text: str, ctx: EvaluationContext = CTX):
    return evaluate(parse(text), ctx)


def entry(index: int) -> EvaluationContext:
    """Inside entry ``index`` (0-based) of the roster, as the repeat code builds it."""
    return EvaluationContext({**VALUES, **ROSTER[index]}, position=index + 1)


CASES = [
    # node-sets over a repeat, read from outside it
    ("sum", "sum(${age})", 84.0),
    ("count", "count(${household})", 3.0),
    ("count", "count(${age})", 3.0),
    ("count-non-empty", "count-non-empty(${empty})", 0.0),
    ("max", "max(${age})", 41.0),
    ("min", "min(${age})", 9.0),
    ("max", "max(3, 7, 5)", 7.0),
    ("min", "min(${empty})", math.nan),
    ("join", "join(', ', ${member})", "Amina, Omar, Lina"),
    ("indexed-repeat", "indexed-repeat(${member}, ${household}, 2)", "Omar"),
    ("indexed-repeat", "indexed-repeat(${member}, ${household}, 9)", ""),
    # strings (ODK spec: substr counts from 0, end excluded)
    ("substr", "substr('abcdef', 1, 3)", "bc"),
    ("substr", "substr('abcdef', 2)", "cdef"),
    ("substring", "substring('12345', 2, 3)", "234"),  # XPath 1.0 example
    ("substring", "substring('12345', 1.5, 2.6)", "234"),  # XPath 1.0 example
    ("substring-before", "substring-before('1999/04/01', '/')", "1999"),  # XPath 1.0
    ("substring-after", "substring-after('1999/04/01', '/')", "04/01"),  # XPath 1.0
    ("translate", "translate('bar', 'abc', 'ABC')", "BAr"),  # XPath 1.0 example
    ("translate", "translate('--aaa--', 'abc-', 'ABC')", "AAA"),  # XPath 1.0 example
    ("selected-at", "selected-at('a b c', 1)", "b"),
    ("selected-at", "selected-at('a b c', 5)", ""),
    ("jr:choice-name", "jr:choice-name('blue', '${colour}')", "Bleu"),
    ("jr:choice-name", "jr:choice-name('green', '${colour}')", ""),
    ("concat", "concat('a', ${member})", "aAminaOmarLina"),  # ODK: node-sets joined
    ("string-length", "string-length('مرحبا')", 5.0),
    ("normalize-space", "normalize-space('  a   b ')", "a b"),
    ("digest", "digest('abc', 'SHA-256', 'hex')", None),
    ("digest", "digest('abc', 'MD5')", "kAFQmDzST7DWlj99KOF/cg=="),
    ("digest", "digest('abc', 'SHA-1', 'hex')", "a9993e364706816aba3e25717850c26c9cd0d89d"),
    ("base64-decode", "base64-decode('SGVsbG8=')", "Hello"),
    ("boolean-from-string", "boolean-from-string('1')", True),
    ("boolean-from-string", "boolean-from-string('yes')", False),
    # numbers
    ("pow", "pow(2, 3)", 8.0),
    ("pow", "pow(4, 0.5)", 2.0),
    ("abs", "abs(-3.2)", 3.2),
    ("round", "round(3.14159, 2)", 3.14),
    ("round", "round(-2.5)", -2.0),
    ("int", "int(-3.9)", -3.0),
    ("sqrt", "sqrt(16)", 4.0),
    ("exp10", "exp10(2)", 100.0),
    ("log10", "log10(1000)", 3.0),
    ("log", "log(-1)", math.nan),
    ("exp", "exp(0)", 1.0),
    ("pi", "round(pi(), 5)", 3.14159),
    ("sin", "sin(0)", 0.0),
    ("cos", "cos(0)", 1.0),
    ("tan", "tan(0)", 0.0),
    ("asin", "asin(0)", 0.0),
    ("acos", "acos(1)", 0.0),
    ("atan", "atan(0)", 0.0),
    ("atan2", "atan2(0, 1)", 0.0),
    ("number", "number('12.5')", 12.5),
    ("number", "number('1,5')", math.nan),
    ("floor", "floor(-1.5)", -2.0),
    ("ceiling", "ceiling(1.2)", 2.0),
    # dates: days since 1970-01-01
    ("date", "date(1)", date(1970, 1, 2)),
    ("date", "date('2014-05-24') + 1", 16215.0),
    ("date-time", "date-time(1.25)", datetime(1970, 1, 2, 6, 0)),
    ("decimal-date-time", "decimal-date-time('1970-01-02T06:00:00')", 1.25),
    ("decimal-time", "decimal-time('06:00:00.000-07:00')", 0.25),
    ("format-date", "format-date(${dob}, '%Y-%m-%d')", "2014-05-24"),
    ("format-date", "format-date(date('2014-05-24'), '%a, %b %e, %Y')", "Sat, May 24, 2014"),
    ("format-date", "format-date(${dob}, '%y/%n/%d %H')", "14/5/24 "),
    ("format-date", "format-date('not a date', '%Y')", ""),
    ("format-date-time", "format-date-time('2014-05-24T14:05:09', '%H:%M:%S %h')", "14:05:09 14"),
    ("today", "today()", date(2024, 5, 1)),
    # logic
    ("if", "if(${empty} = '', 'none', 'some')", "none"),
    ("coalesce", "coalesce(${empty}, 'x')", "x"),
    ("checklist", "checklist(-1, 2, true(), false(), true())", True),
    ("checklist", "checklist(2, -1, 'yes', 'no', 'yes')", True),
    ("checklist", "checklist(3, -1, 'yes', 'no', 'yes')", False),
    ("weighted-checklist", "weighted-checklist(-1, 2, true(), 2, true(), 1)", False),
    ("selected", "selected(${colours}, 'blue')", True),
    ("count-selected", "count-selected(${colours})", 2.0),
    ("not", "not(false())", True),
    ("boolean", "boolean(${household})", True),
    ("true", "true()", True),
    ("false", "false()", False),
    ("string", "string(1.50)", "1.5"),
    ("contains", "contains('abc', 'b')", True),
    ("starts-with", "starts-with('abc', 'a')", True),
    ("ends-with", "ends-with('abc', 'c')", True),
    ("regex", "regex('K7Q', '[A-Z0-9]{3}')", True),
]


def _same(actual, expected) -> bool:
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    if isinstance(expected, float):
        return isinstance(actual, float) and math.isclose(actual, expected, abs_tol=1e-9)
    return type(actual) is type(expected) and actual == expected


@pytest.mark.parametrize(("function", "text", "expected"), CASES)
def test_function_matches_the_spec(function, text, expected):
    assert function in FUNCTIONS
    if expected is None:  # SHA-256 of 'abc', FIPS 180-2 appendix B.1
        expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert _same(value(text), expected), (text, value(text))


def test_position_counts_entries_from_one():
    assert value("position(..)", entry(0)) == 1.0
    assert value("position(..) = 3", entry(2)) is True


def test_relative_paths_read_the_same_entry():
    assert value("../member", entry(1)) == "Omar"
    assert value("current()/../age + 1", entry(1)) == 10.0
    assert value("${member}", entry(2)) == "Lina"  # a sibling, not the node-set


def test_indexed_repeat_with_position_reads_the_previous_entry():
    text = "indexed-repeat(${member}, ${household}, position(..) - 1)"
    assert value(text, entry(2)) == "Omar"
    assert value(text, entry(0)) == ""


def test_a_node_set_compares_true_when_any_node_does():
    assert value("${age} > 40") is True
    assert value("${age} = 9") is True
    assert value("${sex} = 'x'") is False


def test_an_empty_answer_in_a_repeat_makes_sum_nan_as_in_xpath():
    ctx = EvaluationContext({"r": [{"n": 2}, {"n": None}]})
    assert math.isnan(value("sum(${n})", ctx))
    assert value("count-non-empty(${n})", ctx) == 1.0
    assert value("count(${nothing})", ctx) == 0.0


def test_once_keeps_the_value_already_given():
    assert value("once(5)", EvaluationContext({}, current="3")) == "3"
    assert value("once(5)", EvaluationContext({}, current=None)) == 5.0


def test_uuid_and_random():
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", value("uuid()")
    )
    assert re.fullmatch(r"[A-Za-z0-9]{12}", value("uuid(12)"))
    assert 0 <= value("random()") < 1
    assert value("uuid()") != value("uuid()")


def test_now_is_a_date_time_and_days_since_1970():
    ctx = EvaluationContext({}, now=datetime(1970, 1, 3, 12, 0))
    assert value("decimal-date-time(now())", ctx) == 2.5


def test_current_in_a_choice_filter_reads_the_question_being_answered():
    ctx = EvaluationContext({"country": "ca"}, choice={"country": "ca", "name": "on"})
    assert value("country = current()/../country", ctx) is True
    assert check("country = current()/../country", known_names={"country"}) == []


def test_refused_functions_name_their_reason():
    [problem] = check("pulldata('prices', 'price', 'item', ${x})")
    assert problem.code == "refused_function" and "CSV" in str(problem)


def test_every_function_is_tested_here():
    tested = {case[0] for case in CASES} | {"position", "once", "uuid", "random", "now"}
    tested |= {"current"}
    assert set(FUNCTIONS) <= tested, set(FUNCTIONS) - tested


def test_the_budget_stops_runaway_work_with_a_clear_error():
    text = " + ".join("string-length(${member})" for _ in range(50))
    with expression_budget(steps=10_000):
        for _ in range(20):
            value(text)  # 20 x ~150 nodes: within the budget
    with pytest.raises(BudgetExceeded) as error, expression_budget(steps=1_000):
        for _ in range(20):
            value(text)
    assert error.value.reason == "steps"


def test_regex_work_counts_against_the_budget():
    ctx = EvaluationContext({"s": "a" * 9_000})
    with pytest.raises(BudgetExceeded), expression_budget(steps=50_000):
        for _ in range(10):
            value("regex(${s}, '[a]+')", ctx)


def test_only_time_spent_evaluating_counts(monkeypatch):
    """Waiting for the database or loading a library before the checks spends no budget;
    time spent inside evaluations does, added up across them."""
    now = [1000.0]
    monkeypatch.setattr(budget, "_clock", lambda: now[0])
    slow = re.compile("a")

    def fullmatch_taking(seconds):
        def run(text, **_options):
            now[0] += seconds
            return slow.fullmatch(text)

        return run

    ctx = EvaluationContext({"s": "a"})
    with expression_budget(seconds=2.0):
        now[0] += 60  # the request waited a minute before any check
        assert value("regex(${s}, 'a')", ctx) is True
        monkeypatch.setattr(
            "forms.xpath_functions.compile_pattern",
            lambda _p: SimpleNamespace(fullmatch=fullmatch_taking(0.8)),
        )
        assert value("regex(${s}, 'a')", ctx) is True  # 0.8 s spent
        assert value("regex(${s}, 'a')", ctx) is True  # 1.6 s spent
        with pytest.raises(BudgetExceeded) as error:
            value("regex(${s}, 'a') and regex(${s}, 'a')", ctx)  # past 2 s
    assert error.value.reason == "time"


def test_node_sets_are_values():
    assert value("${member}") == NodeSet(("Amina", "Omar", "Lina"))
