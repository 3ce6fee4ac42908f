"""On the day: check groups in, add walk-ins, record outcomes, settle attendance at the end."""

from dataclasses import dataclass

from surgery.clock import london_date
from surgery.extensions import db
from surgery.models import (
    Account,
    Asker,
    Booking,
    BookingStatus,
    HelpRequest,
    Outcome,
    SurgerySession,
)
from surgery.services import audit
from surgery.services.answers import skills_for
from surgery.services.booking import take_seat
from surgery.services.errors import InvalidAnswers
from surgery.services.places import place_of
from surgery.vocabulary import Availability, Level, OrganisationKind


@dataclass(frozen=True)
class WalkIn:
    name: str
    organisation_name: str
    skill_ids: tuple[int, ...]
    level: Level


def record_outcome(
    host: Account, booking: Booking, attended: bool, skill_ids: tuple[int, ...], note: str, now
) -> Outcome:
    """Record whether a booked group came and what was covered (again, to correct it)."""
    outcome = booking.outcome or Outcome(booking_id=booking.id)
    outcome.attended = attended
    outcome.skills_covered = [skill.id for skill in skills_for(skill_ids)] if skill_ids else []
    outcome.note = note.strip()
    outcome.recorded_by_id, outcome.recorded_at = host.id, now
    db.session.add(outcome)
    audit.record(host, "recorded-outcome", f"booking:{booking.id}", now)
    db.session.commit()
    return outcome


def add_walk_in(host: Account, surgery_session: SurgerySession, walk_in: WalkIn, now) -> Booking:
    """Give a group that turned up a request and a table, checked in; raise if none is free."""
    skills = skills_for(walk_in.skill_ids)
    if not take_seat(surgery_session.id):
        raise InvalidAnswers({"organisation_name": "Every table is taken at this session"})
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
    booking = Booking(
        surgery_session=surgery_session,
        help_request=help_request,
        status=BookingStatus.BOOKED,
        joined_at=now,
    )
    db.session.add(booking)
    db.session.flush()
    db.session.add(
        Outcome(booking_id=booking.id, attended=True, recorded_by_id=host.id, recorded_at=now)
    )
    audit.record(host, "added-walk-in", f"session:{surgery_session.id}", now)
    db.session.commit()
    return booking


def settle_attendance(surgery_session: SurgerySession) -> None:
    """Mark each booked group attended or no-show from its check-in; the caller commits."""
    booked = db.select(Booking).where(
        Booking.session_id == surgery_session.id, Booking.status == BookingStatus.BOOKED
    )
    for booking in db.session.scalars(booked):
        booking.help_request.settle(bool(booking.outcome and booking.outcome.attended))
