"""A host reviews the matcher's pairings at their session."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from surgery.clock import utcnow
from surgery.database import row_id
from surgery.extensions import db
from surgery.models import FIXED_STATES, Pairing
from surgery.services import matching, reviewing, signups
from surgery.services.pairings import LIVE_STATES
from surgery.web.fields import Form
from surgery.web.helpers import plural
from surgery.web.hosts import blueprint
from surgery.web.hosts.sessions import own_session_or_404


def back(session_id: int):
    # To the top of the page, where the message saying what happened is shown (on a phone, a
    # jump to the pairings left it out of sight).
    return redirect(url_for("hosts.session_page", session_id=session_id))


def own_pairing_or_404(session_id: int, pairing_id: int) -> Pairing:
    surgery_session = own_session_or_404(session_id)
    pairing = db.session.get(Pairing, pairing_id)
    # A dropped or ended pairing is history: nothing can be done to it any more.
    if (
        pairing is None
        or pairing.session_id != surgery_session.id
        or pairing.state not in LIVE_STATES
    ):
        abort(404)
    return pairing


@blueprint.post("/sessions/<int:session_id>/match")
@login_required
def run_match(session_id: int):
    surgery_session = own_session_or_404(session_id)
    run = matching.run_matching(utcnow(), f"account:{current_user.id}", session_id=session_id)
    matched = reviewing.matched_here(surgery_session, run)
    said = what_the_matcher_did(matched, surgery_session.auto_confirm)
    flash(f"{said} {run.churn_summary}".strip(), "success")
    return back(session_id)


def what_the_matcher_did(matched: reviewing.Matched, auto_confirm: bool) -> str:
    """Say what the run did here: the pairings it agreed at once (their groups are emailed), and
    those it left proposed, for the host or, at an auto-confirm session, for lack of a table."""
    said = []
    if matched.confirmed:
        told = "the group" if matched.confirmed == 1 else "the groups"
        said.append(
            f"The matcher confirmed {plural(matched.confirmed, 'pairing')} for this session: "
            f"{told} will be emailed."
        )
    if matched.proposed and auto_confirm:
        said.append(
            f"{plural(matched.proposed, 'pairing')} could not be confirmed: the session has no "
            "tables left for those groups."
        )
    elif matched.proposed:
        said.append(f"The matcher proposed {plural(matched.proposed, 'pairing')} for this session.")
    return " ".join(said) or "The matcher found no group to pair at this session."


@blueprint.post("/sessions/<int:session_id>/pairings/confirm-all")
@login_required
def confirm_all(session_id: int):
    now = utcnow()
    result = reviewing.confirm_all(current_user, own_session_or_404(session_id), now)
    confirmed = plural(result.confirmed, "pairing")
    flash(f"Confirmed {confirmed}. The groups have been emailed.", "success")
    if result.no_table:
        flash(
            f"{plural(result.no_table, 'pairing')} could not be confirmed: "
            "the session has no tables left for those groups.",
            "error",
        )
    return back(session_id)


@blueprint.post("/sessions/<int:session_id>/pairings/<int:pairing_id>/lock")
@login_required
def lock_pairing(session_id: int, pairing_id: int):
    pairing = own_pairing_or_404(session_id, pairing_id)
    now = utcnow()
    try:
        reviewing.lock(current_user, pairing, now)
    except ValueError as error:
        flash(str(error), "error")
    else:
        flash("Pairing locked: the matcher will keep it.", "success")
    return back(session_id)


@blueprint.get("/sessions/<int:session_id>/pairings/<int:pairing_id>/drop")
@login_required
def confirm_drop(session_id: int, pairing_id: int):
    pairing = own_pairing_or_404(session_id, pairing_id)
    return render_template(
        "hosts/drop.html",
        pairing=pairing,
        surgery_session=pairing.surgery_session,
        agreed=pairing.state in FIXED_STATES,
        others=[
            s
            for s in signups.who_is_coming(pairing.surgery_session).volunteers
            if s.id != pairing.signup_id
        ],
        form=Form(),
        back=url_for("hosts.session_page", session_id=session_id) + "#pairings",
    )


@blueprint.post("/sessions/<int:session_id>/pairings/<int:pairing_id>/drop")
@login_required
def drop_pairing(session_id: int, pairing_id: int):
    pairing = own_pairing_or_404(session_id, pairing_id)
    here_again = request.form.get("here_again") == "yes"
    try:
        reviewing.drop(current_user, pairing, utcnow(), here_again=here_again)
    except ValueError as error:
        flash(str(error), "error")
    else:
        where = "here or at another session" if here_again else "at another session"
        flash(f"Pairing dropped. The group can be paired again {where}.", "success")
    return back(session_id)


@blueprint.post("/sessions/<int:session_id>/pairings/<int:pairing_id>/swap")
@login_required
def swap_pairing(session_id: int, pairing_id: int):
    pairing = own_pairing_or_404(session_id, pairing_id)
    # An id no row can have is no one's: the service says to choose a volunteer.
    signup_id = row_id(request.form.get("signup_id")) or 0
    try:
        shared = reviewing.swap(current_user, pairing, signup_id, utcnow())
    except ValueError as error:
        flash(str(error), "error")
    else:
        flash("Volunteer swapped.", "success")
        if not shared:
            wanted = ", ".join(skill.name for skill in pairing.help_request.skills)
            flash(
                f"{pairing.signup.volunteer.first_name} knows none of the skills this group "
                f"asked for ({wanted}). Swap again if someone else can help.",
                "warning",
            )
    return back(session_id)
