"""A group picks a session itself: book a place, join a waiting list, give a place up."""

from flask import abort, flash, redirect, render_template, url_for

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Asker, Booking, BookingStatus
from surgery.services import booking, follow_through
from surgery.services.booking import BookingRefused
from surgery.services.finding import public_session
from surgery.web.fields import Form
from surgery.web.people import person_or_404
from surgery.web.public import blueprint
from surgery.web.public.manage import owned_request


@blueprint.get("/manage/<token>/requests/<int:request_id>/sessions")
def manage_sessions(token: str, request_id: int):
    asker = person_or_404(token, Asker)
    help_request = owned_request(asker, request_id)
    return render_template(
        "manage/sessions.html",
        token=token,
        help_request=help_request,
        found=booking.sessions_within_reach(help_request, utcnow()),
        current=booking.active_booking(help_request),
        form=Form(),
    )


@blueprint.post("/manage/<token>/requests/<int:request_id>/book/<int:session_id>")
def manage_book(token: str, request_id: int, session_id: int):
    help_request = owned_request(person_or_404(token, Asker), request_id)
    surgery_session = public_session(session_id) or abort(404)
    try:
        booked = booking.book_place(help_request, surgery_session, utcnow())
    except BookingRefused as error:
        flash(str(error), "error")
    else:
        if booked.status is BookingStatus.BOOKED:
            flash(f"You have a place at {surgery_session.title}.", "success")
        else:
            flash(
                "That session is full, so you are on its waiting list. We will tell you "
                "if a place comes up.",
                "success",
            )
    return redirect(url_for("public.manage", token=token))


@blueprint.route("/manage/<token>/bookings/<int:booking_id>/cancel", methods=["GET", "POST"])
def manage_cancel_booking(token: str, booking_id: int):
    """Say which place would be given up, naming the session and its date; give it up on yes."""
    asker = person_or_404(token, Asker)
    held = db.session.get(Booking, booking_id)
    if held is None or held.help_request.asker_id != asker.id:
        abort(404)
    back = url_for("public.manage", token=token)
    if held.status not in (BookingStatus.BOOKED, BookingStatus.WAITING):
        title = held.surgery_session.title
        flash(f"You are no longer booked or on the waiting list at {title}.", "info")
        return redirect(back)
    waiting, form = held.status is BookingStatus.WAITING, Form()
    if form.validate_on_submit():
        follow_through.free_place(held, utcnow())
        gone = "left the waiting list" if waiting else "given up your place"
        title = held.surgery_session.title
        flash(f"You have {gone} at {title}. Thank you for letting us know.", "success")
        return redirect(back)
    return render_template(
        "manage/give_up_place.html", form=form, held=held, waiting=waiting, back=back
    )
