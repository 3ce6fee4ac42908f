"""Answers with validators: a strong ETag from the body, Last-Modified where the data says when it
last changed, and 304 Not Modified to a caller who already has the same answer."""

from datetime import datetime

from flask import Response, current_app

from surgery.web.caching import conditional

# The data changes (a table is booked, a session is published): a minute of caching at most.
CACHE_CONTROL = "public, max-age=60"


def answer(
    body: dict,
    last_modified: datetime | None = None,
    links: dict[str, str | None] | None = None,
) -> Response:
    """Return the body as JSON, or an empty 304 if the caller's ETag or date still holds."""
    data = current_app.json.dumps(body).encode() + b"\n"
    response = Response(data, mimetype="application/json")
    response.headers["Cache-Control"] = CACHE_CONTROL
    if links:
        response.headers["Link"] = link_header(links)
    return conditional(response, last_modified=last_modified)


def link_header(links: dict[str, str | None]) -> str:
    """An RFC 8288 Link header: each relation that has an address."""
    return ", ".join(f'<{url}>; rel="{relation}"' for relation, url in links.items() if url)


def problem(status: int, message: str) -> tuple[dict, int]:
    """The API's error body, as surgery.web.errors gives it."""
    return {"error": message, "status": status}, status
