"""The API's OpenAPI 3.1 document: what each operation takes and answers, in one place.

The views read their query parameters through these descriptions (surgery.web.api.arguments), and
tests/web/test_api_schema.py runs schemathesis against the document, so the document, the checks
on what a caller sends and the answers cannot drift apart.
"""

from surgery.database import LARGEST_ID
from surgery.services import finding
from surgery.services.impact import PERIODS
from surgery.web.api.schemas import SCHEMAS

VERSION = "1.0.0"


def query(name: str, description: str, schema: dict) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


PAGE = query(
    "page",
    "Which page of results, from 1.",
    {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1},
)
PER_PAGE = query(
    "per_page",
    "How many results a page holds.",
    {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
)
TOWN = query(
    "town",
    "A town: a postcode area's letters, such as `b` (Birmingham) or `wv` (Wolverhampton).",
    {"type": "string", "pattern": "^[A-Za-z]{1,2}$"},
)
POSTCODE = query(
    "postcode",
    "A UK postcode or district; sessions come nearest first, with their distance.",
    {"type": "string", "minLength": 1, "maxLength": 10},
)
WITHIN_KM = query(
    "within_km",
    "How far from the postcode to look, in kilometres (only with `postcode`).",
    {"type": "integer", "enum": list(finding.WITHIN_CHOICES), "default": 10},
)
DAY = {"type": "string", "format": "date"}
PERIOD = query(
    "period",
    "One of the impact page's periods, ending today: `all`, `year` (365 days) or `quarter` (91 "
    "days). Not with `from` or `to`.",
    {"type": "string", "enum": list(PERIODS)},
)
FROM = query(
    "from", "The first day counted (UK), YYYY-MM-DD, the first of a month, 2000 to 2099.", DAY
)
TO = query(
    "to", "The last day counted (UK), YYYY-MM-DD, the last of a month, on or after `from`.", DAY
)
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "An ETag from an earlier answer: 304 Not Modified if it still holds.",
    "schema": {"type": "string"},
}
IF_MODIFIED_SINCE = {
    "name": "If-Modified-Since",
    "in": "header",
    "required": False,
    "description": "A Last-Modified from an earlier answer: 304 if nothing has changed since.",
    "schema": {"type": "string"},
}
CONDITIONAL = [IF_NONE_MATCH, IF_MODIFIED_SINCE]

HEADERS = {
    "ETag": {
        "description": "A strong validator of this answer's body.",
        "required": True,
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When what the answer covers last changed, where that is known.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {"required": True, "schema": {"type": "string"}},
}
PAGE_HEADERS = HEADERS | {
    "Link": {
        "description": "RFC 8288 links to the first, previous, next and last pages.",
        "schema": {"type": "string"},
    },
}


def json_body(schema: str, description: str, headers: dict | None = None) -> dict:
    answer = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    return answer | ({"headers": headers} if headers else {})


def error(description: str) -> dict:
    return json_body("Error", description)


NOT_MODIFIED = {"description": "Not modified since the ETag or date sent: no body."}
ALWAYS = {
    "304": NOT_MODIFIED,
    "429": error("Too many requests; Retry-After says when to try again."),
    "503": error("The service is unavailable for a moment."),
}
BAD_REQUEST = {"400": error("A parameter is not one this operation takes; the error says which.")}

# Each operation by the endpoint that serves it.
OPERATIONS = {
    "api.sessions": {
        "path": "/sessions",
        "summary": "Upcoming published sessions",
        "description": (
            "Soonest first; with `postcode`, nearest first within `within_km`, with each "
            "session's distance. `town` keeps those in one town."
        ),
        "parameters": [POSTCODE, WITHIN_KM, TOWN, PAGE, PER_PAGE, *CONDITIONAL],
        "responses": {"200": json_body("SessionPage", "A page of sessions.", PAGE_HEADERS)}
        | BAD_REQUEST
        | ALWAYS,
    },
    "api.session": {
        "path": "/sessions/{session_id}",
        "summary": "One session",
        "description": "A published, completed or cancelled session; drafts are not public.",
        "parameters": [
            {
                "name": "session_id",
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "minimum": 1, "maximum": LARGEST_ID},
            },
            *CONDITIONAL,
        ],
        "responses": {
            "200": json_body("Session", "The session.", HEADERS),
            "404": error("No public session has this id."),
        }
        | ALWAYS,
    },
    "api.towns": {
        "path": "/towns",
        "summary": "Towns with sessions",
        "description": "Each postcode area that has had or will have a session, by name.",
        "parameters": CONDITIONAL,
        "responses": {"200": json_body("TownList", "The towns.", HEADERS)} | ALWAYS,
    },
    "api.skills": {
        "path": "/skills",
        "summary": "Skills volunteers offer",
        "description": "The skills a group can ask for help with, in the forms' order.",
        "parameters": CONDITIONAL,
        "responses": {"200": json_body("SkillList", "The skills.", HEADERS)} | ALWAYS,
    },
    "api.impact": {
        "path": "/impact",
        "summary": "Anonymised impact figures",
        "description": (
            "The figures of the public impact page for one town (or all) and a period (or all "
            "time), in whole months. Groups' stories are on the page only."
        ),
        "parameters": [TOWN, PERIOD, FROM, TO, *CONDITIONAL],
        "responses": {"200": json_body("Impact", "The figures.", HEADERS)} | BAD_REQUEST | ALWAYS,
    },
    "api.openapi": {
        "path": "/openapi.json",
        "summary": "This document",
        "parameters": CONDITIONAL,
        "responses": {
            "200": {
                "description": "The OpenAPI 3.1 document of this API.",
                "headers": HEADERS,
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "required": ["openapi", "paths"]}
                    }
                },
            }
        }
        | ALWAYS,
    },
}


def parameters_of(endpoint: str) -> list[dict]:
    """The query parameters an endpoint takes."""
    return [p for p in OPERATIONS[endpoint]["parameters"] if p["in"] == "query"]


def document() -> dict:
    """The OpenAPI 3.1 document, its paths relative to the API's own address."""
    paths = {}
    for endpoint, operation in OPERATIONS.items():
        described = {key: value for key, value in operation.items() if key != "path"}
        paths[operation["path"]] = {
            "get": {"operationId": endpoint.removeprefix("api."), **described}
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Social media surgeries: open data",
            "version": VERSION,
            "description": (
                "Read-only facts about public surgery sessions, the towns they are in, the skills "
                "volunteers offer and anonymised counts of the help given. No one's personal "
                "details. Answers carry ETag (and Last-Modified where known) and may be cached "
                "for a minute; CORS allows GET from any site."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
