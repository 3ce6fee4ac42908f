from flask import flash, redirect, render_template, url_for

from surgery.clock import utcnow
from surgery.models import Volunteer, VolunteerStatus
from surgery.services import offering, recognition, signups
from surgery.services.answers import ContactAnswers
from surgery.services.errors import InvalidAnswers
from surgery.services.offering import OfferDetails
from surgery.vocabulary import Availability, Level
from surgery.web.fields import Form
from surgery.web.forms.common import (
    AvailabilityForm,
    LostLinkForm,
    NameForm,
    PostcodeForm,
    SkillsForm,
    TravelForm,
    postcode_is_known,
)
from surgery.web.forms.offering import BioForm, LevelsForm, OfferDetailsForm
from surgery.web.helpers import plural
from surgery.web.people import (
    add_personal_data_routes,
    change_email_page,
    lost_link_page,
    person_or_404,
)
from surgery.web.volunteers import blueprint
from surgery.web.wizard import Journey, Step, answers_from, show_check, show_errors, show_step


class VolunteerContactForm(NameForm, LostLinkForm):
    pass


def offer_details(answers: dict) -> OfferDetails:
    """Turn the answers of the offer questions into the service's input."""
    return OfferDetails(
        postcode=answers["postcode"],
        skill_ids=tuple(answers["skills"]),
        levels=tuple(Level(level) for level in answers["levels"]),
        travel_km=answers["travel_km"],
        availability=tuple(Availability(choice) for choice in answers["availability"]),
        bio=answers["bio"] or "",
    )


def submit(answers: dict) -> None:
    contact = ContactAnswers(answers["name"], answers["email"])
    offering.submit_volunteer_offer(contact, offer_details(answers), utcnow())


OFFER = Journey(
    name="offer",
    blueprint="volunteers",
    submit=submit,
    steps=(
        Step("contact", VolunteerContactForm, "Your name and email address"),
        Step("postcode", PostcodeForm, "What is your postcode?", postcode_is_known),
        Step("skills", SkillsForm, "What can you help with?"),
        Step("levels", LevelsForm, "Which groups would you like to help?"),
        Step("travel", TravelForm, "How far can you travel to a session?"),
        Step("availability", AvailabilityForm, "When are you usually free?"),
        Step("about-you", BioForm, "Tell groups a little about yourself"),
    ),
)


@blueprint.get("/offer")
def offer_start():
    return render_template("volunteers/offer_start.html", journey=OFFER)


@blueprint.route("/offer/<slug>", methods=["GET", "POST"])
def offer_step(slug: str):
    return show_step(OFFER, slug)


@blueprint.route("/offer/check", methods=["GET", "POST"])
def offer_check():
    return show_check(OFFER)


@blueprint.get("/offer/sent")
def offer_sent():
    return render_template("volunteers/offer_sent.html")


@blueprint.route("/lost-link", methods=["GET", "POST"])
def lost_link():
    # The address volunteers' emails have always named; it serves groups just as well.
    return lost_link_page()


@blueprint.get("/manage/<token>")
def manage(token: str):
    volunteer = person_or_404(token, Volunteer)
    given = recognition.recognition_of(volunteer, utcnow())
    return render_template(
        "manage/volunteer.html",
        volunteer=volunteer,
        token=token,
        form=Form(),
        given=given,
        helping=signups.helping_ahead(volunteer, utcnow()),
    )


@blueprint.get("/manage/<token>/certificate")
def manage_certificate(token: str):
    volunteer = person_or_404(token, Volunteer)
    given = recognition.recognition_of(volunteer, utcnow())
    return render_template("manage/certificate.html", volunteer=volunteer, token=token, given=given)


@blueprint.route("/manage/<token>/edit", methods=["GET", "POST"])
def manage_edit(token: str):
    volunteer = person_or_404(token, Volunteer)
    form = OfferDetailsForm(data=offer_form_data(volunteer))
    if form.validate_on_submit():
        answers = answers_from(form)
        try:
            offering.update_volunteer(volunteer, answers["name"], offer_details(answers), utcnow())
        except InvalidAnswers as error:
            show_errors(form, error)
        else:
            flash("Your details have been updated.", "success")
            return redirect(url_for("volunteers.manage", token=token))
    back = url_for("volunteers.manage", token=token)
    return render_template("manage/edit.html", form=form, title="Change your details", back=back)


def offer_form_data(volunteer: Volunteer) -> dict:
    return {
        "name": volunteer.name,
        "postcode": volunteer.postcode,
        "skills": [skill.id for skill in volunteer.skills],
        "levels": volunteer.levels,
        "travel_km": volunteer.travel_km,
        "availability": volunteer.availability,
        "bio": volunteer.bio,
    }


@blueprint.route("/manage/<token>/email", methods=["GET", "POST"])
def manage_email(token: str):
    volunteer = person_or_404(token, Volunteer)
    return change_email_page(volunteer, url_for("volunteers.manage", token=token))


@blueprint.route("/manage/<token>/pause", methods=["GET", "POST"])
def manage_pause(token: str):
    volunteer = person_or_404(token, Volunteer)
    back = url_for("volunteers.manage", token=token)
    if volunteer.status is not VolunteerStatus.ACTIVE:
        return redirect(back)
    helping, form = signups.helping_ahead(volunteer, utcnow()), Form()
    if form.validate_on_submit():
        offering.pause_volunteering(volunteer, utcnow())
        flash(paused_message(len(helping)), "success")
        return redirect(back)
    return render_template("volunteers/pause.html", form=form, helping=helping, back=back)


def paused_message(sessions_kept: int) -> str:
    """Say what pausing left as it was: the sign-ups stand (see signups.helping_ahead)."""
    if not sessions_kept:
        return "You have stopped offering help for now. Come back any time."
    return (
        "You have stopped offering help for now. You are still signed up to help at "
        f"{plural(sessions_kept, 'session')}, listed below, and we will still remind you "
        "before each. Come back any time."
    )


@blueprint.post("/manage/<token>/resume")
def manage_resume(token: str):
    offering.resume_volunteering(person_or_404(token, Volunteer))
    flash("Welcome back. You are offering help again.", "success")
    return redirect(url_for("volunteers.manage", token=token))


add_personal_data_routes(blueprint, Volunteer)
