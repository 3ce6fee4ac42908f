"""A group asks for help: submit, confirm, change, withdraw."""

from dataclasses import dataclass
from datetime import date, datetime

from surgery.clock import london_date
from surgery.extensions import db
from surgery.models import Asker, HelpRequest
from surgery.services import notifications
from surgery.services.answers import (
    ContactAnswers,
    check_window,
    normalise_email,
    place_for,
    skills_for,
)
from surgery.services.booking import release_request
from surgery.services.tokens import confirm_url, manage_url
from surgery.vocabulary import AccessNeed, Availability, Level, OrganisationKind


@dataclass(frozen=True)
class RequestDetails:
    organisation_name: str
    organisation_kind: OrganisationKind
    postcode: str
    skill_ids: tuple[int, ...]
    level: Level
    goal: str
    travel_km: int
    earliest_date: date
    latest_date: date
    availability: tuple[Availability, ...]
    access_needs: tuple[AccessNeed, ...] = ()
    access_notes: str = ""
    consent_follow_up: bool = False
    consent_share_story: bool = False


def submit_help_request(contact: ContactAnswers, details: RequestDetails, now: datetime):
    """Store an unconfirmed request and email a confirmation link; raise InvalidAnswers."""
    email = normalise_email(contact.email)
    help_request = HelpRequest(created_at=now)
    apply_details(help_request, details, now)
    asker = db.session.scalar(db.select(Asker).where(Asker.email == email))
    returning = asker is not None
    if asker is None:
        phone = contact.phone.strip() or None
        asker = Asker(name=contact.name.strip(), email=email, phone=phone, created_at=now)
        db.session.add(asker)
    asker.requests.append(help_request)
    db.session.flush()
    queue_confirmation(asker, help_request, returning, now)
    db.session.commit()
    notifications.send_queued(now)
    return help_request


# Answers stored on the request as they are; the rest need converting or checking first.
COPIED_AS_GIVEN = (
    "organisation_name",
    "organisation_kind",
    "goal",
    "travel_km",
    "earliest_date",
    "latest_date",
    "access_notes",
    "consent_follow_up",
    "consent_share_story",
)


def apply_details(help_request: HelpRequest, details: RequestDetails, now: datetime) -> None:
    """Check the rules that need the index, the skill list or the date, and copy the answers."""
    place = place_for(details.postcode)
    help_request.skills = skills_for(details.skill_ids)
    check_window(details.earliest_date, details.latest_date, london_date(now))
    help_request.move_to(place)
    for name in COPIED_AS_GIVEN:
        setattr(help_request, name, getattr(details, name))
    help_request.level = int(details.level)
    help_request.availability = [str(choice) for choice in details.availability]
    help_request.access_needs = [str(need) for need in details.access_needs]


def queue_confirmation(asker: Asker, help_request: HelpRequest, returning: bool, now) -> None:
    notifications.queue_email(
        key=f"confirm-request:{help_request.id}",
        recipient=asker.email,
        template="confirm_request",
        subject="Confirm your email address to send your request for help",
        due_at=now,
        asker=asker,
        help_request=help_request,
        returning=returning,
        confirm_url=confirm_url("request", help_request.id),
        manage_url=manage_url(asker),
    )


def confirm_help_request(help_request: HelpRequest, now: datetime) -> Asker:
    """Open a request for matching and mark its asker's address confirmed."""
    help_request.confirm(now)
    asker = help_request.asker
    asker.confirmed_at = asker.confirmed_at or now
    db.session.commit()
    return asker


def update_help_request(help_request: HelpRequest, details: RequestDetails, now: datetime) -> None:
    """Change a request that is not yet booked; raise InvalidAnswers or ValueError."""
    if not help_request.can_edit:
        raise ValueError("This request can no longer be changed.")
    apply_details(help_request, details, now)
    db.session.commit()


def update_asker_contact(asker: Asker, name: str, phone: str) -> None:
    """Change an asker's name and phone number."""
    asker.name, asker.phone = name.strip(), phone.strip() or None
    db.session.commit()


def withdraw_help_request(help_request: HelpRequest, now: datetime) -> None:
    """Take a request out of matching, at the asker's wish."""
    help_request.withdraw(now)
    release_request(help_request, now)
    db.session.commit()
