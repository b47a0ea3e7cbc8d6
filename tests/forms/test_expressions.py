"""The XLSForm expression subset: parsing, XPath/ODK semantics, errors, fuzzing."""

from __future__ import annotations

import dataclasses
import math
import pickle
from datetime import date, datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.expressions import (
    FUNCTIONS,
    EvaluationContext,
    Expression,
    ExpressionError,
    check,
    evaluate,
    evaluate_bool,
    parse,
)

TODAY = date(2024, 5, 1)
VALUES = {
    "name": "Amira",
    "age": 34,
    "height": 1.5,
    "empty": None,
    "blank": "",
    "multi": ["a", "b"],
    "multi_text": "a c",
    "num_text": "42",
    "padded": " 7 ",
    "dob": "1990-05-01",
    "arrived": "2024-04-30T12:00:00",
    "arabic": "مرحبا بكم",
    "flag": True,
    "zero": 0,
    "bad_pattern": "[",
}
CTX = EvaluationContext(values=VALUES, current=20, today=TODAY)
NAN = math.nan


def same(actual: object, expected: object) -> bool:
    """Equal, with NaN equal to NaN and the type (bool vs number) checked too."""
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return type(actual) is type(expected) and actual == expected


EVALUATIONS = [
    # literals and references
    ("1", 1.0),
    (".5", 0.5),
    ("'single'", "single"),
    ('"it\'s"', "it's"),
    ("${name}", "Amira"),
    ("${empty}", ""),
    ("${missing}", ""),
    ("${age}", 34.0),
    ("${multi}", ("a", "b")),
    (".", 20.0),
    # arithmetic and precedence
    ("1 + 2 * 3", 7.0),
    ("(1 + 2) * 3", 9.0),
    ("10 - 4 - 3", 3.0),
    ("2 * 3 div 4", 1.5),
    ("-2 * 3", -6.0),
    ("- (2 + 3)", -5.0),
    ("--2", 2.0),
    ("1 - -1", 2.0),
    ("7 mod 3", 1.0),
    ("-7 mod 3", -1.0),
    ("7 mod -3", 1.0),
    ("7.5 mod 2", 1.5),
    ("5 mod 0", NAN),
    ("1 div 0", math.inf),
    ("-1 div 0", -math.inf),
    ("0 div 0", NAN),
    ("${age} div 0", math.inf),
    ("${age} + 1", 35.0),
    ("${num_text} * 2", 84.0),
    ("${padded} + 1", 8.0),
    ("${empty} + 1", NAN),
    ("${name} + 1", NAN),
    ("'1e3' + 0", NAN),
    ("'+1' + 0", NAN),
    ("true() + true()", 2.0),
    ("${height} * 2", 3.0),
    ("${age}-1", 33.0),
    # comparisons
    ("1 < 2", True),
    ("2 <= 2", True),
    ("3 > 2", True),
    ("2 >= 3", False),
    ("1 = 1", True),
    ("1 != 1", False),
    ("1 < 2 = true()", True),
    ("${age} = 34", True),
    ("${age} = '34'", True),
    ("${num_text} = 42", True),
    ("${num_text} = '42.0'", False),
    ("${empty} = ''", True),
    ("${blank} = ''", True),
    ("${missing} = ''", True),
    ("${empty} != ''", False),
    ("${age} != ''", True),
    ("${age} = ''", False),
    ("${empty} = 0", False),
    ("${empty} != 0", True),
    ("${empty} < 1", False),
    ("${empty} >= 0", False),
    ("${name} = 'Amira'", True),
    ("'abc' < 'abd'", False),
    ("${flag} = 'yes'", True),
    ("false() = ''", True),
    ("${zero} = false()", True),
    ("${multi} = 'a b'", True),
    ("${dob} < today()", True),
    ("${dob} = '1990-05-01'", True),
    ("today() = '2024-05-01'", True),
    ("today() > '2024-04-30'", True),
    ("${arrived} < today()", True),
    ("${dob} < '2000-13-01'", False),
    ("today() - '2024-04-01'", 30.0),
    ("today() - ${arrived}", 0.5),
    # logic
    ("true() or false() and false()", True),
    ("(true() or false()) and false()", False),
    ("false() and false() or true()", True),
    ("not(${name} = 'x')", True),
    ("not(${name} = 'Amira')", False),
    ("not('')", True),
    ("not(0)", True),
    ("not('0')", False),
    ("not(0 div 0)", True),
    ("${age} > 18 and ${name} != ''", True),
    ("${empty} or ${blank}", False),
    ("1 and 'x'", True),
    # functions
    ("selected(${multi}, 'b')", True),
    ("selected(${multi}, ' b ')", True),
    ("selected(${multi}, 'c')", False),
    ("selected(${multi_text}, 'c')", True),
    ("selected(${multi_text}, 'b')", False),
    ("selected(${empty}, 'a')", False),
    ("selected(${multi}, '')", False),
    ("count-selected(${multi})", 2.0),
    ("count-selected(${multi_text})", 2.0),
    ("count-selected(${empty})", 0.0),
    ("string-length('')", 0.0),
    ("string-length(${arabic})", 9.0),
    ("string-length()", 2.0),
    ("string-length(${age})", 2.0),
    (r"regex(${arabic}, '[\u0600-\u06FF ]+')", True),
    ("regex(${arabic}, 'مرحبا.*')", True),
    ("regex(${arabic}, 'بكم')", False),
    ("regex('123', '[0-9]+')", True),
    ("regex('a123', '[0-9]+')", False),
    ("regex('123', '^[0-9]{3}$')", True),
    (r"regex('٣', '\d')", False),
    ("regex(${empty}, '.*')", True),
    ("regex('a', ${bad_pattern})", False),
    ("if(${age} > 18, 'adult', 'minor')", "adult"),
    ("if(${empty}, 1 div 0, 'no')", "no"),
    ("coalesce(${empty}, 'fallback')", "fallback"),
    ("coalesce(${name}, 'fallback')", "Amira"),
    ("coalesce(number('x'), 3)", 3.0),
    ("today()", TODAY),
    ("true()", True),
    ("false()", False),
    ("boolean('x')", True),
    ("number('3.5')", 3.5),
    ("number(' -2 ')", -2.0),
    ("number('abc')", NAN),
    ("number(true())", 1.0),
    ("number()", 20.0),
    ("int(3.7)", 3.0),
    ("int(-3.7)", -3.0),
    ("int('x')", NAN),
    ("int(1 div 0)", math.inf),
    ("floor(-1.5)", -2.0),
    ("ceiling(1.2)", 2.0),
    ("round(2.5)", 3.0),
    ("round(-2.5)", -2.0),
    ("round(1.2345, 2)", 1.23),
    ("round(1234, -2)", 1200.0),
    ("round(1, 31)", NAN),
    ("round(0 div 0)", NAN),
    ("concat('a', 1.5, true(), ${multi})", "a1.5truea b"),
    ("concat()", ""),
    ("concat(${age} div 0, ' ', 0 div 0)", "Infinity NaN"),
    ("string(1 div 4)", "0.25"),
    ("string(1000000 * 1000000 * 1000000 * 10000)", "10000000000000000000000"),
    ("string(0.0000001)", "0.0000001"),
    ("string(today())", "2024-05-01"),
    ("string(false())", "false"),
    ("string()", "20"),
    ("contains(${name}, 'mir')", True),
    ("contains(${name}, 'x')", False),
    ("starts-with(${name}, 'Am')", True),
    ("ends-with(${name}, 'ra')", True),
    ("normalize-space('  a   b ')", "a b"),
]


@pytest.mark.parametrize(("text", "expected"), EVALUATIONS)
def test_evaluates_like_xpath(text, expected):
    assert same(parse(text).evaluate(CTX), expected)


@pytest.mark.parametrize(
    ("text", "choice", "expected"),
    [
        ("country = ${country}", {"country": "ca"}, True),
        ("country = ${country}", {"country": "us"}, False),
        ("country = ${country} or country = ''", {}, True),
        ("and = 'x'", {"and": "x"}, True),
        ("div div 2", {"div": "8"}, 4.0),
        ("a-b", {"a-b": "one name"}, "one name"),
        ("population > 1000", {"population": "5000"}, True),
    ],
)
def test_bare_names_read_the_choice_row(text, choice, expected):
    ctx = EvaluationContext(values={"country": "ca"}, choice=choice)
    assert same(parse(text).evaluate(ctx), expected)


def test_bare_names_are_empty_outside_a_choice_filter():
    assert parse("country").evaluate(CTX) == ""


@pytest.mark.parametrize(
    ("current", "constraint", "expected"),
    [
        (20, ". >= 18 and . < 120", True),
        (17, ". >= 18", False),
        (None, ". = ''", True),
        ("K1A 0B1", r"regex(., '[A-Z][0-9][A-Z] ?[0-9][A-Z][0-9]')", True),
        (["x", "y", "z"], "count-selected(.) <= 2", False),
    ],
)
def test_dot_is_the_current_value(current, constraint, expected):
    ctx = EvaluationContext(values={}, current=current)
    assert evaluate_bool(constraint, ctx) is expected


def test_today_comes_from_the_context_or_the_clock():
    assert parse("today()").evaluate(EvaluationContext({}, today=date(2030, 1, 2))) == date(
        2030, 1, 2
    )
    assert parse("today()").evaluate(EvaluationContext({})) == date.today()


def test_caller_values_of_every_kind():
    ctx = EvaluationContext(
        {"big": 10**400, "when": datetime(1970, 1, 2, 12), "day": date(1970, 1, 11), "obj": object}
    )
    assert evaluate("${big}", ctx) == math.inf
    assert evaluate("${when} + 0", ctx) == 1.5
    assert evaluate("${day} * 1", ctx) == 10.0
    assert evaluate_bool("${day}", ctx) is True
    assert evaluate("${obj}", ctx).startswith("<class")


def test_evaluate_bool_follows_xpath_boolean():
    for text, expected in [("'false'", True), ("''", False), ("0", False), ("0 div 0", False)]:
        assert evaluate_bool(parse(text), CTX) is expected


ERRORS = [
    ("pulldata('fruits', 'name', 'key', ${x})", "refused_function", 0, "pulldata"),
    ("pulldata(", "refused_function", 0, "pulldata"),
    ("instance('countries')/root/item[name = ${x}]", "refused_function", 0, "instance"),
    ("jr:itext('label')", "refused_function", 0, "jr:itext"),
    ("1 + wobble()", "unsupported_function", 4, "wobble"),
    ("(1 + 2", "syntax", 6, ""),
    ("1 + 2)", "syntax", 5, ")"),
    ("not(${a} = 'x'", "syntax", 14, ""),
    ("", "syntax", 0, ""),
    ("1 +", "syntax", 3, ""),
    ("'unterminated", "syntax", 0, "'"),
    ("/data/age > /", "syntax", 13, ""),
    ("${a} | ${b}", "syntax", 5, "|"),
    ("${a} > ../${b}", "syntax", 10, "${b}"),
    ("${a} b", "syntax", 5, "b"),
    ("* 2", "syntax", 0, "*"),
    ("f(1,)", "unsupported_function", 0, "f"),
    ("1e5", "syntax", 1, "e5"),
    ("9" * 400, "syntax", 0, "9" * 400),
    ("selected(${a})", "wrong_argument_count", 0, "selected"),
    ("true(1)", "wrong_argument_count", 0, "true"),
    ("regex(., '[a-')", "invalid_regex", 0, "'[a-'"),
    ("(" * 100 + "1" + ")" * 100, "syntax", 24, "("),
    ("-" * 100 + "1", "syntax", 24, "-"),
]


@pytest.mark.parametrize(("text", "code", "position", "token"), ERRORS)
def test_errors_have_a_code_a_position_and_a_token(text, code, position, token):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert (caught.value.code, caught.value.position, caught.value.token) == (
        code,
        position,
        token,
    )
    assert str(caught.value)


def test_unknown_references_only_with_known_names():
    assert parse("${nope} + 1").references == frozenset({"nope"})
    with pytest.raises(ExpressionError) as caught:
        parse("${age} + ${nope}", known_names={"age"})
    assert (caught.value.code, caught.value.position, caught.value.token) == (
        "unknown_reference",
        9,
        "nope",
    )


def test_check_reports_every_problem_in_order():
    problems = check("pulldata('a') + ${b} + ${c} + ${a}", known_names=["a"])
    assert [p.code for p in problems] == ["refused_function"]
    problems = check("${c} + ${b} = ${a}", known_names=["a"])
    assert [(p.code, p.token, p.position) for p in problems] == [
        ("unknown_reference", "c", 0),
        ("unknown_reference", "b", 7),
    ]
    problems = check("wobble(${a}) and instance('x')/y[1]", known_names=["a"])
    assert [p.code for p in problems] == ["unsupported_function", "refused_function", "syntax"]
    assert check("${a} > 1", ["a"]) == []
    assert check("${a} > 1") == []


def test_parse_results_are_cached_and_immutable():
    first = parse("${a} + 1")
    assert parse("${a} + 1") is first
    assert hash(first) == hash(parse("${a}+1"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.text = "other"  # type: ignore[misc]
    # a cached error is raised as a fresh object each time
    errors = [pytest.raises(ExpressionError, parse, "(").value for _ in range(2)]
    assert errors[0] is not errors[1]
    copy = pickle.loads(pickle.dumps(errors[0]))
    assert (copy.code, copy.position, str(copy)) == ("syntax", 1, str(errors[0]))


def test_long_flat_chains_do_not_recurse():
    text = " + ".join(["1"] * 5000)
    assert parse(text).evaluate(CTX) == 5000.0
    assert parse(" or ".join(f". = '{n}'" for n in range(500))).evaluate(CTX) is True


def test_regex_guards_against_huge_inputs_and_slow_patterns():
    long = EvaluationContext({"s": "a" * 10_001, "p": "a" * 1001})
    assert evaluate_bool("regex(${s}, 'a*')", long) is False
    assert evaluate_bool("regex('a', ${p})", long) is False
    assert check("regex(., '" + "a" * 1001 + "')")[0].code == "invalid_regex"
    evil = EvaluationContext({"s": "a" * 5000 + "!", "p": "(a*)*b"})
    assert evaluate_bool("regex(${s}, '(a|aa)+$')", evil) is False
    assert evaluate_bool("regex(${s}, ${p})", evil) is False  # a pattern from an answer


@pytest.mark.parametrize("pattern", ["(a*)*b", "^(\\d+)*$", "(\\w+\\s?)*$", "(x+x+)+y"])
def test_catastrophic_patterns_are_refused_at_import(pattern):
    assert [p.code for p in check(f"regex(., '{pattern}')")] == ["catastrophic_regex"]


@pytest.mark.parametrize("pattern", ["^[0-9]{10}$", "[a-z]+@[a-z]+\\.[a-z]+", "^[A-Z ]+$"])
def test_ordinary_patterns_pass_the_static_check(pattern):
    assert check(f"regex(., '{pattern}')") == []


def test_to_text_is_canonical():
    assert parse("(1+2)*3 div(4)").to_text() == "(1 + 2) * 3 div 4"
    assert parse("- ( 1 - 2 )").to_text() == "-(1 - 2)"
    assert parse("concat( \"it's\" , 'x' )").to_text() == "concat(\"it's\", 'x')"
    assert parse("(1 + 2) + 3").to_text() == "(1 + 2) + 3"
    assert parse("1.50 = .").to_text() == "1.5 = ."


# --- property-based tests -------------------------------------------------

PRECEDENCE = {"or": 1, "and": 2, "=": 3, "!=": 3}
PRECEDENCE |= dict.fromkeys(["<", "<=", ">", ">="], 4)
PRECEDENCE |= {"+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}

leaves = st.integers(min_value=0, max_value=12).map(lambda n: ("num", n))


def _extend(children):
    return st.one_of(
        st.tuples(st.just("neg"), children),
        st.tuples(st.just("not"), children),
        st.tuples(st.just("paren"), children),
        st.tuples(st.just("bin"), st.sampled_from(sorted(PRECEDENCE)), children, children),
    )


trees = st.recursive(leaves, _extend, max_leaves=12)


def render(tree) -> str:
    """Text for ``tree`` with only the parentheses XPath precedence requires."""
    kind = tree[0]
    if kind == "num":
        return str(tree[1])
    if kind == "paren":
        return f"({render(tree[1])})"
    if kind == "not":
        return f"not({render(tree[1])})"
    if kind == "neg":
        inner = render(tree[1])
        return f"-({inner})" if tree[1][0] == "bin" else f"-{inner}"
    op, left, right = tree[1:]
    left_text, right_text = render(left), render(right)
    if left[0] == "bin" and PRECEDENCE[left[1]] < PRECEDENCE[op]:
        left_text = f"({left_text})"
    if right[0] == "bin" and PRECEDENCE[right[1]] <= PRECEDENCE[op]:
        right_text = f"({right_text})"
    return f"{left_text} {op} {right_text}"


def nesting(tree) -> int:
    if tree[0] == "num":
        return 0
    if tree[0] == "bin":
        return max(nesting(tree[2]), nesting(tree[3]))
    return 1 + nesting(tree[1])


def reference(tree):
    """Evaluate ``tree`` directly, with numpy's IEEE float64 doing the arithmetic."""
    kind = tree[0]
    if kind == "num":
        return float(tree[1])
    if kind == "paren":
        return reference(tree[1])
    if kind == "neg":
        return -_num(reference(tree[1]))
    if kind == "not":
        return not _bool(reference(tree[1]))
    op, left, right = tree[1], reference(tree[2]), reference(tree[3])
    if op == "and":
        return _bool(left) and _bool(right)
    if op == "or":
        return _bool(left) or _bool(right)
    if op in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = _bool(left) == _bool(right)
        else:
            equal = _num(left) == _num(right)
        return equal if op == "=" else not equal
    x, y = np.float64(_num(left)), np.float64(_num(right))
    with np.errstate(all="ignore"):
        result = {
            "<": x < y,
            "<=": x <= y,
            ">": x > y,
            ">=": x >= y,
            "+": x + y,
            "-": x - y,
            "*": x * y,
            "div": x / y,
            "mod": np.fmod(x, y),
        }[op]
    return bool(result) if op in ("<", "<=", ">", ">=") else float(result)


def _num(value) -> float:
    return float(value)


def _bool(value) -> bool:
    return value if isinstance(value, bool) else not (value == 0 or math.isnan(value))


@settings(max_examples=200, deadline=None)
@given(trees.filter(lambda tree: nesting(tree) <= 20))
def test_arithmetic_and_logic_match_a_direct_evaluation(tree):
    result = parse(render(tree)).evaluate(CTX)
    assert same(result, reference(tree)), render(tree)


GRAMMAR_SOUP = list("()${}., '\"-+*=<>!0123456789abx_") + [
    " and ",
    " or ",
    " div ",
    " mod ",
    "${a}",
    "selected(",
    "not(",
    "if(",
    "regex(",
    "pulldata(",
    "jr:",
    "/",
    "[",
]


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(st.sampled_from(GRAMMAR_SOUP)).map("".join)))
def test_parse_only_ever_raises_expression_error(text):
    try:
        expression = parse(text, known_names={"a"})
    except ExpressionError as error:
        assert error.code in {
            "syntax",
            "unsupported_function",
            "refused_function",
            "wrong_argument_count",
            "unknown_reference",
            "invalid_regex",
            "catastrophic_regex",
        }
        assert 0 <= error.position <= len(text)
        return
    expression.evaluate(EvaluationContext({"a": ["x", "y"]}, current="x", choice={"b": "1"}))
    assert parse(expression.to_text()) == expression


names = st.from_regex(r"[a-z_][a-z0-9_]{0,5}", fullmatch=True)
literal_text = st.text(max_size=6).filter(lambda s: not ("'" in s and '"' in s))
numbers = st.one_of(
    st.integers(min_value=0, max_value=10**20).map(float),
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
)
atoms = st.one_of(
    numbers.map(lambda n: ("number", n)),
    literal_text.map(lambda s: ("string", s)),
    names.map(lambda n: ("ref", n)),
    names.map(lambda n: ("column", n)),
    st.just(("current",)),
)
FIXED_ARITY = sorted(
    (name, function.min_args) for name, function in FUNCTIONS.items() if name != "regex"
)


def _extend_rich(children):
    return st.one_of(
        _extend(children),
        st.sampled_from(FIXED_ARITY).flatmap(
            lambda f: st.tuples(
                st.just("call"), st.just(f[0]), st.lists(children, min_size=f[1], max_size=f[1])
            )
        ),
    )


rich_trees = st.recursive(atoms, _extend_rich, max_leaves=10)


def render_rich(tree) -> str:
    kind = tree[0]
    if kind == "number":
        return repr(int(tree[1])) if tree[1].is_integer() else f"{tree[1]:.6f}"
    if kind == "string":
        return f'"{tree[1]}"' if "'" in tree[1] else f"'{tree[1]}'"
    if kind == "ref":
        return "${" + tree[1] + "}"
    if kind == "column":
        return tree[1]
    if kind == "current":
        return "."
    if kind == "call":
        return f"{tree[1]}({', '.join(render_rich(arg) for arg in tree[2])})"
    if kind == "bin":
        return f"({render_rich(tree[2])}) {tree[1]} ({render_rich(tree[3])})"
    if kind == "not":
        return f"not({render_rich(tree[1])})"
    prefix = "-" if kind == "neg" else ""
    return f"{prefix}({render_rich(tree[1])})"


@settings(max_examples=200, deadline=None)
@given(rich_trees)
def test_to_text_round_trips(tree):
    text = render_rich(tree)
    try:
        expression = parse(text)
    except ExpressionError as error:
        assert error.code == "syntax" and error.detail == "nested too deeply"
        return
    canonical = expression.to_text()
    again = parse(canonical)
    assert again == expression
    assert again.to_text() == canonical
    assert isinstance(again, Expression)
