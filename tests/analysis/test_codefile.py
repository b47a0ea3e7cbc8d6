"""Coding a CSV file row by row."""

import csv
import io

import pytest

from analysis.codebook import default_codebook
from analysis.codefile import CodeFileError, code_csv, format_evidence
from analysis.coding import Coder


@pytest.fixture(scope="module")
def codebook():
    return default_codebook()


def run(text: str, codebook, **kw) -> list[dict[str, str]]:
    out = io.StringIO()
    code_csv(io.StringIO(text), out, codebook, **kw)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_keeps_every_column_and_adds_three(codebook):
    source = "id,answer,age\n1,The rent is too high and my landlord is rude,30\n2,,41\n"
    rows = run(source, codebook, text_column="answer", language="en")
    assert list(rows[0]) == ["id", "answer", "age", "themes", "evidence", "sentiment"]
    assert rows[0]["id"] == "1" and rows[0]["age"] == "30"
    assert rows[0]["themes"] == "housing"
    assert rows[0]["evidence"] == "housing:rent|landlord"
    assert rows[0]["sentiment"] == ""
    assert rows[1]["themes"] == "" and rows[1]["evidence"] == ""


def test_language_column_per_row_with_default(codebook):
    source = "text,lang\nالإيجار غالي,ar\nLe loyer,fr\nrent,\n"
    rows = run(source, codebook, text_column="text", language="en", language_column="lang")
    assert [r["themes"] for r in rows] == ["housing;income", "housing", "housing"]


def test_evidence_groups_distinct_words_per_theme(codebook):
    rows = run("t\nJob? job! Rent.\n", codebook, text_column="t", language="en")
    assert rows[0]["evidence"] == "employment:Job;housing:Rent"


def test_sentiment_hook(codebook):
    calls = []

    def sentiment(text, lang):
        calls.append(lang)
        return -0.5

    rows = run("t\nbad bus\n", codebook, text_column="t", language="en", sentiment_fn=sentiment)
    assert rows[0]["sentiment"] == "-0.500" and calls == ["en"]


@pytest.mark.parametrize(
    ("kwargs", "code", "params"),
    [
        ({"text_column": "missing", "language": "en"}, "missing_column", {"column": "missing"}),
        ({"text_column": "t", "language_column": "lang"}, "missing_column", {"column": "lang"}),
        ({"text_column": "t"}, "language_required", {}),
    ],
)
def test_clear_errors(codebook, kwargs, code, params):
    out = io.StringIO()
    with pytest.raises(CodeFileError) as err:
        code_csv(io.StringIO("t\nrent\n"), out, codebook, **kwargs)
    assert err.value.code == code and err.value.params == params
    assert out.getvalue() == ""


def test_empty_file(codebook):
    with pytest.raises(CodeFileError) as err:
        code_csv(io.StringIO(""), io.StringIO(), codebook, text_column="t", language="en")
    assert err.value.code == "empty_file"


def test_paths_are_opened_and_closed(tmp_path, codebook):
    source = tmp_path / "in.csv"
    source.write_text("\ufeffanswer\nbus schedule\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    assert code_csv(source, target, codebook, text_column="answer", language="en") == 1
    assert "transportation" in target.read_text(encoding="utf-8")


class LazyLines:
    """An input file that makes its lines only when asked, counting them."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.read = 0

    def __iter__(self):
        yield "id,answer\n"
        for i in range(self.rows):
            self.read += 1
            yield f"{i},rent and bus\n"


class CountingSink:
    """An output file that keeps no text, only counts and when it was first written."""

    def __init__(self, source: LazyLines) -> None:
        self.source = source
        self.lines = 0
        self.read_at_first_row: int | None = None

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        if self.lines == 2 and self.read_at_first_row is None:
            self.read_at_first_row = self.source.read
        return len(text)


def test_streams_200k_rows_row_by_row(codebook):
    source = LazyLines(200_000)
    sink = CountingSink(source)
    count = code_csv(
        source, sink, codebook, text_column="answer", language="en", coder=Coder(codebook)
    )
    assert count == 200_000 and sink.lines == 200_001
    assert sink.read_at_first_row is not None and sink.read_at_first_row <= 2


def test_format_evidence_escapes_separators(codebook):
    from analysis.records import Evidence, ThemeMatch

    match = ThemeMatch("housing", (Evidence(0, 9, "rent;|:x", "rent"),))
    assert format_evidence([match]) == "housing:rent x"


def test_formulas_in_the_input_come_out_as_text_and_scores_as_numbers(codebook):
    source = 'id,=cmd|" /C calc"!A0\n=1+1,@SUM(1)\n'
    rows = run(
        source,
        codebook,
        text_column='=cmd|" /C calc"!A0',
        language="en",
        sentiment_fn=lambda text, lang: -0.5,
    )
    assert list(rows[0]) == ["id", '\'=cmd|" /C calc"!A0', "themes", "evidence", "sentiment"]
    assert rows[0]["id"] == "'=1+1" and rows[0]['\'=cmd|" /C calc"!A0'] == "'@SUM(1)"
    assert rows[0]["sentiment"] == "-0.500"
