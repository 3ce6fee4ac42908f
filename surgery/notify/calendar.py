"""Calendar files for sessions (RFC 5545), in UK time with the time zone they need: one session's
file, to download or to invite by email, and the public feeds that calendar apps subscribe to.
Both are made of the same event, so a calendar holding a session from both sees one event."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vDuration

from surgery.clock import LONDON
from surgery.models import SessionStatus, SurgerySession
from surgery.notify.links import link

PRODUCT_ID = "-//Social Media Surgery//Sessions//EN"
# How often a subscribed calendar should fetch a feed again: a cancellation reaches it within this.
FEED_REFRESH = timedelta(hours=1)


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
    cancelled = is_cancelled(surgery_session) or bool(invite and invite.withdrawn)
    calendar = new_calendar("CANCEL" if cancelled else "REQUEST" if invite else "PUBLISH")
    event = session_event(surgery_session, url, cancelled)
    if invite:
        # An emailed invitation (iTIP) names who sends it and whom it invites.
        event.add("organizer", vCalAddress(f"mailto:{invite.organiser}"))
        attendee = vCalAddress(f"mailto:{invite.attendee}")
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["RSVP"] = "FALSE"
        event.add("attendee", attendee)
    return finished(calendar, [event])


def sessions_feed(name: str, sessions: Iterable[SurgerySession]) -> bytes:
    """Return a feed of sessions for calendar apps to subscribe to, named as the app shows it;
    a cancelled session in it stays as a cancelled event, so subscribers see it called off."""
    calendar = new_calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(LONDON))
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    events = [session_event(s, link("session", session_id=s.id), is_cancelled(s)) for s in sessions]
    return finished(calendar, events)


def new_calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def session_event(surgery_session: SurgerySession, url: str, cancelled: bool) -> Event:
    """Return a session's event: the same UID for life, and a SEQUENCE that grows on each change."""
    event = Event()
    event.add("uid", session_uid(surgery_session))
    event.add("sequence", surgery_session.sequence)
    event.add("dtstamp", surgery_session.updated_at)
    event.add("dtstart", surgery_session.starts_at.astimezone(LONDON))
    event.add("dtend", surgery_session.ends_at.astimezone(LONDON))
    event.add("summary", surgery_session.title)
    event.add("location", venue_location(surgery_session))
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def venue_location(surgery_session: SurgerySession) -> str:
    """The venue as a map app can find it: name, address and postcode (once, if the address
    already ends with it)."""
    parts = [surgery_session.venue_name, surgery_session.venue_address]
    squashed = surgery_session.venue_address.replace(" ", "").upper()
    if not squashed.endswith(surgery_session.postcode.replace(" ", "").upper()):
        parts.append(surgery_session.postcode)
    return ", ".join(parts)


def is_cancelled(surgery_session: SurgerySession) -> bool:
    return surgery_session.status is SessionStatus.CANCELLED


def finished(calendar: Calendar, events: list[Event]) -> bytes:
    """Add the events and the time zones they are in; return the file's bytes."""
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
