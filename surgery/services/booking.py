"""A group books a place at a session itself, or joins its waiting list."""

from datetime import datetime

from surgery.clock import london_date
from surgery.extensions import db
from surgery.models import (
    Booking,
    HelpRequest,
    RequestStatus,
    SessionStatus,
    SurgerySession,
)
from surgery.notify import keys, outbox
from surgery.notify.links import link
from surgery.services import finding, placement
from surgery.services.people import people_at
from surgery.services.placement import (
    BookingRefused,
    active_booking,
)
from surgery.services.places import place_of
from surgery.services.settling import settle
from surgery.services.tokens import manage_token, manage_url


def sessions_within_reach(help_request: HelpRequest, now: datetime) -> list[finding.Found]:
    """Return published sessions in the request's reach and dates, nearest first."""
    place = place_of(help_request)
    found = finding.find_sessions(place, help_request.travel_km, now, page=1, page_size=None)
    return [f for f in found.results if in_window(help_request, f.surgery_session)]


def in_window(help_request: HelpRequest, surgery_session: SurgerySession) -> bool:
    day = london_date(surgery_session.starts_at)
    return help_request.earliest_date <= day <= help_request.latest_date


def book_place(help_request: HelpRequest, surgery_session: SurgerySession, now) -> Booking:
    """Take a table if one is free, else join the waiting list; a request holds one place."""
    check_bookable(help_request, surgery_session, now)
    current = active_booking(help_request)
    if current is not None and current.session_id == surgery_session.id:
        return current
    settle(placement.book(help_request, surgery_session, now), now)
    db.session.commit()
    outbox.send_queued(now)
    return active_booking(help_request)


def check_bookable(help_request: HelpRequest, surgery_session: SurgerySession, now) -> None:
    if help_request.status is not RequestStatus.OPEN:
        raise BookingRefused("Only a confirmed request that is still open can book a place.")
    if surgery_session.status is not SessionStatus.PUBLISHED or surgery_session.starts_at <= now:
        raise BookingRefused("That session is no longer taking bookings.")


def cancel_booking(booking: Booking, now: datetime) -> None:
    """Give up a place (or a place in the queue), and the volunteer there; the first in the
    queue, else the matcher, fills a freed table."""
    settle(placement.give_up(booking, now), now)
    db.session.commit()
    outbox.send_queued(now)


def email_booking_links(email: str, surgery_session: SurgerySession, now: datetime) -> None:
    """Email the private links to book (a group) or sign up (a volunteer) at this session.

    Nothing is said on screen about whether the address is known: the email is the only answer.
    """
    known = people_at(email)
    if known is None:
        return
    email, asker, volunteer = known
    open_requests = [r for r in asker.requests if r.status is RequestStatus.OPEN] if asker else []
    if not open_requests and volunteer is None:
        return
    outbox.queue_email(
        outbox.Envelope(email),
        key=keys.session_links(surgery_session.id, email, now),
        template="session_links",
        subject=f"Your link to {surgery_session.title}",
        due_at=now,
        surgery_session=surgery_session,
        request_links=[
            (r, link("group-sessions", token=manage_token(asker), request_id=r.id))
            for r in open_requests
        ],
        volunteer_link=volunteer and link("volunteer-sessions", token=manage_token(volunteer)),
        person=asker or volunteer,
        manage_url=manage_url(asker or volunteer),
    )
    db.session.commit()
    outbox.send_queued(now)
