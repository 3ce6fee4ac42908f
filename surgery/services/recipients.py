"""Whom a message goes to, and what goes with it: a group's or a volunteer's private link, the
session it is about (so it can be withdrawn) and that person's calendar invitation."""


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
from surgery.notify import outbox
from surgery.notify.calendar import invitation_to, session_calendar
from surgery.notify.links import link
from surgery.services.tokens import manage_url, unsubscribe_url


def to_group(
    help_request: HelpRequest,
    surgery_session: SurgerySession | None = None,
    invite: bool = True,
    withdrawn: bool = False,
    **message,
) -> bool:
    """Queue a message to the person who asked for a group, about a session if one is given.

    Return whether it was queued now (False: the same message was queued before).
    """
    asker = help_request.asker
    if asker.email is None:  # a group that walked in: the host told it in person
        return False
    message |= {"help_request": help_request, "manage_url": manage_url(asker)}
    if surgery_session is None:
        return outbox.queue_email(recipient=asker.email, **message) is not None
    return about_session(surgery_session, asker.email, invite, withdrawn, **message)


def to_volunteer(signup: Signup, invite: bool = True, **message) -> bool:
    """Queue a message to a volunteer about the session of one of their sign-ups."""
    volunteer = signup.volunteer
    message |= {"signup": signup, "volunteer": volunteer, "manage_url": manage_url(volunteer)}
    return about_session(signup.surgery_session, volunteer.email, invite, **message)


def about_session(
    surgery_session: SurgerySession,
    recipient: str,
    invite: bool,
    withdrawn: bool = False,
    **message,
) -> bool:
    """Queue a message about a session, remembering the session, with this recipient's
    invitation to it (or its withdrawal) unless `invite` is off."""
    session_url = link("session", session_id=surgery_session.id)
    if invite:
        invitation = invitation_to(recipient, withdrawn)
        calendar = session_calendar(surgery_session, session_url, invitation)
    row = outbox.queue_email(
        recipient=recipient,
        calendar=calendar if invite else None,
        session_id=surgery_session.id,
        surgery_session=surgery_session,
        session_url=session_url,
        **message,
    )
    return row is not None


def may_stop(recipient: str, person: Asker | Account, **message) -> bool:
    """Queue a message its reader may stop with one click (RFC 8058): follow-ups, digests."""
    row = outbox.queue_email(
        recipient=recipient, unsubscribe_url=unsubscribe_url(person), **message
    )
    return row is not None


def booked_groups(surgery_session: SurgerySession) -> list[Booking]:
    query = (
        db.select(Booking)
        .where(Booking.session_id == surgery_session.id, Booking.status == BookingStatus.BOOKED)
        .order_by(Booking.id)
    )
    return list(db.session.scalars(query))


def helping_volunteers(surgery_session: SurgerySession) -> list[Signup]:
    query = (
        db.select(Signup)
        .join(Volunteer)
        .where(
            Signup.session_id == surgery_session.id,
            Signup.status == SignupStatus.ACTIVE,
            Volunteer.status == VolunteerStatus.ACTIVE,
        )
        .order_by(Signup.id)
    )
    return list(db.session.scalars(query))
