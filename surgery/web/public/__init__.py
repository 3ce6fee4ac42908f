"""Pages anyone can see without an account."""

from flask import Blueprint

blueprint = Blueprint("public", __name__)

from surgery.web.public import views  # noqa: E402,F401  (views register on the blueprint)
