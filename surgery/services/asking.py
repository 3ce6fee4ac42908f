"""A group asks for help: submit, confirm, change, withdraw; and what its request holds."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import joinedload

from surgery.clock import london_date
from surgery.extensions import db
from surgery.geo import Place
from surgery.models import (
    Asker,
    Booking,
    BookingStatus,
    HelpRequest,
    Pairing,
    RequestStatus,
    Signup,
    Skill,
    SurgerySession,
)
from surgery.models.pairings import FIXED_STATES
from surgery.notify import keys, outbox
from surgery.services import placement
from surgery.services.answers import (
    ContactAnswers,
    check_window,
    normalise_email,
    place_for,
    skills_for,
)
from surgery.services.errors import InvalidAnswers
from surgery.services.placement.tables import ACTIVE as ACTIVE_BOOKINGS
from surgery.services.settling import settle
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
    outbox.send_queued(now)
    return help_request


def confirmation_sent_to(request_id: int | None) -> str | None:
    """The address a request's confirmation link went to, while the link is still to be used."""
    help_request = db.session.get(HelpRequest, request_id) if request_id else None
    if help_request is None or help_request.status is not RequestStatus.UNCONFIRMED:
        return None
    return help_request.asker.email


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
    """Check the rules that need the index, the skill list or the date, and copy the answers.

    Nothing is copied unless every answer passes.
    """
    place, skills = checked(details, now)
    help_request.skills = skills
    help_request.move_to(place)
    for name in COPIED_AS_GIVEN:
        setattr(help_request, name, getattr(details, name))
    help_request.level = int(details.level)
    help_request.availability = [str(choice) for choice in details.availability]
    help_request.access_needs = [str(need) for need in details.access_needs]


def checked(details: RequestDetails, now: datetime) -> tuple[Place, list[Skill]]:
    """Return the place and skills the answers name; raise InvalidAnswers."""
    place = place_for(details.postcode)
    skills = skills_for(details.skill_ids)
    check_window(details.earliest_date, details.latest_date, london_date(now))
    return place, skills


def queue_confirmation(asker: Asker, help_request: HelpRequest, returning: bool, now) -> None:
    outbox.queue_email(
        outbox.Envelope(asker.email),
        key=keys.confirm_request(help_request.id),
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


@dataclass(frozen=True)
class PlaceOfRequest:
    """What a request holds, and the one sentence that tells its group."""

    summary: str
    booking: Booking | None = None
    pairing: Pairing | None = None

    @property
    def held(self) -> bool:
        return self.booking is not None or self.pairing is not None

    @property
    def waiting(self) -> bool:
        return self.booking is not None and self.booking.status is BookingStatus.WAITING

    @property
    def surgery_session(self) -> SurgerySession | None:
        held = self.booking or self.pairing
        return held.surgery_session if held else None

    @property
    def volunteer_name(self) -> str | None:
        """The agreed volunteer's first name, when it is for the place the group holds."""
        if self.pairing is None or self.surgery_session.id != self.pairing.session_id:
            return None
        return self.pairing.signup.volunteer.first_name

    @property
    def giving_up(self) -> str:
        """What giving the place up means, as a phrase: "give up your place at …"."""
        title = self.surgery_session.title
        if self.waiting:
            return f"leave the waiting list at {title}"
        return f"give up your place at {title}"

    @property
    def cost_of_changing(self) -> str:
        """What changing the request would do to the place, in a sentence."""
        title = self.surgery_session.title
        if self.waiting:
            return (
                f"Changing where or when you can come, or the help you need, takes you off "
                f"the waiting list at {title}."
            )
        with_whom = f" with {self.volunteer_name}" if self.volunteer_name else ""
        return (
            f"Changing where or when you can come, or the help you need, gives up your place "
            f"at {title}{with_whom}."
        )


class PlaceHeld(InvalidAnswers):
    """A change to a request that holds a place, not told to give the place up."""

    def __init__(self, place: PlaceOfRequest):
        message = f"Tick the box to {place.giving_up} and change your request"
        super().__init__({"give_up_place": message})
        self.place = place


# While a request is live, its place says more than its status: OPEN covers "nothing yet",
# "on a waiting list" and "a table, no volunteer yet" alike.
LIVE = (RequestStatus.OPEN, RequestStatus.MATCHED)


def place_of_request(help_request: HelpRequest) -> PlaceOfRequest:
    """Say what a request holds: nothing, a place in a queue, a table, or a table and a
    volunteer."""
    return places_of_requests([help_request])[help_request.id]


def places_of_requests(help_requests: list[HelpRequest]) -> dict[int, PlaceOfRequest]:
    """The place of each request, by id, in three queries however many there are: a group's
    page lists all its requests."""
    live = [r.id for r in help_requests if r.status in LIVE]
    bookings = db.session.scalars(
        db.select(Booking)
        .where(Booking.help_request_id.in_(live), Booking.status.in_(ACTIVE_BOOKINGS))
        .options(joinedload(Booking.surgery_session))
    )
    pairings = db.session.scalars(
        db.select(Pairing)
        .where(Pairing.help_request_id.in_(live), Pairing.state.in_(FIXED_STATES))
        .options(
            joinedload(Pairing.surgery_session),
            joinedload(Pairing.signup).joinedload(Signup.volunteer),
        )
    )
    held = {booking.help_request_id: booking for booking in bookings}
    agreed = {pairing.help_request_id: pairing for pairing in pairings}
    return {r.id: place_from(r, held.get(r.id), agreed.get(r.id)) for r in help_requests}


def place_from(
    help_request: HelpRequest, held: Booking | None, agreed: Pairing | None
) -> PlaceOfRequest:
    if help_request.status not in LIVE:
        return PlaceOfRequest(help_request.status.label)
    place = PlaceOfRequest(RequestStatus.OPEN.label, held, agreed)
    if not place.held:
        return place
    title = place.surgery_session.title
    if place.waiting:
        summary = f"On the waiting list at {title}"
    elif place.volunteer_name:
        summary = f"You have a place at {title} with {place.volunteer_name}"
    else:
        summary = f"You have a place at {title}. We will tell you who your volunteer is."
    return PlaceOfRequest(summary, held, agreed)


def update_help_request(
    help_request: HelpRequest, details: RequestDetails, now: datetime, give_up_place: bool = False
) -> None:
    """Change a request; a place it holds is given up only if `give_up_place` says so.

    Raise ValueError once the request has ended, InvalidAnswers for answers that break a rule,
    and PlaceHeld (changing nothing) for a change that would silently cost the group its place.
    """
    if not help_request.can_edit:
        raise ValueError("This request can no longer be changed.")
    place = place_of_request(help_request)
    answered = checked(details, now)  # a mistake in the answers must not cost the group its place
    costs_the_place = place.held and changes_the_place(help_request, details, *answered)
    if costs_the_place and not give_up_place:
        raise PlaceHeld(place)
    # The new answers go in first, so whatever fills the freed table sees the request as it is
    # now; they are saved in the same commit as the place is given up.
    apply_details(help_request, details, now)
    if costs_the_place:
        give_up(help_request, now)
    else:
        db.session.commit()


def changes_the_place(
    help_request: HelpRequest, details: RequestDetails, place: Place, skills: list[Skill]
) -> bool:
    """Whether the answers change where, when or with what help the group can come; the rest
    (its name, its goal, notes, consents) change without touching its place."""
    return (
        (place.point.easting, place.point.northing) != (help_request.easting, help_request.northing)
        or details.travel_km != help_request.travel_km
        or details.earliest_date != help_request.earliest_date
        or details.latest_date != help_request.latest_date
        or sorted(map(str, details.availability)) != sorted(help_request.availability)
        or {skill.id for skill in skills} != {skill.id for skill in help_request.skills}
        or int(details.level) != help_request.level
        or sorted(map(str, details.access_needs)) != sorted(help_request.access_needs)
    )


def give_up(help_request: HelpRequest, now: datetime) -> None:
    """Give up the table or queue place (and with it the volunteer) a request holds; commit."""
    settle(placement.leave(help_request, now), now)
    db.session.commit()
    outbox.send_queued(now)


def update_asker_contact(asker: Asker, name: str, phone: str) -> None:
    """Change an asker's name and phone number."""
    asker.name, asker.phone = name.strip(), phone.strip() or None
    db.session.commit()


def withdraw_help_request(help_request: HelpRequest, now: datetime) -> None:
    """Take a request out of matching, at the asker's wish."""
    if not help_request.can_withdraw:
        raise ValueError(f"A request that is {help_request.status.value} cannot be withdrawn.")
    settle(placement.withdraw(help_request, now), now)
    db.session.commit()
    outbox.send_queued(now)
