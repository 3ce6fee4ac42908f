"""Conditional answers, one way for every page that has them: a validator (ETag, Last-Modified
where the data says when it changed) and 304 Not Modified to a caller whose copy still holds.

Only what is the same for everyone who asks may be kept by shared caches: the API, the calendar
feeds, and public pages seen signed out with no message waiting. A page with a form token in it
is the visitor's own, and is never answered from another visitor's copy.
"""

import hashlib
from datetime import datetime

from flask import Response, request, session
from flask_login import current_user
from werkzeug.http import is_resource_modified

# Shared caches may keep a public page but must ask each time: a change shows at once.
PUBLIC_PAGE = "public, max-age=0, must-revalidate"


def body_tag(data: bytes) -> str:
    """A strong ETag made from the answer itself."""
    return hashlib.sha256(data).hexdigest()[:32]


def still_fresh(etag: str, last_modified: datetime | None = None) -> bool:
    """Whether the caller already has this answer: check before building an answer that costs.
    If-None-Match, when sent, decides alone (RFC 9110 13.2.2)."""
    return not is_resource_modified(request.environ, etag=etag, last_modified=last_modified)


def conditional(
    response: Response, etag: str | None = None, last_modified: datetime | None = None
) -> Response:
    """Tag the response (from its body, unless an ETag is given) and make it a 304 if the
    caller's copy still holds."""
    response.set_etag(etag or body_tag(response.get_data()))
    if last_modified is not None:
        response.last_modified = last_modified.replace(microsecond=0)
    return response.make_conditional(request)


def same_for_everyone() -> bool:
    """Whether this visitor sees the page every signed-out visitor sees: not signed in (no
    account bar, with its sign-out form token) and no message waiting to be shown."""
    return not current_user.is_authenticated and "_flashes" not in session


def public_page(page: str, last_modified: datetime | None = None) -> Response:
    """A public page: tagged and cacheable by anyone when it is the same for everyone, else the
    visitor's own (not kept by shared caches, and never a 304 from a tag someone else had)."""
    response = Response(page, mimetype="text/html")
    if not same_for_everyone():
        response.headers["Cache-Control"] = "private, no-cache"
        return response
    response.headers["Cache-Control"] = PUBLIC_PAGE
    # Signed in, the same address shows the account bar: a cache keeps one copy per cookie.
    response.vary.add("Cookie")
    return conditional(response, last_modified=last_modified)

