"""The OpenAPI 3.1 document of the JSON API, served at ``/api/v1/openapi.json``.

Written by hand as a dict; a test validates it and checks that every API
route is in it and that real responses match its schemas.
"""

from __future__ import annotations

from copy import deepcopy

API_VERSION = "1.0.0"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict:
    return {"$ref": "#/components/responses/" + description}


_LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "Language of the wording and messages (a BCP 47 code such as `ar`, "
    "`zh-Hans`). Without it, Accept-Language decides; then the survey's default language.",
    "schema": {"type": "string", "examples": ["ar"]},
}

_SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The survey's slug, as listed by `GET /api/v1/surveys`.",
    "schema": {"type": "string", "examples": ["needs-assessment"]},
}

_SCHEMAS: dict[str, dict] = {
    "SurveySummary": {
        "type": "object",
        "required": ["slug", "title", "languages", "default_language", "version"],
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string", "description": "In the requested language."},
            "languages": {"type": "array", "items": {"type": "string"}},
            "default_language": {"type": "string"},
            "version": {"type": ["integer", "null"]},
        },
    },
    "SurveyList": {"type": "array", "items": _ref("SurveySummary")},
    "Choice": {
        "type": "object",
        "required": ["name", "label"],
        "properties": {
            "name": {"type": "string", "description": "The value to send as the answer."},
            "label": {"type": "string"},
        },
    },
    "Question": {
        "type": "object",
        "description": "A question, note, group or repeat. Groups and repeats carry "
        "`children`; a repeat's answer is a list of objects keyed by its children's names.",
        "required": [
            "name",
            "type",
            "label",
            "hint",
            "required",
            "relevant",
            "fallback",
            "choices",
            "children",
        ],
        "properties": {
            "name": {"type": "string"},
            "type": {
                "type": "string",
                "description": "An XLSForm type without its list name (`select_one`, "
                "`select_multiple`, `rank`, `text`, `integer`, `decimal`, `date`, `time`, "
                "`datetime`, `acknowledge`, `note`), or `group` or `repeat`.",
            },
            "label": {"type": "string"},
            "hint": {"type": "string"},
            "required": {"type": "boolean"},
            "relevant": {
                "type": ["string", "null"],
                "description": "The XLSForm `relevant` expression (skip logic), if any.",
            },
            "fallback": {
                "type": "boolean",
                "description": "True when the label or hint is in the default language "
                "because the requested one is missing.",
            },
            "choices": {"type": "array", "items": _ref("Choice")},
            "children": {"type": "array", "items": _ref("Question")},
        },
    },
    "SurveyDescription": {
        "type": "object",
        "required": [
            "slug",
            "version",
            "form_version",
            "status",
            "languages",
            "default_language",
            "language",
            "title",
            "questions",
        ],
        "properties": {
            "slug": {"type": "string"},
            "version": {
                "type": "integer",
                "description": "The stored version number; send it back with a submission "
                "to be told when the survey has changed.",
            },
            "form_version": {"type": "string", "description": "The XLSForm's own version."},
            "status": {"type": "string", "enum": ["open", "closed"]},
            "languages": {"type": "array", "items": {"type": "string"}},
            "default_language": {"type": "string"},
            "language": {"type": "string", "description": "The language of this wording."},
            "title": {"type": "string"},
            "questions": {"type": "array", "items": _ref("Question")},
        },
    },
    "Submission": {
        "type": "object",
        "required": ["instance_id", "answers"],
        "properties": {
            "instance_id": {
                "type": "string",
                "format": "uuid",
                "maxLength": 64,
                "description": "A UUID the client creates once per response; sending it "
                "again never stores a second response (`uuid:` prefix allowed).",
            },
            "language": {
                "type": "string",
                "description": "The language the respondent answered in; one of the "
                "survey's languages. Also the language of error messages.",
            },
            "version": {
                "type": "integer",
                "description": "The survey version answered; 409 when it is not current.",
            },
            "answers": {
                "type": "object",
                "description": "Question name to value: a choice's name for select_one, a "
                "list of names for select_multiple and rank, numbers for integer and decimal, "
                "ISO 8601 strings for dates and times, text for text, a list of objects for a "
                "repeat. Unanswered questions may be left out or null.",
                "additionalProperties": True,
            },
        },
        "examples": [
            {
                "instance_id": "1b4e28ba-2fa1-41d2-883f-0016d3cca427",
                "language": "ar",
                "answers": {"years_in_canada": "y1_3", "age_band": "a25_34", "area": "north"},
            }
        ],
    },
    "SubmissionResult": {
        "type": "object",
        "required": ["reference", "instance_id", "status"],
        "properties": {
            "reference": {
                "type": "string",
                "description": "The response's reference code (to quote or withdraw it).",
            },
            "instance_id": {"type": "string"},
            "status": {
                "type": "string",
                "enum": ["created", "duplicate"],
                "description": "`created` (201) or `duplicate` (200: already stored).",
            },
        },
    },
    "WithdrawRequest": {
        "type": "object",
        "required": ["reference"],
        "properties": {
            "reference": {
                "type": "string",
                "description": "The reference code as the respondent typed it; case, "
                "spaces and dashes do not matter.",
            }
        },
    },
    "WithdrawResult": {
        "type": "object",
        "required": ["reference", "status"],
        "properties": {
            "reference": {"type": "string"},
            "status": {"type": "string", "enum": ["withdrawn"]},
        },
    },
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {
                "type": "string",
                "description": "A stable code, e.g. `malformed_json`, `invalid_request`, "
                "`unknown_language`, `unknown_survey`, `survey_closed`, `outdated_version`, "
                "`too_large`, `rate_limited`, `unknown_reference`.",
            },
            "message": {"type": "string", "description": "In the request's language."},
            "errors": {
                "type": "object",
                "description": "Field name to message, for errors about one field.",
                "additionalProperties": {"type": "string"},
            },
            "current_version": {"type": "integer"},
        },
    },
    "ValidationErrors": {
        "type": "object",
        "required": ["error", "message", "errors", "codes"],
        "properties": {
            "error": {"type": "string", "const": "invalid_answers"},
            "message": {"type": "string"},
            "errors": {
                "type": "object",
                "description": "Question name to a message in the request's language (the "
                "form's own required/constraint message first). Repeat fields are named "
                "`<repeat>.<index>.<question>`.",
                "additionalProperties": {"type": "string"},
            },
            "codes": {
                "type": "object",
                "description": "Question name to a problem code: `required`, `invalid_choice`, "
                "`not_integer`, `not_number`, `not_date`, `not_time`, `not_datetime`, "
                "`not_text`, `not_list`, `too_long`, `rank_incomplete`, `constraint`, "
                "`unknown_question`, `not_relevant`.",
                "additionalProperties": {"type": "string"},
            },
        },
    },
}

_RESPONSES = {
    "BadRequest": _json(
        _ref("Error"),
        "The body is not JSON, not an object, a field has the wrong type, the instance_id "
        "is not a UUID, or the language is not one of the survey's.",
    ),
    "NotFound": _json(_ref("Error"), "No such survey (or it is not published)."),
    "TooLarge": _json(_ref("Error"), "The body is over the size limit."),
    "RateLimited": _json(_ref("Error"), "Too many requests from this address; retry later."),
}

_PATHS = {
    "/api/v1/surveys": {
        "get": {
            "operationId": "listSurveys",
            "summary": "List the open surveys",
            "parameters": [_LANG],
            "responses": {"200": _json(_ref("SurveyList"), "The open surveys.")},
        }
    },
    "/api/v1/surveys/{slug}": {
        "get": {
            "operationId": "describeSurvey",
            "summary": "Describe a survey's questions in one language",
            "parameters": [_SLUG, _LANG],
            "responses": {
                "200": _json(_ref("SurveyDescription"), "The survey."),
                "404": _error("NotFound"),
            },
        }
    },
    "/api/v1/surveys/{slug}/responses": {
        "post": {
            "operationId": "submitResponse",
            "summary": "Submit a response (idempotent by instance_id)",
            "parameters": [_SLUG, _LANG],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("Submission")}},
            },
            "responses": {
                "201": _json(_ref("SubmissionResult"), "Stored."),
                "200": _json(
                    _ref("SubmissionResult"),
                    "Already stored with this instance_id: the same reference, nothing new.",
                ),
                "400": _error("BadRequest"),
                "404": _error("NotFound"),
                "409": _json(
                    _ref("Error"),
                    "The survey is closed (`survey_closed`), the version is not current "
                    "(`outdated_version`), or the instance_id belongs to another survey.",
                ),
                "413": _error("TooLarge"),
                "422": _json(_ref("ValidationErrors"), "Some answers are not valid."),
                "429": _error("RateLimited"),
            },
        }
    },
    "/api/v1/responses/withdraw": {
        "post": {
            "operationId": "withdrawResponse",
            "summary": "Withdraw a response by its reference code",
            "description": "The response's answers are deleted and it counts nowhere. "
            "Withdrawing twice answers 200 again.",
            "parameters": [_LANG],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("WithdrawRequest")}},
            },
            "responses": {
                "200": _json(_ref("WithdrawResult"), "Withdrawn."),
                "400": _error("BadRequest"),
                "404": _json(_ref("Error"), "No response has this reference code."),
                "413": _error("TooLarge"),
                "429": _error("RateLimited"),
            },
        }
    },
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "responses": {
                "200": {
                    "description": "The OpenAPI 3.1 document.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
}

_DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Consult API",
        "version": API_VERSION,
        "summary": "Surveys of a Local Immigration Partnership: list, describe, submit, withdraw.",
        "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
    },
    "paths": _PATHS,
    "components": {"schemas": _SCHEMAS, "responses": _RESPONSES},
}


def document() -> dict:
    """A copy of the OpenAPI document."""
    return deepcopy(_DOCUMENT)
