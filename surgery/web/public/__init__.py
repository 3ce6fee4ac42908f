"""Pages anyone can see without an account, and a group's own pages behind its private link."""

from flask import Blueprint

blueprint = Blueprint("public", __name__)

from surgery.web.public import (  # noqa: E402,F401
    asking,
    booking,
    feeds,
    finding,
    follow_through,
    impact,
    manage,
    pages,
    towns,
    views,
)
