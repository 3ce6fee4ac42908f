"""/dev/mail: read the outbox in the embedded default, where mail is kept rather than sent."""

import re

from flask import Blueprint, abort, render_template

from surgery.services.outbox_tools import outbox_page, outbox_row

# Links in the sandboxed HTML preview cannot be followed, so the page lists them.
LINK = re.compile(r"https?://\S+")

blueprint = Blueprint("devmail", __name__, url_prefix="/dev/mail")


@blueprint.get("")
def index():
    return render_template("devmail/index.html", notifications=outbox_page())


@blueprint.get("/<int:notification_id>")
def show(notification_id: int):
    notification = outbox_row(notification_id) or abort(404)
    links = list(dict.fromkeys(LINK.findall(notification.body_text)))
    return render_template("devmail/show.html", notification=notification, links=links)
