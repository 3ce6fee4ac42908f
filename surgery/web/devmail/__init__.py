"""/dev/mail: read the outbox in the embedded default, where mail is kept rather than sent."""

from flask import Blueprint, abort, render_template

from surgery.services.notifications import outbox_page, outbox_row

blueprint = Blueprint("devmail", __name__, url_prefix="/dev/mail")


@blueprint.get("")
def index():
    return render_template("devmail/index.html", notifications=outbox_page())


@blueprint.get("/<int:notification_id>")
def show(notification_id: int):
    notification = outbox_row(notification_id) or abort(404)
    return render_template("devmail/show.html", notification=notification)
