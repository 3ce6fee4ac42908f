from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Account, NotificationStatus, Volunteer
from surgery.services import accounts, audit, outbox_tools, safeguarding, sessions
from surgery.services.errors import InvalidAnswers
from surgery.web.admin import blueprint
from surgery.web.fields import Form
from surgery.web.forms.accounts import SafeguardingForm
from surgery.web.wizard import show_errors


@blueprint.get("/")
def index():
    return show_index(SafeguardingForm())


def show_index(safeguarding_form: SafeguardingForm, status: int = 200):
    page = render_template(
        "admin/index.html",
        applications=accounts.pending_applications(),
        checked=safeguarding.checked_volunteers(),
        safeguarding_form=safeguarding_form,
        events=audit.recent_events(),
        outbox=outbox_tools.outbox_status(utcnow()),
        # Any backend but SMTP keeps mail in the outbox for reading, so "due" would only grow.
        mail_is_kept=current_app.config["MAIL_BACKEND"] != "smtp",
        hosted=sessions.hosted_by(current_user),
        form=Form(),
    )
    return page, status


@blueprint.get("/failed-emails")
def failed_emails():
    rows = outbox_tools.failed_rows()
    return render_template("admin/failed_emails.html", rows=rows, form=Form())


@blueprint.post("/failed-emails/<int:notification_id>/retry")
def retry_email(notification_id: int):
    row = outbox_tools.outbox_row(notification_id) or abort(404)
    try:
        outbox_tools.retry_failed(current_user, row, utcnow())
    except ValueError:
        flash(f"Email {row.id} had not failed, so it was left as it was.", "info")
    else:
        sent = row.status is NotificationStatus.SENT
        flash(f"Email {row.id}: {outbox_tools.after_retry(row)}", "success" if sent else "info")
    return redirect(url_for("admin.failed_emails"))


@blueprint.post("/safeguarding")
def record_safeguarding_check():
    form = SafeguardingForm()
    if not form.validate():
        return show_index(form, 400)
    try:
        volunteer = safeguarding.record_check(current_user, form.email.data, utcnow())
    except InvalidAnswers as error:
        show_errors(form, error)
        return show_index(form, 400)
    flash(f"Recorded a safeguarding check for {volunteer.name}.", "success")
    return redirect(url_for("admin.index") + "#safeguarding")


@blueprint.post("/safeguarding/<int:volunteer_id>/remove")
def remove_safeguarding_check(volunteer_id: int):
    volunteer = db.session.get(Volunteer, volunteer_id) or abort(404)
    safeguarding.remove_check(current_user, volunteer, utcnow())
    flash(f"Removed the safeguarding check for {volunteer.name}.", "success")
    return redirect(url_for("admin.index") + "#safeguarding")


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
