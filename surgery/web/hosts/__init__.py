"""Pages for hosts: apply, set a password, sign in and out, run sessions."""

from flask import Blueprint

blueprint = Blueprint("hosts", __name__, url_prefix="/host")

from surgery.web.hosts import (  # noqa: E402,F401
    on_the_day,
    reports,
    reviewing,
    sessions,
    views,
    where_next,
)
