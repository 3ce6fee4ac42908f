"""Tables and queue places: the rows under a group's place, changed only by its moves."""

from datetime import datetime

from sqlalchemy import update

from surgery.extensions import db
from surgery.models import Booking, BookingStatus, HelpRequest, RequestStatus, SurgerySession
from surgery.services.placement.events import Event, PlaceEnded, TableFreed, TookTable

ACTIVE = (BookingStatus.BOOKED, BookingStatus.WAITING)


def active_booking(help_request: HelpRequest) -> Booking | None:
    query = db.select(Booking).where(
        Booking.help_request_id == help_request.id, Booking.status.in_(ACTIVE)
    )
    return db.session.scalar(query)


def holds_table_at(help_request: HelpRequest, session_id: int) -> Booking | None:
    held = active_booking(help_request)
    if held is not None and held.session_id == session_id and held.status is BookingStatus.BOOKED:
        return held
    return None


def free_booking(
    held: Booking, now: datetime, unless_coming: bool = False
) -> tuple[bool, list[Event]]:
    """Cancel a booking once, even if two requests try at the same moment, and free its table.

    Return whether this call cancelled it, and the events: PlaceEnded, and TableFreed if it
    freed a table.
    """
    was_booked = held.status is BookingStatus.BOOKED
    still_active = update(Booking).where(Booking.id == held.id, Booking.status.in_(ACTIVE))
    if unless_coming:
        still_active = still_active.where(Booking.coming_confirmed_at.is_(None))
    result = db.session.execute(
        still_active.values(status=BookingStatus.CANCELLED).execution_options(
            synchronize_session=False
        )
    )
    db.session.expire(held, ["status"])
    if result.rowcount != 1:
        return False, []
    if not was_booked:
        return True, [PlaceEnded(held)]
    db.session.execute(
        update(SurgerySession)
        .where(SurgerySession.id == held.session_id, SurgerySession.seats_taken > 0)
        .values(seats_taken=SurgerySession.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(held.surgery_session, ["seats_taken"])
    return True, [PlaceEnded(held), TableFreed(held.session_id)]


def promote_waiting(session_id: int, now: datetime) -> list[Event]:
    """Give a free table to whoever has waited longest."""
    first = db.session.scalar(
        db.select(Booking)
        .join(HelpRequest)
        .where(Booking.session_id == session_id, Booking.status == BookingStatus.WAITING)
        .where(HelpRequest.status == RequestStatus.OPEN)
        .order_by(Booking.joined_at, Booking.id)
        .limit(1)
    )
    if first is None or not take_seat(session_id):
        return []
    first.status, first.joined_at = BookingStatus.BOOKED, now
    return [TookTable(first)]


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


def booking_row(help_request, surgery_session, took_seat: bool, now) -> Booking:
    """Record a table (or a place in the queue); a group has one row per session, reused."""
    booking = db.session.scalar(
        db.select(Booking).filter_by(session_id=surgery_session.id, help_request_id=help_request.id)
    ) or Booking(session_id=surgery_session.id, help_request_id=help_request.id)
    booking.status = BookingStatus.BOOKED if took_seat else BookingStatus.WAITING
    booking.joined_at, booking.coming_confirmed_at = now, None
    db.session.add(booking)
    return booking
