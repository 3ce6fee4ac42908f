"""The run sheet's actions: check a group in with its outcome, add a walk-in."""

from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Booking, BookingStatus
from surgery.services import on_the_day
from surgery.services.errors import InvalidAnswers
from surgery.services.on_the_day import WalkIn
from surgery.vocabulary import Level
from surgery.web.forms.sessions import outcome_form
from surgery.web.hosts import blueprint
from surgery.web.hosts.sessions import own_session_or_404, run_sheet, walk_in_form
from surgery.web.wizard import show_errors


@blueprint.post("/sessions/<int:session_id>/bookings/<int:booking_id>/outcome")
@login_required
def record_outcome(session_id: int, booking_id: int):
    surgery_session = own_session_or_404(session_id)
    booking = db.session.get(Booking, booking_id)
    if booking is None or booking.session_id != surgery_session.id:
        abort(404)
    if booking.status is not BookingStatus.BOOKED:
        abort(404)
    form = outcome_form(booking)
    if not on_the_day.has_begun(surgery_session, utcnow()):
        flash(on_the_day.NOT_YET + ".", "error")
    elif form.validate_on_submit():
        on_the_day.record_outcome(
            current_user,
            booking,
            form.attended.data == "yes",
            tuple(form.skills.data or ()),
            form.note.data or "",
            utcnow(),
        )
        flash(f"Saved for {booking.help_request.organisation_name}.", "success")
    else:
        flash("Say whether they came, then save.", "error")
    return redirect(url_for("hosts.session_page", session_id=session_id) + f"#booking-{booking.id}")


@blueprint.post("/sessions/<int:session_id>/walk-ins")
@login_required
def add_walk_in(session_id: int):
    surgery_session = own_session_or_404(session_id)
    form = walk_in_form(surgery_session) or abort(404)
    if form.validate_on_submit():
        walk_in = WalkIn(
            form.name.data,
            form.organisation_name.data,
            tuple(form.skills.data),
            Level(form.level.data),
            form.volunteer.data or None,
        )
        try:
            on_the_day.add_walk_in(current_user, surgery_session, walk_in, utcnow())
        except InvalidAnswers as error:
            show_errors(form, error)
        else:
            flash(f"{walk_in.organisation_name} is checked in.", "success")
            return redirect(url_for("hosts.session_page", session_id=session_id))
    # Shown again with its errors beside the answers, as typed.
    return run_sheet(surgery_session, walk_in=form, status=400)
