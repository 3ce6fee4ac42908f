"""The shapes of the API's answers, as JSON Schema (2020-12, as OpenAPI 3.1 uses it).

Each names every field it allows (additionalProperties false), so a field added to an answer
without a word here fails tests/web/test_api_schema.py: nothing leaves by accident.
"""

DATE_TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
OPTIONAL_URL = {"type": ["string", "null"], "format": "uri"}

SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {"type": "string", "description": "What went wrong, in plain words."},
            "status": {"type": "integer"},
            "retry_after": {"type": "integer", "description": "Seconds to wait (429 only)."},
        },
    },
    "TownRef": {
        "type": "object",
        "required": ["slug", "name"],
        "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
        "additionalProperties": False,
    },
    "Session": {
        "type": "object",
        "description": "A session as its public page shows it; no one's personal details.",
        "required": [
            "id",
            "title",
            "status",
            "starts_at",
            "ends_at",
            "venue",
            "district",
            "town",
            "tables",
            "tables_free",
            "access",
            "skills",
            "url",
            "calendar",
            "updated_at",
        ],
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "title": {"type": "string"},
            "status": {"type": "string", "enum": ["published", "completed", "cancelled"]},
            "starts_at": DATE_TIME,
            "ends_at": DATE_TIME,
            "venue": {"type": "string"},
            "district": {"type": "string", "description": "The venue's postcode district."},
            "town": {"oneOf": [{"$ref": "#/components/schemas/TownRef"}, {"type": "null"}]},
            "distance_km": {
                "type": "number",
                "minimum": 0,
                "description": "From the postcode asked about, to 0.1 km; only with `postcode`.",
            },
            "tables": {"type": "integer", "minimum": 1},
            "tables_free": {"type": "integer", "minimum": 0},
            "access": {"type": "array", "items": {"type": "string"}},
            "skills": {
                "type": "array",
                "items": {"type": "string"},
                "description": "What the volunteers signed up can help with.",
            },
            "url": URL,
            "calendar": URL,
            "updated_at": DATE_TIME,
        },
        "additionalProperties": False,
    },
    "SessionPage": {
        "type": "object",
        "required": ["page", "per_page", "pages", "total", "next", "prev", "sessions"],
        "properties": {
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "pages": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0},
            "next": OPTIONAL_URL,
            "prev": OPTIONAL_URL,
            "sessions": {"type": "array", "items": {"$ref": "#/components/schemas/Session"}},
        },
        "additionalProperties": False,
    },
    "Town": {
        "type": "object",
        "required": ["slug", "name", "upcoming_sessions", "sessions", "calendar"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "upcoming_sessions": {"type": "integer", "minimum": 0},
            "sessions": {**URL, "description": "This API's list of the town's upcoming sessions."},
            "calendar": {**URL, "description": "A calendar feed of the town's sessions."},
        },
        "additionalProperties": False,
    },
    "TownList": {
        "type": "object",
        "required": ["towns"],
        "properties": {"towns": {"type": "array", "items": {"$ref": "#/components/schemas/Town"}}},
        "additionalProperties": False,
    },
    "SkillList": {
        "type": "object",
        "required": ["skills"],
        "properties": {
            "skills": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["slug", "name"],
                    "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
                    "additionalProperties": False,
                },
            }
        },
        "additionalProperties": False,
    },
}

COUNT_OR_HIDDEN = {"type": ["integer", "null"], "minimum": 0}
SCHEMAS["Impact"] = {
    "type": "object",
    "description": (
        "What happened at sessions held (completed) in the town and period. A count under "
        "`smallest_count_shown` is null, as is anything worked out from it, so that no figure "
        "points at a person."
    ),
    "required": [
        "town",
        "period",
        "sessions_held",
        "towns",
        "groups_helped",
        "volunteers",
        "volunteer_hours",
        "week_answers",
        "got_going",
        "got_going_share",
        "quarter_answers",
        "change_scores",
        "average_change",
        "skills_asked",
        "skills_offered",
        "smallest_count_shown",
    ],
    "properties": {
        "town": {"oneOf": [{"$ref": "#/components/schemas/TownRef"}, {"type": "null"}]},
        "period": {
            "type": "object",
            "required": ["from", "to"],
            "properties": {
                "from": {"type": ["string", "null"], "format": "date"},
                "to": {"type": ["string", "null"], "format": "date"},
            },
        },
        "sessions_held": {"type": "integer", "minimum": 0},
        "towns": {"type": "integer", "minimum": 0},
        "groups_helped": COUNT_OR_HIDDEN,
        "volunteers": COUNT_OR_HIDDEN,
        "volunteer_hours": {"type": ["number", "null"], "minimum": 0},
        "week_answers": COUNT_OR_HIDDEN,
        "got_going": {
            "type": ["object", "null"],
            "description": "A week on, how many groups said they got going: yes, partly, not yet.",
            "additionalProperties": {"type": "integer", "minimum": 0},
        },
        "got_going_share": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
        "quarter_answers": COUNT_OR_HIDDEN,
        "change_scores": {
            "type": ["object", "null"],
            "description": "Three months on, how many groups gave each score from 1 to 5.",
            "additionalProperties": {"type": "integer", "minimum": 0},
        },
        "average_change": {"type": ["number", "null"], "minimum": 1, "maximum": 5},
        "skills_asked": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["skill", "groups"],
                "properties": {"skill": {"type": "string"}, "groups": {"type": "integer"}},
            },
        },
        "skills_offered": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["skill", "volunteers"],
                "properties": {"skill": {"type": "string"}, "volunteers": {"type": "integer"}},
            },
        },
        "smallest_count_shown": {"type": "integer"},
    },
    "additionalProperties": False,
}
