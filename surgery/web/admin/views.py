from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Account
from surgery.services import accounts, audit
from surgery.web.admin import blueprint


@blueprint.get("/")
def index():
    return render_template(
        "admin/index.html",
        applications=accounts.pending_applications(),
        events=audit.recent_events(),
        form=FlaskForm(),
    )


@blueprint.post("/applications/<int:account_id>/<any(approve, decline):decision>")
def decide(account_id: int, decision: str):
    account = db.session.get(Account, account_id) or abort(404)
    try:
        accounts.decide_application(current_user, account, decision == "approve", utcnow())
    except ValueError:
        flash("That application had already been decided.", "info")
    else:
        verb = "approved" if decision == "approve" else "declined"
        flash(f"You {verb} {account.name}'s application. They have been emailed.", "success")
    return redirect(url_for("admin.index"))
