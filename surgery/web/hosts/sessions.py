"""A host's own sessions: create, change, publish, cancel, complete, add co-hosts."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from surgery.clock import LONDON, utcnow
from surgery.services import matching, on_the_day, reviewing, sessions, signups
from surgery.services.errors import InvalidAnswers
from surgery.services.sessions import SessionDetails
from surgery.services.skills import active_skills
from surgery.vocabulary import AccessNeed, Level
from surgery.web.fields import Form
from surgery.web.forms.sessions import (
    CancelSessionForm,
    CoHostForm,
    SessionForm,
    WalkInForm,
    outcome_form_for_page,
)
from surgery.web.hosts import blueprint
from surgery.web.wizard import show_errors


def details_from(form: SessionForm) -> SessionDetails:
    return SessionDetails(
        title=form.title.data,
        venue_name=form.venue_name.data,
        venue_address=form.venue_address.data,
        postcode=form.postcode.data,
        day=form.day.data,
        starts=form.starts.data,
        ends=form.ends.data,
        seats=form.seats.data,
        level_focus=Level(form.level_focus.data) if form.level_focus.data else None,
        partners=form.partners.data or "",
        access=tuple(AccessNeed(need) for need in form.access.data or []),
        access_notes=form.access_notes.data or "",
        volunteer_notes=form.volunteer_notes.data or "",
        requires_safeguarding=form.requires_safeguarding.data,
        auto_confirm=form.auto_confirm.data,
        free_unanswered=form.free_unanswered.data,
    )


def form_data(surgery_session) -> dict:
    starts, ends = (
        moment.astimezone(LONDON) for moment in (surgery_session.starts_at, surgery_session.ends_at)
    )
    return {
        "title": surgery_session.title,
        "venue_name": surgery_session.venue_name,
        "venue_address": surgery_session.venue_address,
        "postcode": surgery_session.postcode,
        "day": starts.date(),
        "starts": starts.time(),
        "ends": ends.time(),
        "seats": surgery_session.seats,
        "level_focus": surgery_session.level_focus or 0,
        "partners": surgery_session.partners,
        "access": surgery_session.access,
        "access_notes": surgery_session.access_notes,
        "volunteer_notes": surgery_session.volunteer_notes,
        "requires_safeguarding": surgery_session.requires_safeguarding,
        "auto_confirm": surgery_session.auto_confirm,
        "free_unanswered": surgery_session.free_unanswered,
    }


def own_session_or_404(session_id: int):
    """Return the session if the signed-in host runs it; another host's session does not exist."""
    return sessions.session_for(current_user, session_id) or abort(404)


@blueprint.route("/sessions/new", methods=["GET", "POST"])
@login_required
def session_new():
    form = SessionForm()
    if form.validate_on_submit():
        try:
            created = sessions.create_session(current_user, details_from(form), utcnow())
        except InvalidAnswers as error:
            show_errors(form, error)
        else:
            flash("Your session is saved as a draft. Publish it when it is ready.", "success")
            return redirect(url_for("hosts.session_page", session_id=created.id))
    return render_template("hosts/session_form.html", form=form, title="Create a session")


@blueprint.get("/sessions/<int:session_id>")
@login_required
def session_page(session_id: int):
    return run_sheet(own_session_or_404(session_id))


def walk_in_form(surgery_session, **kwargs) -> WalkInForm | None:
    """The walk-in form, offering the volunteers with room; only on the day of the session."""
    if not on_the_day.has_begun(surgery_session, utcnow()):
        return None
    return WalkInForm(rooms=on_the_day.volunteers_with_room(surgery_session), **kwargs)


# The groups that could come if a table freed: a national service may have hundreds for a session.
COULD_COME_SHOWN = 10


def run_sheet(surgery_session, walk_in: WalkInForm | None = None, status: int = 200):
    """The session's page: its details, the moves open now, its pairings and who is coming."""
    coming = signups.who_is_coming(surgery_session)
    live = reviewing.pairings_at(surgery_session)
    now = utcnow()
    on = on_the_day.has_begun(surgery_session, now)
    page = render_template(
        "hosts/session.html",
        surgery_session=surgery_session,
        moves=sessions.moves_allowed(surgery_session, now),
        coming=coming,
        pairings=live,
        swap_choices=reviewing.swap_choices(surgery_session, live, coming.volunteers),
        confirmable=reviewing.confirmable(surgery_session, live, coming.booked),
        could_come=matching.could_come(surgery_session, now, live, coming.volunteers),
        could_come_shown=COULD_COME_SHOWN,
        outcome_forms={b.id: outcome_form_for_page(b) for b in coming.booked} if on else {},
        walk_in_form=walk_in or walk_in_form(surgery_session, formdata=None),
        form=Form(),
        co_host_form=CoHostForm(formdata=None),
        skill_names=skill_names_once(),
    )
    return page, status


def skill_names_once():
    """The template helper skill_names, reading the skills once for the page rather than once
    for each pairing it lists: the names of these skill ids, in the skill list's order."""
    names = {skill.id: skill.name for skill in active_skills()}
    return lambda skill_ids: ", ".join(name for id_, name in names.items() if id_ in skill_ids)


@blueprint.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def session_edit(session_id: int):
    surgery_session = own_session_or_404(session_id)
    form = SessionForm(data=form_data(surgery_session))
    if form.validate_on_submit():
        try:
            sessions.update_session(current_user, surgery_session, details_from(form), utcnow())
        except InvalidAnswers as error:
            show_errors(form, error)
        else:
            flash("Your changes are saved.", "success")
            return redirect(url_for("hosts.session_page", session_id=session_id))
    return render_template("hosts/session_form.html", form=form, title="Change this session")


@blueprint.post("/sessions/<int:session_id>/publish")
@login_required
def session_publish(session_id: int):
    surgery_session = own_session_or_404(session_id)
    try:
        sessions.move_session(current_user, surgery_session, "publish", utcnow())
    except ValueError as error:
        flash(str(error), "error")
    else:
        flash("The session is now published.", "success")
    return redirect(url_for("hosts.session_page", session_id=session_id))


def session_url(session_id: int) -> str:
    return url_for("hosts.session_page", session_id=session_id)


def move_refused(surgery_session, action: str):
    """Say why a move is not allowed now and go back to the session; None when it is."""
    try:
        sessions.check_move(surgery_session, action, utcnow())
    except ValueError as error:
        flash(str(error), "error")
        return redirect(session_url(surgery_session.id))
    return None


@blueprint.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@login_required
def session_cancel(session_id: int):
    """Say what cancelling does and ask why; cancel only once the host says yes."""
    surgery_session, back = own_session_or_404(session_id), session_url(session_id)
    if refused := move_refused(surgery_session, "cancel"):
        return refused
    form = CancelSessionForm()
    if form.validate_on_submit():
        return moved(surgery_session, "cancel", "The session is cancelled.", form.reason.data)
    groups, volunteers = sessions.who_will_be_told(surgery_session)
    return render_template(
        "hosts/cancel.html",
        surgery_session=surgery_session,
        form=form,
        groups=groups,
        volunteers=volunteers,
        back=back,
    )


@blueprint.route("/sessions/<int:session_id>/complete", methods=["GET", "POST"])
@login_required
def session_complete(session_id: int):
    """Say which groups will be marked as not having come; complete once the host says yes."""
    surgery_session, back = own_session_or_404(session_id), session_url(session_id)
    if refused := move_refused(surgery_session, "complete"):
        return refused
    form = Form()
    if form.validate_on_submit():
        return moved(surgery_session, "complete", "The session is marked as completed.")
    return render_template(
        "hosts/complete.html",
        surgery_session=surgery_session,
        form=form,
        not_come=on_the_day.not_checked_in(surgery_session),
        back=back,
    )


def moved(surgery_session, action: str, done: str, reason: str = ""):
    """Make the move and go back to the session's page, saying what happened or why not."""
    try:
        sessions.move_session(current_user, surgery_session, action, utcnow(), reason=reason)
    except ValueError as error:
        flash(str(error), "error")
    else:
        flash(done, "success")
    return redirect(url_for("hosts.session_page", session_id=surgery_session.id))


@blueprint.post("/sessions/<int:session_id>/co-hosts")
@login_required
def session_co_host(session_id: int):
    surgery_session = own_session_or_404(session_id)
    form = CoHostForm()
    if form.validate_on_submit():
        try:
            sessions.add_co_host(current_user, surgery_session, form.email.data, utcnow())
        except InvalidAnswers as error:
            flash(error.errors["email"], "error")
        else:
            flash("Co-host added.", "success")
    else:
        flash(" ".join(form.email.errors), "error")
    return redirect(url_for("hosts.session_page", session_id=session_id))
