"""A group answers "still coming?" and the follow-ups; anyone unsubscribes with one click."""

from flask import abort, flash, redirect, render_template, request, url_for

from surgery.clock import utcnow
from surgery.extensions import csrf, db
from surgery.models import Asker, Booking, BookingStatus, FollowUpKind, RequestStatus, Volunteer
from surgery.services import follow_through
from surgery.services.tokens import LinkNotValid, person_for_unsubscribe_token
from surgery.web.fields import Form
from surgery.web.forms.follow_through import GotGoingForm, WhatChangedForm
from surgery.web.people import person_or_404
from surgery.web.public import blueprint
from surgery.web.public.manage import owned_request

FORMS = {FollowUpKind.WEEK: GotGoingForm, FollowUpKind.QUARTER: WhatChangedForm}


def owned_booking(asker: Asker, booking_id: int) -> Booking:
    held = db.session.get(Booking, booking_id)
    if held is None or held.help_request.asker_id != asker.id:
        abort(404)
    return held


@blueprint.route("/manage/<token>/bookings/<int:booking_id>/still-coming", methods=["GET", "POST"])
def still_coming(token: str, booking_id: int):
    held = owned_booking(person_or_404(token, Asker), booking_id)
    form = Form()
    if held.status is not BookingStatus.BOOKED:
        flash("You no longer have a place at that session.", "info")
        return redirect(url_for("public.manage", token=token))
    if form.validate_on_submit():
        answer = request.form.get("answer")
        if answer not in ("yes", "no"):
            abort(400)
        if not follow_through.answer_still_coming(held, answer == "yes", utcnow()):
            flash("Your place there had already been given up.", "info")
        elif answer == "yes":
            flash("Thank you. We look forward to seeing you.", "success")
        else:
            flash("Thank you for letting us know. Your table will go to another group.", "success")
        return redirect(url_for("public.manage", token=token))
    return render_template("follow_through/still_coming.html", held=held, form=form)


@blueprint.route(
    "/manage/<token>/requests/<int:request_id>/follow-up/<any(week, quarter):kind>",
    methods=["GET", "POST"],
)
def follow_up(token: str, request_id: int, kind: str):
    help_request = owned_request(person_or_404(token, Asker), request_id)
    if help_request.status is not RequestStatus.ATTENDED:
        abort(404)
    kind = FollowUpKind(kind)
    form = FORMS[kind]()
    if form.validate_on_submit():
        follow_through.record_follow_up(help_request, kind, utcnow(), **form.answers())
        return render_template("follow_through/thank_you.html")
    status = 400 if form.errors else 200
    page = render_template(
        "follow_through/follow_up.html", form=form, help_request=help_request, kind=kind
    )
    return page, status


@blueprint.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: a mail app POSTs here with no cookie and no form token
def unsubscribe(token: str):
    try:
        person = person_for_unsubscribe_token(token)
    except LinkNotValid:
        abort(404)
    who = {Asker: "group", Volunteer: "volunteer"}.get(type(person), "host")
    if request.method == "POST":
        follow_through.unsubscribe(person, utcnow())
        return render_template("follow_through/unsubscribed.html", who=who)
    return render_template("follow_through/unsubscribe.html", who=who)
