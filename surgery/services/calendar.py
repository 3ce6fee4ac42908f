"""Calendar files for sessions (RFC 5545), in UK time with the time zone they need."""

from icalendar import Calendar, Event

from surgery.clock import LONDON
from surgery.models import SessionStatus, SurgerySession

PRODUCT_ID = "-//Social Media Surgery//Sessions//EN"


def session_uid(surgery_session: SurgerySession) -> str:
    """The same UID for the life of a session, so calendars update the event, never duplicate it."""
    return f"surgery-session-{surgery_session.id}@socialmediasurgery.invalid"


def session_calendar(surgery_session: SurgerySession, url: str) -> bytes:
    """Return an .ics file for one session: PUBLISH, or CANCEL once it is cancelled."""
    cancelled = surgery_session.status is SessionStatus.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
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
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
