"""A volunteer signs up to help at sessions near them, from their private page."""

from flask import abort, flash, redirect, render_template, request, url_for

from surgery.clock import utcnow
from surgery.models import Volunteer
from surgery.services import signups
from surgery.services.finding import public_session
from surgery.services.pairings import agreed_for_signups
from surgery.services.signups import SignupRefused
from surgery.web.fields import Form
from surgery.web.people import person_or_404
from surgery.web.volunteers import blueprint


@blueprint.get("/manage/<token>/sessions")
def manage_sessions(token: str):
    volunteer = person_or_404(token, Volunteer)
    signed_up = signups.signups_of(volunteer)
    return render_template(
        "manage/volunteer_sessions.html",
        token=token,
        volunteer=volunteer,
        found=signups.sessions_near_volunteer(volunteer, utcnow()),
        signed_up=signed_up,
        groups=agreed_by_session(signed_up),
        loads=signups.LOADS,
        form=Form(),
    )


def agreed_by_session(signed_up: dict) -> dict:
    agreed = agreed_for_signups([signup.id for signup in signed_up.values()])
    return {sid: agreed.get(signup.id, []) for sid, signup in signed_up.items()}


@blueprint.post("/manage/<token>/sessions/<int:session_id>/sign-up")
def manage_sign_up(token: str, session_id: int):
    volunteer = person_or_404(token, Volunteer)
    surgery_session = public_session(session_id) or abort(404)
    try:
        signups.sign_up(volunteer, surgery_session, request.form.get("load", 0, type=int), utcnow())
    except SignupRefused as error:
        flash(str(error), "error")
    else:
        flash(f"Thank you. You are signed up to help at {surgery_session.title}.", "success")
    return redirect(url_for("volunteers.manage_sessions", token=token))


@blueprint.route("/manage/<token>/sessions/<int:session_id>/withdraw", methods=["GET", "POST"])
def manage_withdraw_signup(token: str, session_id: int):
    volunteer = person_or_404(token, Volunteer)
    signup = signups.signups_of(volunteer).get(session_id) or abort(404)
    back = url_for("volunteers.manage_sessions", token=token)
    if not signups.still_ahead(signup, utcnow()):
        flash(f"{signup.surgery_session.title} is over: it stays on your record.", "error")
        return redirect(back)
    form = Form()
    if form.validate_on_submit():
        signups.withdraw_signup(signup, utcnow())
        flash(f"You are no longer signed up to {signup.surgery_session.title}.", "success")
        return redirect(back)
    return render_template(
        "volunteers/withdraw_signup.html",
        form=form,
        signup=signup,
        groups=signups.paired_groups(signup),
        back=back,
    )
