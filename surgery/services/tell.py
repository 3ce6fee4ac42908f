"""The emails that tell people about their place, their volunteer, their groups and their session.

Each is queued in the caller's transaction under a key naming what caused it, so the same news can
never go twice; the caller's commit makes it real. Messages about a session remember it, so they
can be withdrawn when the session changes or is cancelled.
"""

from datetime import datetime

from sqlalchemy import update

from surgery.extensions import db
from surgery.models import (
    Account,
    Asker,
    Booking,
    BookingStatus,
    FollowUpKind,
    HelpRequest,
    Notification,
    NotificationStatus,
    Pairing,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)
from surgery.notify.links import external_url
from surgery.services import notifications, pairings
from surgery.services.calendar import invitation_to, session_calendar
from surgery.services.tokens import manage_token, manage_url, unsubscribe_url

# Messages that depend on when a session starts: withdrawn when it moves, made again in time.
TIMED_KINDS = ("reminder", "volunteer_groups", "volunteer_reminder")


def about_session(
    surgery_session: SurgerySession, recipient: str, invite: bool = True, **message
) -> bool:
    """Queue a message about a session, with the session's invitation for this recipient.

    Return whether it was queued now (False: the same message was queued before).
    """
    session_url = external_url("public.session_page", session_id=surgery_session.id)
    if invite:
        calendar = session_calendar(surgery_session, session_url, invitation_to(recipient))
    row = notifications.queue_email(
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
    row = notifications.queue_email(
        recipient=recipient, unsubscribe_url=unsubscribe_url(person), **message
    )
    return row is not None


def stamp(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%S}"


def group_booked(booking: Booking, now: datetime) -> None:
    """A group took a table itself, or from the waiting list."""
    asker, surgery_session = booking.help_request.asker, booking.surgery_session
    about_session(
        surgery_session,
        asker.email,
        key=f"booked:booking:{booking.id}:{stamp(booking.joined_at)}",
        template="booked",
        subject=f"Your place at {surgery_session.title}",
        due_at=now,
        help_request=booking.help_request,
        manage_url=manage_url(asker),
    )


def group_paired(pairing: Pairing, now: datetime) -> None:
    """A host (or the session's auto-confirm) agreed the group's pairing with a volunteer."""
    asker = pairing.help_request.asker
    about_session(
        pairing.surgery_session,
        asker.email,
        key=f"paired:pairing:{pairing.id}",
        template="paired",
        subject=f"Your place at {pairing.surgery_session.title}",
        due_at=now,
        help_request=pairing.help_request,
        volunteer_name=pairing.signup.volunteer.first_name,
        manage_url=manage_url(asker),
    )


def volunteer_signed_up(signup: Signup, now: datetime) -> None:
    volunteer, surgery_session = signup.volunteer, signup.surgery_session
    about_session(
        surgery_session,
        volunteer.email,
        key=f"signed-up:signup:{signup.id}:{stamp(now)}",
        template="signed_up",
        subject=f"You are helping at {surgery_session.title}",
        due_at=now,
        signup=signup,
        volunteer=volunteer,
        manage_url=manage_url(volunteer),
    )


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


def session_changed(surgery_session: SurgerySession, now: datetime) -> None:
    """Tell everyone with a place or a sign-up; their calendars update (a higher SEQUENCE)."""
    withdraw_pending(surgery_session, TIMED_KINDS)
    version = f"session-changed:session:{surgery_session.id}:v{surgery_session.sequence}"
    for booking in booked_groups(surgery_session):
        about_session(
            surgery_session,
            booking.help_request.asker.email,
            key=f"{version}:booking:{booking.id}",
            template="session_changed",
            subject=f"{surgery_session.title} has changed",
            due_at=now,
            manage_url=manage_url(booking.help_request.asker),
        )
    for signup in helping_volunteers(surgery_session):
        about_session(
            surgery_session,
            signup.volunteer.email,
            key=f"{version}:signup:{signup.id}",
            template="session_changed",
            subject=f"{surgery_session.title} has changed",
            due_at=now,
            manage_url=manage_url(signup.volunteer),
        )


def session_cancelled(
    surgery_session: SurgerySession, groups: list[Booking], volunteers: list[Signup], now
) -> None:
    """Tell the groups that had a place and the volunteers signed up; calendars drop the event."""
    withdraw_pending(surgery_session)
    key = f"session-cancelled:session:{surgery_session.id}"
    for booking in groups:
        about_session(
            surgery_session,
            booking.help_request.asker.email,
            key=f"{key}:booking:{booking.id}",
            template="session_cancelled",
            subject=f"Cancelled: {surgery_session.title}",
            due_at=now,
            help_request=booking.help_request,
            manage_url=manage_url(booking.help_request.asker),
        )
    for signup in volunteers:
        about_session(
            surgery_session,
            signup.volunteer.email,
            key=f"{key}:signup:{signup.id}",
            template="session_cancelled",
            subject=f"Cancelled: {surgery_session.title}",
            due_at=now,
            manage_url=manage_url(signup.volunteer),
        )


def withdraw_pending(surgery_session: SurgerySession, kinds: tuple[str, ...] | None = None) -> None:
    """Stop messages about a session that have not gone yet (these kinds, or all)."""
    query = update(Notification).where(
        Notification.session_id == surgery_session.id,
        Notification.status == NotificationStatus.PENDING,
    )
    if kinds is not None:
        query = query.where(Notification.kind.in_(kinds))
    db.session.execute(
        query.values(status=NotificationStatus.CANCELLED).execution_options(
            synchronize_session=False
        )
    )



def group_reminder(held: Booking, now: datetime, key: str, morning: bool = False) -> bool:
    """Two days before, with "still coming?"; and on the morning of the session."""
    asker, surgery_session = held.help_request.asker, held.surgery_session
    agreed = pairings.agreed_pairing(held.help_request_id)
    return about_session(
        surgery_session,
        asker.email,
        invite=False,
        key=key,
        template="reminder",
        subject=f"{'Today' if morning else 'Coming up'}: {surgery_session.title}",
        due_at=now,
        morning=morning,
        help_request=held.help_request,
        volunteer_name=agreed.signup.volunteer.first_name if agreed else None,
        still_coming_url=external_url(
            "public.still_coming", token=manage_token(asker), booking_id=held.id
        ),
        manage_url=manage_url(asker),
    )


def volunteer_groups(signup: Signup, agreed: list[Pairing], now: datetime) -> bool:
    """Two days before: the groups a volunteer will help, so they can prepare."""
    surgery_session = signup.surgery_session
    return about_session(
        surgery_session,
        signup.volunteer.email,
        invite=False,
        key=f"volunteer-groups:signup:{signup.id}:{stamp(surgery_session.starts_at)}",
        template="volunteer_groups",
        subject=f"Your groups at {surgery_session.title}",
        due_at=now,
        volunteer=signup.volunteer,
        groups=[pairing.help_request for pairing in agreed],
        manage_url=manage_url(signup.volunteer),
    )


def volunteer_reminder(signup: Signup, now: datetime) -> bool:
    surgery_session = signup.surgery_session
    return about_session(
        surgery_session,
        signup.volunteer.email,
        invite=False,
        key=f"volunteer-morning:signup:{signup.id}:{stamp(surgery_session.starts_at)}",
        template="volunteer_reminder",
        subject=f"Today: {surgery_session.title}",
        due_at=now,
        volunteer=signup.volunteer,
        manage_url=manage_url(signup.volunteer),
    )


def place_freed(held: Booking, now: datetime) -> bool:
    """The group did not say it was still coming, so its table went to another group."""
    asker, surgery_session = held.help_request.asker, held.surgery_session
    return about_session(
        surgery_session,
        asker.email,
        invite=False,
        key=f"freed:booking:{held.id}:{stamp(surgery_session.starts_at)}",
        template="place_freed",
        subject=f"Your place at {surgery_session.title} has gone to another group",
        due_at=now,
        help_request=held.help_request,
        manage_url=manage_url(asker),
    )


def request_expired(help_request: HelpRequest, now: datetime) -> bool:
    asker = help_request.asker
    return queued(
        notifications.queue_email(
            key=f"expired:request:{help_request.id}",
            recipient=asker.email,
            template="request_expired",
            subject=f"Your request for {help_request.organisation_name} has closed",
            due_at=now,
            help_request=help_request,
            ask_url=external_url("public.ask_start"),
            manage_url=manage_url(asker),
        )
    )


def still_looking(help_request: HelpRequest, key: str, now: datetime) -> bool:
    asker = help_request.asker
    return queued(
        notifications.queue_email(
            key=key,
            recipient=asker.email,
            template="still_looking",
            subject=f"Still looking for help for {help_request.organisation_name}",
            due_at=now,
            help_request=help_request,
            manage_url=manage_url(asker),
        )
    )


def follow_up(help_request: HelpRequest, kind: FollowUpKind, now: datetime) -> bool:
    asker = help_request.asker
    week = kind is FollowUpKind.WEEK
    return may_stop(
        asker.email,
        asker,
        key=f"follow-up-{kind}:request:{help_request.id}",
        template="follow_up_week" if week else "follow_up_later",
        subject="Did you get going?" if week else "What has changed for your group?",
        due_at=now,
        help_request=help_request,
        answer_url=external_url(
            "public.follow_up", token=manage_token(asker), request_id=help_request.id, kind=kind
        ),
        manage_url=manage_url(asker),
    )


def host_digest(host: Account, requests, signups, day, now: datetime) -> bool:
    return may_stop(
        host.email,
        host,
        key=f"digest:account:{host.id}:{day.isoformat()}",
        template="host_digest",
        subject="New near your sessions",
        due_at=now,
        host=host,
        requests=requests,
        signups=signups,
        host_url=external_url("hosts.dashboard"),
    )


def queued(row: Notification | None) -> bool:
    return row is not None
