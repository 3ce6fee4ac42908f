"""Whom a message goes to, and what travels with it: the session it is about (so it can be
withdrawn), the reader's calendar invitation, and a one-click unsubscribe where it may be stopped.
The message's own variables are given where it is queued (`outbox.queue_email`), never gathered
on the way."""

from surgery.extensions import db
from surgery.models import (
    Account,
    Asker,
    Booking,
    BookingStatus,
    HelpRequest,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)
from surgery.notify.calendar import invitation_to, session_calendar
from surgery.notify.links import link
from surgery.notify.outbox import Envelope
from surgery.services.tokens import unsubscribe_url


def for_group(
    help_request: HelpRequest,
    surgery_session: SurgerySession | None = None,
    invite: bool = False,
    withdrawn: bool = False,
) -> Envelope | None:
    """The envelope for a group's asker; None for a group that walked in (the host told it)."""
    email = help_request.asker.email
    if email is None:
        return None
    if surgery_session is None:
        return Envelope(email)
    return about_session(email, surgery_session, invite, withdrawn)


def for_volunteer(signup: Signup, invite: bool = False) -> Envelope:
    return about_session(signup.volunteer.email, signup.surgery_session, invite)


def about_session(
    email: str, surgery_session: SurgerySession, invite: bool, withdrawn: bool = False
) -> Envelope:
    calendar = None
    if invite:
        invitation = invitation_to(email, withdrawn)
        calendar = session_calendar(surgery_session, session_url(surgery_session), invitation)
    return Envelope(email, session_id=surgery_session.id, calendar=calendar)


def stoppable(email: str, person: Asker | Account) -> Envelope:
    return Envelope(email, unsubscribe_url=unsubscribe_url(person))


def session_url(surgery_session: SurgerySession) -> str:
    return link("session", session_id=surgery_session.id)


def booked_groups(surgery_session: SurgerySession) -> list[Booking]:
    query = (
        db.select(Booking)
        .where(Booking.session_id == surgery_session.id, Booking.status == BookingStatus.BOOKED)
        .order_by(Booking.id)
    )
    return list(db.session.scalars(query))


def helping_volunteers(surgery_session: SurgerySession) -> list[Signup]:
    # A volunteer who paused still stands by the sessions they signed up to (their page says
    # so): they are reminded and told of changes like anyone helping there.
    query = (
        db.select(Signup)
        .join(Volunteer)
        .where(
            Signup.session_id == surgery_session.id,
            Signup.status == SignupStatus.ACTIVE,
            Volunteer.status.in_((VolunteerStatus.ACTIVE, VolunteerStatus.WITHDRAWN)),
        )
        .order_by(Signup.id)
    )
    return list(db.session.scalars(query))
