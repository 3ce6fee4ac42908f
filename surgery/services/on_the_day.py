"""On the day: check groups in, add walk-ins, record outcomes, settle attendance at the end."""

from collections import Counter
from dataclasses import dataclass

from surgery.clock import london_date
from surgery.extensions import db
from surgery.models import (
    FIXED_STATES,
    Account,
    Asker,
    Booking,
    BookingStatus,
    HelpRequest,
    Outcome,
    Pairing,
    SessionStatus,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)
from surgery.services import audit, placement
from surgery.services.answers import skills_for
from surgery.services.errors import InvalidAnswers
from surgery.services.places import place_of
from surgery.vocabulary import Availability, Level, OrganisationKind

NO_ROOM = "That volunteer has no room for another group. Choose someone else, or no one yet"


@dataclass(frozen=True)
class WalkIn:
    name: str
    organisation_name: str
    skill_ids: tuple[int, ...]
    level: Level
    # A volunteer signed up here, with room, to pair the group with at once.
    signup_id: int | None = None


@dataclass(frozen=True)
class Room:
    signup: Signup
    groups_left: int


NOT_YET = "Check-ins and walk-ins open on the day of the session"


def has_begun(surgery_session: SurgerySession, now) -> bool:
    """Whether it is the session's day (UK) or later, while it is published: the run sheet's
    check-ins and walk-ins are for the day itself."""
    day = london_date(surgery_session.starts_at)
    return surgery_session.status is SessionStatus.PUBLISHED and london_date(now) >= day


def record_outcome(
    host: Account, booking: Booking, attended: bool, skill_ids: tuple[int, ...], note: str, now
) -> Outcome:
    """Record whether a booked group came and what was covered (again, to correct it); raise
    ValueError before the day."""
    if not has_begun(booking.surgery_session, now):
        raise ValueError(NOT_YET)
    outcome = booking.outcome or Outcome(booking_id=booking.id)
    outcome.attended = attended
    outcome.skills_covered = [skill.id for skill in skills_for(skill_ids)] if skill_ids else []
    outcome.note = note.strip()
    outcome.recorded_by_id, outcome.recorded_at = host.id, now
    db.session.add(outcome)
    audit.record(host, "recorded-outcome", f"booking:{booking.id}", now)
    db.session.commit()
    return outcome


def volunteers_with_room(surgery_session: SurgerySession) -> list[Room]:
    """The volunteers signed up here with room for another group: load not used by agreed
    pairings (and, where the session needs one, a safeguarding check)."""
    agreed = Counter(
        db.session.scalars(
            db.select(Pairing.signup_id).where(
                Pairing.session_id == surgery_session.id, Pairing.state.in_(FIXED_STATES)
            )
        )
    )
    query = (
        db.select(Signup)
        .join(Volunteer, Signup.volunteer_id == Volunteer.id)
        .where(
            Signup.session_id == surgery_session.id,
            Signup.status == SignupStatus.ACTIVE,
            Volunteer.status == VolunteerStatus.ACTIVE,
        )
        .order_by(Signup.created_at, Signup.id)
    )
    if surgery_session.requires_safeguarding:
        query = query.where(Volunteer.safeguarding_checked_at.is_not(None))
    rooms = (Room(signup, signup.load - agreed[signup.id]) for signup in db.session.scalars(query))
    return [room for room in rooms if room.groups_left > 0]


def volunteer_with_room(surgery_session: SurgerySession, signup_id: int | None) -> Signup | None:
    """Return the chosen volunteer's sign-up (none chosen: None); raise InvalidAnswers if they
    have no room here."""
    if not signup_id:
        return None
    for room in volunteers_with_room(surgery_session):
        if room.signup.id == signup_id:
            return room.signup
    raise InvalidAnswers({"volunteer": NO_ROOM})


def add_walk_in(host: Account, surgery_session: SurgerySession, walk_in: WalkIn, now) -> Booking:
    """Give a group that turned up a request and a table, checked in, and the volunteer chosen
    for it; raise InvalidAnswers if no table is free or the volunteer has no room."""
    if surgery_session.status is not SessionStatus.PUBLISHED:
        message = f"A {surgery_session.status.value} session takes no walk-ins"
        raise InvalidAnswers({"organisation_name": message})
    if not has_begun(surgery_session, now):
        raise InvalidAnswers({"organisation_name": NOT_YET})
    skills = skills_for(walk_in.skill_ids)
    signup = volunteer_with_room(surgery_session, walk_in.signup_id)
    help_request = walk_in_request(walk_in, surgery_session, skills, now)
    booking = placement.walk_in(help_request, surgery_session, now)
    if booking is None:
        raise InvalidAnswers({"organisation_name": "Every table is taken at this session"})
    db.session.flush()
    db.session.add(
        Outcome(booking_id=booking.id, attended=True, recorded_by_id=host.id, recorded_at=now)
    )
    if signup is not None:
        placement.pair_walk_in(help_request, signup, now)
    audit.record(host, "added-walk-in", f"session:{surgery_session.id}", now)
    db.session.commit()
    return booking


def walk_in_request(walk_in: WalkIn, surgery_session: SurgerySession, skills, now) -> HelpRequest:
    """A confirmed request for the walk-in, at the session's place and day; no email address."""
    day = london_date(surgery_session.starts_at)
    help_request = HelpRequest(
        organisation_name=walk_in.organisation_name.strip(),
        organisation_kind=OrganisationKind.COMMUNITY_GROUP,
        level=int(walk_in.level),
        goal="Walked in on the day.",
        travel_km=1,
        earliest_date=day,
        latest_date=day,
        availability=[str(a) for a in Availability],
        access_needs=[],
        created_at=now,
    )
    help_request.skills = skills
    help_request.move_to(place_of(surgery_session))
    help_request.confirm(now)
    asker = Asker(name=walk_in.name.strip(), email=None, created_at=now, confirmed_at=now)
    asker.requests.append(help_request)
    db.session.add(asker)
    return help_request


def not_checked_in(surgery_session: SurgerySession) -> list[Booking]:
    """The groups with a table that completing the session marks as not having come."""
    booked = db.select(Booking).where(
        Booking.session_id == surgery_session.id, Booking.status == BookingStatus.BOOKED
    )
    held = db.session.scalars(booked.order_by(Booking.joined_at, Booking.id))
    return [booking for booking in held if not (booking.outcome and booking.outcome.attended)]

