import pytest

from forms.answers import MAX_TEXT_LENGTH, AnswerProblem, check_value, parse_form_value
from forms.model import Choice, Question

YN = (Choice("yes", {"en": "Yes"}), Choice("no", {"en": "No"}))


def q(type_, **kw):
    return Question(name="q", type=type_, **kw)


@pytest.mark.parametrize(
    ("question", "raw", "value"),
    [
        (q("integer"), ["42"], 42),
        (q("integer"), [" -3 "], -3),
        (q("integer"), ["١٢"], 12),
        (q("integer"), ["۱۵"], 15),
        (q("decimal"), ["۲٫۵"], 2.5),
        (q("decimal"), ["2,5"], 2.5),
        (q("decimal"), ["10"], 10.0),
        (q("text"), ["  hello  "], "hello"),
        (q("date"), ["2024-05-31"], "2024-05-31"),
        (q("time"), ["14:30"], "14:30:00"),
        (q("datetime"), ["2024-05-31T14:30"], "2024-05-31T14:30:00"),
        (q("select_one", choices=YN), ["no"], "no"),
        (q("select_multiple", choices=YN), ["yes", "no", "yes"], ["yes", "no"]),
        (q("acknowledge"), ["OK"], "OK"),
        (q("integer"), [""], None),
        (q("select_multiple", choices=YN), [], None),
    ],
)
def test_form_values_parse_to_api_conventions(question, raw, value):
    assert parse_form_value(question, raw) == value


@pytest.mark.parametrize(
    ("question", "raw", "code"),
    [
        (q("integer"), ["4.5"], "not_integer"),
        (q("integer"), ["abc"], "not_integer"),
        (q("decimal"), ["NaN"], "not_number"),
        (q("decimal"), ["Infinity"], "not_number"),
        (q("decimal"), ["1e400"], "not_number"),
        (q("date"), ["2024-02-30"], "not_date"),
        (q("time"), ["25:00"], "not_time"),
        (q("select_one", choices=YN), ["maybe"], "invalid_choice"),
        (q("select_multiple", choices=YN), ["yes", "<script>"], "invalid_choice"),
        (q("text"), ["x" * (MAX_TEXT_LENGTH + 1)], "too_long"),
    ],
)
def test_bad_form_values_give_codes(question, raw, code):
    with pytest.raises(AnswerProblem) as error:
        parse_form_value(question, raw)
    assert error.value.code == code


@pytest.mark.parametrize(
    ("question", "value", "code"),
    [
        (q("integer"), "3", "not_integer"),
        (q("integer"), True, "not_integer"),
        (q("integer"), 2.5, "not_integer"),
        (q("decimal"), "2.5", "not_number"),
        (q("text"), 5, "not_text"),
        (q("select_one", choices=YN), ["yes"], "invalid_choice"),
        (q("select_multiple", choices=YN), {"a": 1}, "not_list"),
        (q("rank", choices=YN), ["yes"], "rank_incomplete"),
        (q("date"), 20240101, "not_date"),
    ],
)
def test_json_values_of_the_wrong_type_give_codes(question, value, code):
    with pytest.raises(AnswerProblem) as error:
        check_value(question, value)
    assert error.value.code == code


def test_json_values_are_canonical():
    assert check_value(q("integer"), 3.0) == 3
    assert check_value(q("select_multiple", choices=YN), "yes no") == ["yes", "no"]
    assert check_value(q("rank", choices=YN), ["no", "yes"]) == ["no", "yes"]
    assert check_value(q("acknowledge"), True) == "OK"
    assert check_value(q("text"), "") is None
