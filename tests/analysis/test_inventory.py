"""Service inventories: every bad row refused with its row and column, nothing half-read."""

import io

import pytest
from openpyxl import Workbook

from analysis.inventory import (
    COLUMNS,
    ServiceRecord,
    Vocabulary,
    column_letter,
    export_rows,
    names_to_keys,
    parse_inventory,
)
from analysis.spreadsheet import UnreadableTable, read_rows

LANGUAGES = {
    "en": "en",
    "english": "en",
    "fr": "fr",
    "french": "fr",
    "ar": "ar",
    "arabic": "ar",
    "العربية": "ar",
}
VOCABULARY = Vocabulary(
    theme_names=names_to_keys(
        [
            ("housing", ["Housing", "Logement"]),
            ("employment", ["Employment and workplace integration"]),
        ]
    ),
    language=lambda name: LANGUAGES.get(name.casefold()),
    area_names=names_to_keys([("downtown", ["Downtown"]), ("north", ["North", "Nord"])]),
)
HEADER = ["Organisation", "Service", "Themes", "Languages", "Areas", "Contact"]


def parse(*rows, header=HEADER, vocabulary=VOCABULARY):
    return parse_inventory([header, *rows], vocabulary)


def problems_of(*rows, **kwargs):
    records, problems = parse(*rows, **kwargs)
    assert records == []
    return [(p.row, p.column, p.letter, p.code, dict(p.params)) for p in problems]


def test_a_good_file_gives_every_service_with_keys_and_codes():
    records, problems = parse(
        [
            "Welcome Centre",
            "Housing help",
            "housing; Employment and workplace integration",
            "Arabic;en",
            "North",
            "613 555 0100",
        ],
        ["Library", "Conversation circles", "", "العربية", "all", ""],
    )
    assert problems == []
    first, second = records
    assert first == ServiceRecord(
        row=2,
        organisation="Welcome Centre",
        service="Housing help",
        languages=("ar", "en"),
        themes=("housing", "employment"),
        areas=("north",),
        contact="613 555 0100",
    )
    assert (second.languages, second.themes, second.areas) == (("ar",), (), ())


def test_every_bad_row_is_named_with_its_row_and_column_and_nothing_is_returned():
    found = problems_of(
        ["Welcome Centre", "Housing help", "housing", "en", "", ""],
        ["", "Job club", "employment", "en", "", ""],
        ["Library", "Circles", "parks", "Klingon", "Nowhere", ""],
    )
    assert found == [
        (3, "organisation", "A", "required", {}),
        (4, "languages", "D", "unknown_language", {"value": "Klingon"}),
        (4, "themes", "C", "unknown_theme", {"value": "parks"}),
        (4, "areas", "E", "unknown_area", {"value": "Nowhere", "known": "downtown, north"}),
    ]


def test_the_header_must_name_the_required_columns_and_nothing_unknown():
    found = problems_of(["x", "y"], header=["Organisation", "Langauges", "Organisation"])
    assert found == [
        (1, "Langauges", "B", "unknown_column", {"known": ", ".join(COLUMNS)}),
        (1, "Organisation", "C", "duplicate_column", {}),
        (1, "service", "", "missing_column", {}),
        (1, "languages", "", "missing_column", {}),
    ]


def test_a_service_listed_twice_is_refused_on_its_second_row():
    found = problems_of(
        ["Welcome Centre", "Housing help", "", "en", "", ""],
        ["welcome centre", "HOUSING HELP", "", "fr", "", ""],
    )
    assert found == [(3, "service", "B", "duplicate_service", {"first": "2"})]


def test_too_long_cells_empty_files_and_headers_without_rows():
    assert problems_of(["W" * 201, "S", "", "en", "", ""])[0][3:] == ("too_long", {"limit": "200"})
    assert parse_inventory([], VOCABULARY) == ([], parse_inventory([[""]], VOCABULARY)[1])
    assert [p.code for p in parse_inventory([], VOCABULARY)[1]] == ["empty_file"]
    assert [p.code for p in parse(["", "", "", "", "", ""])[1]] == ["no_services"]


def test_without_an_area_question_any_area_is_kept_as_written():
    free = Vocabulary(VOCABULARY.theme_names, VOCABULARY.language)
    records, problems = parse(["W", "S", "", "en", "East End; east end", ""], vocabulary=free)
    assert problems == [] and records[0].areas == ("east end",)


def test_an_exported_inventory_reads_back_the_same_even_with_formula_guards():
    records, _ = parse(["=Org", "-Service", "housing", "en", "downtown", "+1 613 555 0100"])
    assert records[0].organisation == "=Org"
    exported = export_rows(records)
    assert exported[0] == list(COLUMNS)
    guarded = [exported[0]] + [["'" + c if c and c[0] in "=+-" else c for c in exported[1]]]
    again, problems = parse_inventory(guarded, VOCABULARY)
    assert problems == []
    assert again[0] == records[0]


def test_csv_with_bom_semicolons_and_xlsx_read_the_same():
    text = "organisation;service;languages\nCentre;Help;en\n"
    assert read_rows(("\ufeff" + text).encode(), "inventory.csv") == [
        ["organisation", "service", "languages"],
        ["Centre", "Help", "en"],
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["organisation", "service", "languages", "contact"])
    sheet.append(["Centre", "Help", "en", 6135550100])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_rows(buffer.getvalue(), "inventory.xlsx")[1] == [
        "Centre",
        "Help",
        "en",
        "6135550100",
    ]


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"\xff\xfe\x00bad", "x.csv", "encoding"),
        (b"  \n", "x.csv", "empty"),
        (b"PK\x03\x04junk", "x.xlsx", "unreadable"),
    ],
)
def test_unreadable_files_say_why(data, name, code):
    with pytest.raises(UnreadableTable) as raised:
        read_rows(data, name)
    assert raised.value.code == code


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
