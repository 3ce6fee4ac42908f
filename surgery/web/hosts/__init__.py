"""Pages for hosts: apply, set a password, sign in and out, run sessions."""

from flask import Blueprint

blueprint = Blueprint("hosts", __name__, url_prefix="/host")

from surgery.web.hosts import on_the_day, reviewing, sessions, views  # noqa: E402,F401
