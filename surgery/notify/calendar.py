"""Calendar files for sessions (RFC 5545), in UK time with the time zone they need."""

from dataclasses import dataclass
from email.utils import parseaddr

from flask import current_app
from icalendar import Calendar, Event, vCalAddress

from surgery.clock import LONDON
from surgery.models import SessionStatus, SurgerySession

PRODUCT_ID = "-//Social Media Surgery//Sessions//EN"


def session_uid(surgery_session: SurgerySession) -> str:
    """The same UID for the life of a session, so calendars update the event, never duplicate it."""
    return f"surgery-session-{surgery_session.id}@socialmediasurgery.invalid"


@dataclass(frozen=True)
class Invitation:
    """Who sends an emailed invitation and whom it invites (their email addresses)."""

    organiser: str
    attendee: str
    withdrawn: bool = False  # the attendee no longer has a place: their calendar drops the event


def invitation_to(attendee: str, withdrawn: bool = False) -> Invitation:
    """An invitation from the service's own address, the one its emails come from."""
    organiser = parseaddr(current_app.config["MAIL_FROM"])[1]
    return Invitation(organiser, attendee, withdrawn)


def session_calendar(
    surgery_session: SurgerySession, url: str, invite: Invitation | None = None
) -> bytes:
    """Return an .ics file for one session: PUBLISH to download, REQUEST to invite one person by
    email, CANCEL once the session is cancelled."""
    cancelled = surgery_session.status is SessionStatus.CANCELLED or bool(
        invite and invite.withdrawn
    )
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST" if invite else "PUBLISH")
    event = Event()
    event.add("uid", session_uid(surgery_session))
    event.add("sequence", surgery_session.sequence)
    event.add("dtstamp", surgery_session.updated_at)
    event.add("dtstart", surgery_session.starts_at.astimezone(LONDON))
    event.add("dtend", surgery_session.ends_at.astimezone(LONDON))
    event.add("summary", surgery_session.title)
    event.add("location", f"{surgery_session.venue_name}, {surgery_session.venue_address}")
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if invite:
        # An emailed invitation (iTIP) names who sends it and whom it invites.
        event.add("organizer", vCalAddress(f"mailto:{invite.organiser}"))
        attendee = vCalAddress(f"mailto:{invite.attendee}")
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["RSVP"] = "FALSE"
        event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
