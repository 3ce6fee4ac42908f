from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from surgery.clock import utcnow
from surgery.services import accounts, sessions
from surgery.services.accounts import PasswordLinkUsed, SignInRefused
from surgery.services.errors import InvalidAnswers
from surgery.services.tokens import LinkExpired, LinkNotValid
from surgery.web.fields import Form
from surgery.web.forms.accounts import ApplyToHostForm, SetPasswordForm, SignInForm
from surgery.web.hosts import blueprint
from surgery.web.signing_in import landing_page, start_fresh_session, start_session
from surgery.web.wizard import show_errors

SIGN_IN_REFUSED = (
    "Your email address or password is not right. After several wrong tries we pause signing in "
    "for a few minutes, and email the account's owner a link to sign in without waiting."
)


@blueprint.route("/apply", methods=["GET", "POST"])
def apply():
    form = ApplyToHostForm()
    if form.validate_on_submit():
        try:
            accounts.apply_to_host(
                form.name.data, form.email.data, form.town.data, form.why.data, utcnow()
            )
        except InvalidAnswers as error:
            show_errors(form, error)
        else:
            return render_template("hosts/applied.html", email=form.email.data)
    return render_template("hosts/apply.html", form=form)


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        try:
            account = accounts.sign_in(form.email.data, form.password.data, utcnow())
        except SignInRefused:
            form.password.errors = [SIGN_IN_REFUSED]
        else:
            login_user(account)
            start_session(utcnow())
            return redirect(safe_next() or landing_page(account))
    return render_template("hosts/sign_in.html", form=form)


def safe_next() -> str | None:
    """Return the page to go back to after signing in, if it is one of ours."""
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else None


@blueprint.post("/sign-out")
@login_required
def sign_out():
    accounts.sign_out(current_user, utcnow())
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("hosts.sign_in"))


@blueprint.route("/sign-in/<token>", methods=["GET", "POST"])
def sign_in_link(token: str):
    # A page with a button, not a sign-in on GET: mail scanners that open links would use it up.
    try:
        account = accounts.account_for_sign_in_token(token)
    except LinkExpired:
        return render_template("hosts/sign_in_link_expired.html"), 410
    except LinkNotValid:
        abort(404)
    form = Form()
    if form.validate_on_submit():
        login_user(accounts.sign_in_with_link(account, utcnow()))
        start_session(utcnow())
        flash("You are signed in. You have been signed out on any other device.", "success")
        return redirect(landing_page(account))
    return render_template("hosts/sign_in_link.html", form=form, account=account)


@blueprint.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    try:
        account = accounts.account_for_password_token(token)
    except LinkExpired:
        return render_template("hosts/password_link_expired.html"), 410
    except PasswordLinkUsed:
        return render_template("hosts/password_link_used.html"), 410
    except LinkNotValid:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(account, form.password.data, utcnow())
        except InvalidAnswers as error:
            show_errors(form, error)
        else:
            start_fresh_session(account, utcnow())
            flash("Your password is set and you are signed in.", "success")
            return redirect(landing_page(account))
    return render_template("hosts/set_password.html", form=form, account=account)


@blueprint.get("/")
@login_required
def dashboard():
    return render_template(
        "hosts/dashboard.html",
        surgery_sessions=sessions.hosted_by(current_user),
        others_sessions=sessions.others_sessions_for(current_user),
    )
