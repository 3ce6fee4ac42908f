"""Pages for volunteers: offer to help, then manage the offer through a private link."""

from flask import Blueprint

blueprint = Blueprint("volunteers", __name__, url_prefix="/volunteer")

from surgery.web.volunteers import signups, views  # noqa: E402,F401  (routes register here)
