"""A small, read-only public JSON API: the same facts as the public pages, nothing more.

Any web page may read it (CORS for GET, no cookies); its OpenAPI document is at
/api/v1/openapi.json, built from surgery.web.api.spec.
"""

from flask import Blueprint
from flask_cors import CORS

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

# Only this blueprint's answers carry the CORS headers; the site's pages stay same-origin.
CORS(
    blueprint,
    origins="*",
    send_wildcard=True,
    methods=["GET", "HEAD", "OPTIONS"],
    supports_credentials=False,
    expose_headers=["ETag", "Last-Modified", "Link", "Retry-After"],
    max_age=86400,
)

from surgery.web.api import views  # noqa: E402, F401  (the routes, on the blueprint)
