"""/dev/mail: read the outbox in the embedded default, where mail is kept rather than sent.

It shows everyone's mail, set-password links included, so it answers only to this machine.
"""

import re
from ipaddress import ip_address

from flask import Blueprint, Response, abort, render_template, request

from surgery.services.outbox_tools import outbox_page, outbox_row

# Links in the sandboxed HTML preview cannot be followed, so the page lists them.
LINK = re.compile(r"https?://\S+")
# An email's HTML keeps its styles inline, as mail clients need; the preview may apply them, run
# nothing, and be framed only by the page that shows it.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox"
)

blueprint = Blueprint("devmail", __name__, url_prefix="/dev/mail")


@blueprint.before_request
def only_from_this_machine():
    if not ip_address(request.remote_addr or "0.0.0.0").is_loopback:
        abort(404)


@blueprint.get("")
def index():
    return render_template("devmail/index.html", notifications=outbox_page())


@blueprint.get("/<int:notification_id>")
def show(notification_id: int):
    notification = outbox_row(notification_id) or abort(404)
    links = list(dict.fromkeys(LINK.findall(notification.body_text)))
    return render_template("devmail/show.html", notification=notification, links=links)


@blueprint.get("/<int:notification_id>/html")
def html_part(notification_id: int):
    notification = outbox_row(notification_id) or abort(404)
    response = Response(notification.body_html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
