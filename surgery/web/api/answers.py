"""Answers with validators: a strong ETag from the body, Last-Modified where the data says when it
last changed, and 304 Not Modified to a caller who already has the same answer."""

from dataclasses import dataclass
from datetime import datetime

from flask import Response, current_app

from surgery.web.caching import body_tag, conditional

# The data changes (a table is booked, a session is published): a minute of caching at most.
CACHE_CONTROL = "public, max-age=60"


@dataclass(frozen=True)
class Encoded:
    """An answer ready to send, as bytes with its tag: a kept one is sent without encoding the
    body again (at ten sessions a page, encoding and hashing cost more than the rest of a kept
    answer)."""

    data: bytes
    etag: str
    last_modified: datetime | None
    link: str | None  # the Link header


def encoded(
    body: dict,
    last_modified: datetime | None = None,
    links: dict[str, str | None] | None = None,
) -> Encoded:
    data = current_app.json.dumps(body).encode() + b"\n"
    return Encoded(data, body_tag(data), last_modified, link_header(links) if links else None)


def answer(
    body: dict,
    last_modified: datetime | None = None,
    links: dict[str, str | None] | None = None,
) -> Response:
    """Return the body as JSON, or an empty 304 if the caller's ETag or date still holds."""
    return sent(encoded(body, last_modified, links))


def sent(ready: Encoded) -> Response:
    response = Response(ready.data, mimetype="application/json")
    response.headers["Cache-Control"] = CACHE_CONTROL
    if ready.link:
        response.headers["Link"] = ready.link
    return conditional(response, ready.etag, ready.last_modified)


def link_header(links: dict[str, str | None]) -> str:
    """An RFC 8288 Link header: each relation that has an address."""
    return ", ".join(f'<{url}>; rel="{relation}"' for relation, url in links.items() if url)


def problem(status: int, message: str) -> tuple[dict, int]:
    """The API's error body, as surgery.web.errors gives it."""
    return {"error": message, "status": status}, status
