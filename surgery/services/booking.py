"""A group books a place at a session itself, or joins its waiting list."""

from datetime import datetime

from sqlalchemy import update

from surgery.clock import london_date
from surgery.extensions import db
from surgery.models import (
    Asker,
    Booking,
    BookingStatus,
    HelpRequest,
    RequestStatus,
    SessionStatus,
    SurgerySession,
    Volunteer,
)
from surgery.notify.links import external_url
from surgery.services import finding, notifications, pairings, tell
from surgery.services.answers import normalise_email
from surgery.services.errors import InvalidAnswers
from surgery.services.places import place_of
from surgery.services.tokens import manage_token, manage_url

ACTIVE = (BookingStatus.BOOKED, BookingStatus.WAITING)


class BookingRefused(Exception):
    """A booking that cannot be made; the message says why, for the person booking."""


def sessions_within_reach(help_request: HelpRequest, now: datetime) -> list[finding.Found]:
    """Return published sessions in the request's reach and dates, nearest first."""
    place = place_of(help_request)
    found = finding.find_sessions(place, help_request.travel_km, now, page=1, page_size=None)
    return [f for f in found.results if in_window(help_request, f.surgery_session)]


def in_window(help_request: HelpRequest, surgery_session: SurgerySession) -> bool:
    day = london_date(surgery_session.starts_at)
    return help_request.earliest_date <= day <= help_request.latest_date


def active_booking(help_request: HelpRequest) -> Booking | None:
    query = db.select(Booking).where(
        Booking.help_request_id == help_request.id, Booking.status.in_(ACTIVE)
    )
    return db.session.scalar(query)


def book_place(help_request: HelpRequest, surgery_session: SurgerySession, now) -> Booking:
    """Take a table if one is free, else join the waiting list; a request holds one place."""
    check_bookable(help_request, surgery_session, now)
    current = active_booking(help_request)
    if current is not None and current.session_id == surgery_session.id:
        return current
    took_seat = take_seat(surgery_session.id)
    if not took_seat and current is not None and current.status is BookingStatus.BOOKED:
        # Never swap a place the group has for a place in a queue.
        raise BookingRefused(
            f"That session is full. To wait for a place there, first give up your place at "
            f"{current.surgery_session.title}."
        )
    if current is not None:
        release(current, now)
    booking = place_booking(help_request, surgery_session, took_seat, now)
    if took_seat:
        db.session.flush()
        tell.group_booked(booking, now)
    db.session.commit()
    notifications.send_queued(now)
    return booking


def take_table_for(help_request: HelpRequest, surgery_session: SurgerySession, now) -> bool:
    """Give a paired group a table at the session; False if none is left.

    A place it held elsewhere (a queue, or another table) is given up for this one.
    """
    if not take_seat(surgery_session.id):
        return False
    current = active_booking(help_request)
    if current is not None:
        release(current, now)
    place_booking(help_request, surgery_session, True, now)
    return True


def has_table_at(help_request: HelpRequest, surgery_session: SurgerySession) -> bool:
    current = active_booking(help_request)
    return (
        current is not None
        and current.session_id == surgery_session.id
        and current.status is BookingStatus.BOOKED
    )


def place_booking(help_request, surgery_session, took_seat: bool, now) -> Booking:
    """Record a table (or a place in the queue); a group has one row per session, reused."""
    booking = db.session.scalar(
        db.select(Booking).filter_by(session_id=surgery_session.id, help_request_id=help_request.id)
    ) or Booking(session_id=surgery_session.id, help_request_id=help_request.id)
    booking.status = BookingStatus.BOOKED if took_seat else BookingStatus.WAITING
    booking.joined_at = now
    db.session.add(booking)
    return booking


def check_bookable(help_request: HelpRequest, surgery_session: SurgerySession, now) -> None:
    if help_request.status is not RequestStatus.OPEN:
        raise BookingRefused("Only a confirmed request that is still open can book a place.")
    if surgery_session.status is not SessionStatus.PUBLISHED or surgery_session.starts_at <= now:
        raise BookingRefused("That session is no longer taking bookings.")


def take_seat(session_id: int) -> bool:
    """Take one table with a single conditional UPDATE; False when none is left."""
    result = db.session.execute(
        update(SurgerySession)
        .where(SurgerySession.id == session_id)
        .where(SurgerySession.seats_taken < SurgerySession.seats)
        .values(seats_taken=SurgerySession.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def cancel_booking(booking: Booking, now: datetime) -> None:
    """Give up a place (or a place in the queue); the first in the queue takes a freed table."""
    give_up(booking, now)
    db.session.commit()
    notifications.send_queued(now)


def give_up(booking: Booking, now: datetime, unless_coming: bool = False) -> bool:
    """Release a booking and end the pairing it was for; the request is open to be paired again.

    With `unless_coming`, only if the group has not said it is still coming. Return whether the
    booking was released. The caller commits.
    """
    if not release(booking, now, unless_coming):
        return False
    help_request = booking.help_request
    pairings.end_for_request(help_request)
    if help_request.status is RequestStatus.MATCHED:
        help_request.status = RequestStatus.OPEN
    return True


def release(booking: Booking, now: datetime, unless_coming: bool = False) -> bool:
    """Cancel a booking once, even if two requests try at the same moment, and free its table.

    Return whether this call cancelled it.
    """
    was_booked = booking.status is BookingStatus.BOOKED
    still_active = update(Booking).where(Booking.id == booking.id, Booking.status.in_(ACTIVE))
    if unless_coming:
        still_active = still_active.where(Booking.coming_confirmed_at.is_(None))
    result = db.session.execute(
        still_active.values(status=BookingStatus.CANCELLED).execution_options(
            synchronize_session=False
        )
    )
    db.session.expire(booking, ["status"])
    if result.rowcount == 1 and was_booked:
        db.session.execute(
            update(SurgerySession)
            .where(SurgerySession.id == booking.session_id, SurgerySession.seats_taken > 0)
            .values(seats_taken=SurgerySession.seats_taken - 1)
            .execution_options(synchronize_session=False)
        )
        promote_waiting(booking.session_id, now)
    return result.rowcount == 1


def promote_waiting(session_id: int, now: datetime) -> Booking | None:
    """Give a free table to whoever has waited longest."""
    first = db.session.scalar(
        db.select(Booking)
        .join(HelpRequest)
        .where(Booking.session_id == session_id, Booking.status == BookingStatus.WAITING)
        .where(HelpRequest.status == RequestStatus.OPEN)
        .order_by(Booking.joined_at, Booking.id)
        .limit(1)
    )
    if first is not None and take_seat(session_id):
        first.status, first.joined_at = BookingStatus.BOOKED, now
        tell.group_booked(first, now)
        return first
    return None


def release_request(help_request: HelpRequest, now: datetime) -> None:
    """Give up whatever place, queue position or pairing a request holds; the caller commits."""
    pairings.end_for_request(help_request)
    held = active_booking(help_request)
    if held is not None:
        release(held, now)


def cancel_all_bookings(surgery_session: SurgerySession) -> None:
    """End every booking at a cancelled session, so nobody is shown a place there any more."""
    db.session.execute(
        update(Booking)
        .where(Booking.session_id == surgery_session.id, Booking.status.in_(ACTIVE))
        .values(status=BookingStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )


def email_booking_links(email: str, surgery_session: SurgerySession, now: datetime) -> None:
    """Email the private links to book (a group) or sign up (a volunteer) at this session.

    Nothing is said on screen about whether the address is known: the email is the only answer.
    """
    try:
        email = normalise_email(email)
    except InvalidAnswers:
        return
    asker = db.session.scalar(db.select(Asker).where(Asker.email == email))
    volunteer = db.session.scalar(db.select(Volunteer).where(Volunteer.email == email))
    open_requests = [r for r in asker.requests if r.status is RequestStatus.OPEN] if asker else []
    if not open_requests and volunteer is None:
        return
    hour = f"{now:%Y%m%d%H}"
    notifications.queue_email(
        key=f"session-links:{surgery_session.id}:{email}:{hour}",
        recipient=email,
        template="session_links",
        subject=f"Your link to {surgery_session.title}",
        due_at=now,
        surgery_session=surgery_session,
        request_links=[
            (r, external_url("public.manage_sessions", token=manage_token(asker), request_id=r.id))
            for r in open_requests
        ],
        volunteer_link=volunteer
        and external_url("volunteers.manage_sessions", token=manage_token(volunteer)),
        manage_url=manage_url(asker or volunteer),
    )
    db.session.commit()
    notifications.send_queued(now)
