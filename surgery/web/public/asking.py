"""A group asks for help, one question a page."""

from datetime import date

from flask import render_template, session

from surgery.clock import london_date, utcnow
from surgery.services import answers as checks
from surgery.services.answers import ContactAnswers
from surgery.services.asking import RequestDetails, confirmation_sent_to, submit_help_request
from surgery.vocabulary import AccessNeed, Availability, Level, OrganisationKind
from surgery.web.forms.asking import (
    AccessForm,
    AskSkillsForm,
    ConsentForm,
    GoalForm,
    LevelForm,
    OrganisationForm,
    WhenForm,
)
from surgery.web.forms.common import (
    ContactForm,
    PostcodeForm,
    TravelForm,
    postcode_is_known,
)
from surgery.web.public import blueprint
from surgery.web.wizard import Journey, Step, show_check, show_step


def request_details(answers: dict) -> RequestDetails:
    """Turn the answers of the request questions into the service's input."""
    return RequestDetails(
        organisation_name=answers["organisation_name"],
        organisation_kind=OrganisationKind(answers["organisation_kind"]),
        postcode=answers["postcode"],
        skill_ids=tuple(answers["skills"]),
        level=Level(answers["level"]),
        goal=answers["goal"],
        travel_km=answers["travel_km"],
        earliest_date=as_date(answers["earliest_date"]),
        latest_date=as_date(answers["latest_date"]),
        availability=tuple(Availability(choice) for choice in answers["availability"]),
        access_needs=tuple(AccessNeed(need) for need in answers["access_needs"] or []),
        access_notes=answers["access_notes"] or "",
        consent_follow_up=bool(answers["consent_follow_up"]),
        consent_share_story=bool(answers["consent_share_story"]),
    )


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


# The "Check your email" page names the address, the commonest mistake, by the request's id:
# the cookie carries no address.
SENT_KEY = "ask:sent"


def submit(answers: dict) -> None:
    contact = ContactAnswers(answers["name"], answers["email"], answers["phone"] or "")
    help_request = submit_help_request(contact, request_details(answers), utcnow())
    session[SENT_KEY] = help_request.id


def check_window(answers: dict) -> None:
    earliest, latest = as_date(answers["earliest_date"]), as_date(answers["latest_date"])
    checks.check_window(earliest, latest, london_date(utcnow()))


ASK = Journey(
    name="ask",
    blueprint="public",
    submit=submit,
    steps=(
        Step("contact", ContactForm, "Your contact details"),
        Step("group", OrganisationForm, "About your group"),
        Step("postcode", PostcodeForm, "What is your postcode?", postcode_is_known),
        Step("skills", AskSkillsForm, "What would you like help with?"),
        Step("level", LevelForm, "Where are you up to?"),
        Step("goal", GoalForm, "What do you want to achieve?"),
        Step("travel", TravelForm, "How far can you travel to a session?"),
        Step("when", WhenForm, "When could you come to a session?", check_window),
        Step("access", AccessForm, "Do you need anything to take part?"),
        Step("keeping-in-touch", ConsentForm, "Can we keep in touch after the session?"),
    ),
)


@blueprint.get("/ask")
def ask_start():
    return render_template("public/ask_start.html", journey=ASK)


@blueprint.route("/ask/<slug>", methods=["GET", "POST"])
def ask_step(slug: str):
    return show_step(ASK, slug)


@blueprint.route("/ask/check", methods=["GET", "POST"])
def ask_check():
    return show_check(ASK)


@blueprint.get("/ask/sent")
def ask_sent():
    sent_to = confirmation_sent_to(session.get(SENT_KEY))
    return render_template("public/ask_sent.html", email=sent_to)
