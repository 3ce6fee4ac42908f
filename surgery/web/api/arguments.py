"""Read an operation's query parameters as its OpenAPI description says, or say what is wrong."""

import re
from datetime import date

from flask import request

from surgery.web.api.spec import parameters_of

WHOLE_NUMBER = re.compile(r"-?[0-9]{1,9}")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class BadArgument(Exception):
    """A query parameter the operation cannot take; the message says which and why."""


def arguments(endpoint: str) -> dict:
    """Return each described parameter, converted, or its default (None if it has none)."""
    return {parameter["name"]: argument(parameter) for parameter in parameters_of(endpoint)}


def argument(parameter: dict):
    name, schema = parameter["name"], parameter["schema"]
    given = request.args.getlist(name)
    if len(given) > 1:
        raise BadArgument(f"Give {name} once.")
    if not given:
        return schema.get("default")
    value = converted(name, given[0], schema)
    if not fits(value, schema):
        raise BadArgument(f"Check {name}. {parameter['description']} {limits(schema)}".strip())
    return value


def converted(name: str, text: str, schema: dict):
    if schema["type"] == "integer":
        if not WHOLE_NUMBER.fullmatch(text):
            raise BadArgument(f"{name} must be a whole number.")
        return int(text)
    if schema.get("format") == "date":
        try:
            if not DAY.fullmatch(text):
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            raise BadArgument(f"{name} must be a real date written YYYY-MM-DD.") from None
    return text


def fits(value, schema: dict) -> bool:
    """Whether a value keeps the schema's enum, bounds, lengths and pattern."""
    # The document's patterns are anchored at both ends, as fullmatch is (a "$" lets "\n" by).
    pattern = schema.get("pattern", "").removeprefix("^").removesuffix("$")
    return (
        value in schema.get("enum", [value])
        and schema.get("minimum", value) <= value <= schema.get("maximum", value)
        and schema.get("minLength", 0)
        <= len(str(value))
        <= schema.get("maxLength", len(str(value)))
        and (not pattern or re.fullmatch(pattern, value) is not None)
    )


def limits(schema: dict) -> str:
    """The bounds of a parameter in words, for the error message."""
    if "enum" in schema:
        return f"One of {', '.join(map(str, schema['enum']))}."
    if "minimum" in schema:
        return f"From {schema['minimum']} to {schema['maximum']}."
    if "maxLength" in schema:
        return f"At most {schema['maxLength']} characters."
    return ""
