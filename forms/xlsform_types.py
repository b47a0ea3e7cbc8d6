"""Question types: XLSForm's spellings, what Consult runs, what it refuses."""

from __future__ import annotations

UNSUPPORTED_TYPES = frozenset(
    {
        "image",
        "photo",
        "audio",
        "background-audio",
        "video",
        "file",
        "geopoint",
        "geotrace",
        "geoshape",
        "start-geopoint",
        "barcode",
        "range",
        "osm",
        "select_one_from_file",
        "select_multiple_from_file",
        "select_one_external",
        "xml-external",
        "csv-external",
    }
)

_JSON_TYPES = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "select one external": "select_one_external",
    "dateTime": "datetime",
    "trigger": "acknowledge",
}

_ROW_ALIASES = {
    "select one": "select_one",
    "select multiple": "select_multiple",
    "select all that apply": "select_multiple",
    "select_all_that_apply": "select_multiple",
    "add select one prompt using": "select_one",
    "begin group": "begin_group",
    "end group": "end_group",
    "begin repeat": "begin_repeat",
    "end repeat": "end_repeat",
    "trigger": "acknowledge",
    "imei": "deviceid",
    "q picture": "image",
    "picture": "image",
    "gps": "geopoint",
    "location": "geopoint",
    "dateTime": "datetime",
}


def canonical_type(json_type: str) -> str:
    """The type name Consult uses for a type as pyxform's JSON spells it."""
    return _JSON_TYPES.get(json_type, json_type)


def row_type(cell: str) -> str:
    """The base type of a survey sheet's ``type`` cell (``select_one yn`` -> ``select_one``)."""
    text = " ".join(cell.split())
    for alias, canonical in _ROW_ALIASES.items():
        if text == alias or text.startswith(alias + " "):
            return canonical
    return text.split(" ", 1)[0] if text else ""
