"""Confirm an email address; a group manages its requests through its private link."""

from flask import abort, flash, redirect, render_template, url_for
from wtforms import BooleanField

from surgery.clock import utcnow
from surgery.models import Asker, HelpRequest
from surgery.services import asking, email_change
from surgery.services.asking import PlaceOfRequest
from surgery.services.confirmation import confirm_email, confirmation_subject, is_unconfirmed
from surgery.services.errors import InvalidAnswers
from surgery.services.tokens import LinkExpired, LinkNotValid, manage_token
from surgery.web.fields import Form
from surgery.web.forms.asking import RequestDetailsForm
from surgery.web.forms.common import NameForm, PhoneForm
from surgery.web.people import (
    add_personal_data_routes,
    change_email_page,
    lost_link_page,
    person_or_404,
)
from surgery.web.public import blueprint
from surgery.web.public.asking import request_details
from surgery.web.wizard import answers_from, show_errors


class AskerContactForm(NameForm, PhoneForm):
    pass


class ChangeHeldRequestForm(RequestDetailsForm):
    """The request's questions, and a tick to give up the place it holds (labelled per place)."""

    give_up_place = BooleanField(
        description="Needed only if you change where or when you can come, or the help you need."
    )


@blueprint.get("/confirm/<token>")
def confirm(token: str):
    # A GET changes nothing: mail scanners open links, so only the button confirms.
    try:
        subject = confirmation_subject(token)
    except LinkExpired:
        return render_template("manage/confirm_expired.html"), 410
    except LinkNotValid:
        abort(404)
    if not is_unconfirmed(subject):
        return render_template("manage/already_confirmed.html", subject=subject)
    return render_template("manage/confirm.html", subject=subject, form=Form())


@blueprint.post("/confirm/<token>")
def confirm_post(token: str):
    try:
        subject = confirmation_subject(token)
        person = confirm_email(token, utcnow())
    except LinkExpired:
        return render_template("manage/confirm_expired.html"), 410
    except LinkNotValid:
        abort(404)
    if person is None:
        return render_template("manage/already_confirmed.html", subject=subject)
    flash("Thank you. Your email address is confirmed.", "success")
    endpoint = "public.manage" if isinstance(person, Asker) else "volunteers.manage"
    return redirect(url_for(endpoint, token=manage_token(person)))


@blueprint.route("/lost-link", methods=["GET", "POST"])
def lost_link():
    return lost_link_page()


@blueprint.get("/manage/lost-link")
def manage_lost_link():
    return redirect(url_for("public.lost_link"), 301)


@blueprint.get("/manage/<token>")
def manage(token: str):
    asker = person_or_404(token, Asker)
    return render_template(
        "manage/asker.html",
        asker=asker,
        token=token,
        places=asking.places_of_requests(asker.requests),
    )


@blueprint.route("/manage/<token>/contact", methods=["GET", "POST"])
def manage_contact(token: str):
    asker = person_or_404(token, Asker)
    form = AskerContactForm(obj=asker)
    if form.validate_on_submit():
        asking.update_asker_contact(asker, form.name.data, form.phone.data or "")
        flash("Your contact details have been updated.", "success")
        return redirect(url_for("public.manage", token=token))
    return render_template("manage/edit.html", form=form, title="Change your contact details",
                           back=url_for("public.manage", token=token))


@blueprint.route("/manage/<token>/email", methods=["GET", "POST"])
def manage_email(token: str):
    return change_email_page(person_or_404(token, Asker), url_for("public.manage", token=token))


@blueprint.get("/change-email/<token>")
def confirm_email_change(token: str):
    # As with /confirm: a GET changes nothing, since mail scanners open links.
    try:
        change = email_change.pending_change(token, utcnow())
    except LinkExpired:
        return expired_change()
    except LinkNotValid:
        abort(404)
    return render_template(
        "manage/confirm_email_change.html", email=change.new_email, form=Form()
    )


@blueprint.post("/change-email/<token>")
def confirm_email_change_post(token: str):
    try:
        person = email_change.confirm_email_change(token, utcnow())
    except LinkExpired:
        return expired_change()
    except LinkNotValid:
        abort(404)
    except email_change.AddressTaken:
        return render_template("manage/email_change_taken.html"), 409
    flash(f"Your email address is now {person.email}.", "success")
    endpoint = "public.manage" if isinstance(person, Asker) else "volunteers.manage"
    return redirect(url_for(endpoint, token=manage_token(person)))


def expired_change():
    days = email_change.LINK_LIFETIME.days
    return render_template("manage/email_change_expired.html", days=days), 410


def owned_request(asker: Asker, request_id: int) -> HelpRequest:
    help_request = next((r for r in asker.requests if r.id == request_id), None)
    return help_request or abort(404)


@blueprint.route("/manage/<token>/requests/<int:request_id>/edit", methods=["GET", "POST"])
def manage_request_edit(token: str, request_id: int):
    asker = person_or_404(token, Asker)
    help_request = owned_request(asker, request_id)
    if not help_request.can_edit:
        abort(404)
    place = asking.place_of_request(help_request)
    form = change_request_form(help_request, place)
    if form.validate_on_submit():
        give_up = place.held and form.give_up_place.data
        try:
            details = request_details(answers_from(form))
            asking.update_help_request(help_request, details, utcnow(), give_up_place=give_up)
        except InvalidAnswers as error:
            show_errors(form, error)
        else:
            flash(request_changed(place, asking.place_of_request(help_request)), "success")
            return redirect(url_for("public.manage", token=token))
    return render_template(
        "manage/edit.html",
        form=form,
        title="Change your request",
        warning=place.cost_of_changing if place.held else None,
        back=url_for("public.manage", token=token),
    )


def change_request_form(help_request: HelpRequest, place: PlaceOfRequest) -> RequestDetailsForm:
    """The edit form; while the request holds a place, with a tick box to give it up."""
    if not place.held:
        return RequestDetailsForm(data=request_form_data(help_request))
    form = ChangeHeldRequestForm(data=request_form_data(help_request))
    doing = "leave the waiting list" if place.waiting else "give up my place"
    form.give_up_place.label.text = f"Yes, {doing} and change my request"
    return form


def request_changed(before: PlaceOfRequest, after: PlaceOfRequest) -> str:
    if not before.held or after.held:
        return "Your request has been updated."
    gone = "left the waiting list" if before.waiting else "given up your place"
    return f"Your request has been updated. You have {gone} at {before.surgery_session.title}."


def request_form_data(help_request: HelpRequest) -> dict:
    """Return a stored request as the edit form's starting answers."""
    return {
        "organisation_name": help_request.organisation_name,
        "organisation_kind": help_request.organisation_kind.value,
        "postcode": help_request.postcode,
        "skills": [skill.id for skill in help_request.skills],
        "level": help_request.level,
        "goal": help_request.goal,
        "travel_km": help_request.travel_km,
        "earliest_date": help_request.earliest_date,
        "latest_date": help_request.latest_date,
        "availability": help_request.availability,
        "access_needs": help_request.access_needs,
        "access_notes": help_request.access_notes,
        "consent_follow_up": help_request.consent_follow_up,
        "consent_share_story": help_request.consent_share_story,
    }


@blueprint.route("/manage/<token>/requests/<int:request_id>/withdraw", methods=["GET", "POST"])
def manage_request_withdraw(token: str, request_id: int):
    asker = person_or_404(token, Asker)
    help_request = owned_request(asker, request_id)
    if not help_request.can_withdraw:
        abort(404)
    form = Form()
    if form.validate_on_submit():
        asking.withdraw_help_request(help_request, utcnow())
        flash("Your request has been withdrawn. We will not look for a session for it.", "success")
        return redirect(url_for("public.manage", token=token))
    return render_template("manage/withdraw.html", form=form, help_request=help_request,
                           place=asking.place_of_request(help_request),
                           back=url_for("public.manage", token=token))


add_personal_data_routes(blueprint, Asker)
