"""The emails that tell people about their place, their volunteer, their groups and their session.

Each is queued in the caller's transaction under a key naming what caused it, so the same news can
never go twice; the caller's commit makes it real. Messages about a session remember it, so they
can be withdrawn when the session changes or is cancelled.
"""

from datetime import datetime

from sqlalchemy import update

from surgery.clock import how_soon
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
from surgery.notify.links import link
from surgery.services import notifications, pairings
from surgery.services.calendar import invitation_to, session_calendar
from surgery.services.placement.events import (
    Agreed,
    GroupsChanged,
    PlaceEnded,
    PlaceFreed,
    Swapped,
    TookTable,
    Unpaired,
)
from surgery.services.tokens import manage_token, manage_url, unsubscribe_url

# Messages that depend on when a session starts: withdrawn when it moves, made again in time.
TIMED_KINDS = ("reminder", "volunteer_groups", "volunteer_reminder")


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
        return notifications.queue_email(recipient=asker.email, **message) is not None
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


def about(events: list, now: datetime) -> None:
    """Queue the messages for what happened to groups' places in one unit of work.

    Pending news of a place that has ended is withdrawn first. A group that took a table and
    was agreed with a volunteer in the same unit hears once, with its volunteer's name. A
    volunteer whose groups changed after their list was made gets the new list.
    """
    for event in of(events, PlaceEnded):
        withdraw_place_news(event.booking.help_request, event.booking.session_id)
    agreed = {(e.pairing.help_request_id, e.pairing.session_id) for e in of(events, Agreed)}
    for event in events:
        if isinstance(event, TookTable):
            held = event.booking
            if (held.help_request_id, held.session_id) not in agreed:
                group_booked(held, now)
        elif isinstance(event, Agreed):
            group_paired(event.pairing, now)
        elif isinstance(event, Swapped):
            volunteer_changed(event.pairing, now)
        elif isinstance(event, Unpaired):
            group_unpaired(event.pairing, event.lost_table, now)
        elif isinstance(event, PlaceFreed):
            place_freed(event.booking, now)
    for signup_id in dict.fromkeys(e.signup_id for e in of(events, GroupsChanged)):
        volunteer_groups_changed(db.session.get(Signup, signup_id), now)


def of(events: list, kind: type) -> list:
    return [event for event in events if isinstance(event, kind)]


# News of a place, withdrawn while unsent once the place has gone.
PLACE_NEWS = ("booked", "paired", "reminder", "volunteer_changed")


def withdraw_place_news(help_request: HelpRequest, session_id: int) -> None:
    email = help_request.asker.email
    if email is None:
        return
    db.session.execute(
        update(Notification)
        .where(
            Notification.session_id == session_id,
            Notification.recipient == email,
            Notification.kind.in_(PLACE_NEWS),
            Notification.status == NotificationStatus.PENDING,
        )
        .values(status=NotificationStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )


def volunteer_groups_changed(signup: Signup, now: datetime) -> None:
    """Send a volunteer their groups again if the list has been made already; else the list,
    made when it is due, is right as it is."""
    key = volunteer_groups_key(signup)
    made = db.select(Notification.id).where(Notification.key.startswith(key, autoescape=True))
    if signup.status is not SignupStatus.ACTIVE or db.session.scalar(made.limit(1)) is None:
        return
    db.session.execute(
        update(Notification)
        .where(
            Notification.key.startswith(key, autoescape=True),
            Notification.status == NotificationStatus.PENDING,
        )
        .values(status=NotificationStatus.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    volunteer_groups(signup, now, key=f"{key}:changed:{stamp(now)}", changed=True)


def stamp(moment: datetime) -> str:
    return f"{moment:%Y%m%dT%H%M%S}"


def group_booked(booking: Booking, now: datetime) -> None:
    """A group took a table itself, or from the waiting list."""
    to_group(
        booking.help_request,
        booking.surgery_session,
        key=f"booked:booking:{booking.id}:{stamp(booking.joined_at)}",
        template="booked",
        subject=f"Your place at {booking.surgery_session.title}",
        due_at=now,
    )


def group_paired(pairing: Pairing, now: datetime) -> None:
    """A host (or the session's auto-confirm) agreed the group's pairing with a volunteer."""
    to_group(
        pairing.help_request,
        pairing.surgery_session,
        key=f"paired:pairing:{pairing.id}",
        template="paired",
        subject=f"Your place at {pairing.surgery_session.title}",
        due_at=now,
        volunteer_name=pairing.signup.volunteer.first_name,
    )


def volunteer_changed(pairing: Pairing, now: datetime) -> None:
    """A host gave an agreed group another volunteer."""
    to_group(
        pairing.help_request,
        pairing.surgery_session,
        invite=False,
        key=f"volunteer-changed:pairing:{pairing.id}:signup:{pairing.signup_id}",
        template="volunteer_changed",
        subject=f"Your volunteer at {pairing.surgery_session.title} has changed",
        due_at=now,
        volunteer_name=pairing.signup.volunteer.first_name,
    )


def group_unpaired(pairing: Pairing, lost_table: bool, now: datetime) -> None:
    """A host undid an agreed pairing: the group lost its table, or only its volunteer."""
    title = pairing.surgery_session.title
    to_group(
        pairing.help_request,
        pairing.surgery_session,
        invite=lost_table,
        withdrawn=lost_table,
        key=f"unpaired:pairing:{pairing.id}",
        template="unpaired",
        subject=f"Your place at {title} is cancelled" if lost_table else f"News about {title}",
        due_at=now,
        lost_table=lost_table,
    )


def volunteer_signed_up(signup: Signup, now: datetime) -> None:
    to_volunteer(
        signup,
        key=f"signed-up:signup:{signup.id}:{stamp(now)}",
        template="signed_up",
        subject=f"You are helping at {signup.surgery_session.title}",
        due_at=now,
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
    news = {
        "template": "session_changed",
        "subject": f"{surgery_session.title} has changed",
        "due_at": now,
    }
    version = f"session-changed:session:{surgery_session.id}:v{surgery_session.sequence}"
    for held in booked_groups(surgery_session):
        to_group(held.help_request, surgery_session, key=f"{version}:booking:{held.id}", **news)
    for signup in helping_volunteers(surgery_session):
        to_volunteer(signup, key=f"{version}:signup:{signup.id}", **news)


def session_cancelled(
    surgery_session: SurgerySession,
    groups: list[Booking],
    volunteers: list[Signup],
    reason: str,
    now: datetime,
) -> None:
    """Tell the groups that had a place or were waiting, and the volunteers signed up, why the
    host cancelled; calendars drop the event."""
    withdraw_pending(surgery_session)
    news = {
        "template": "session_cancelled",
        "subject": f"Cancelled: {surgery_session.title}",
        "due_at": now,
        "reason": reason,
    }
    key = f"session-cancelled:session:{surgery_session.id}"
    for held in groups:
        to_group(held.help_request, surgery_session, key=f"{key}:booking:{held.id}", **news)
    for signup in volunteers:
        to_volunteer(signup, key=f"{key}:signup:{signup.id}", **news)


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
    agreed = pairings.agreed_pairing(held.help_request_id)
    token = manage_token(held.help_request.asker)
    return to_group(
        held.help_request,
        held.surgery_session,
        invite=False,
        key=key,
        template="reminder",
        subject=f"{'Today' if morning else 'Coming up'}: {held.surgery_session.title}",
        due_at=now,
        morning=morning,
        how_soon=how_soon(now, held.surgery_session.starts_at),
        volunteer_name=agreed.signup.volunteer.first_name if agreed else None,
        still_coming_url=link("still-coming", token=token, booking_id=held.id),
    )


def volunteer_groups_key(signup: Signup) -> str:
    return f"volunteer-groups:signup:{signup.id}:{stamp(signup.surgery_session.starts_at)}"


def volunteer_groups(signup: Signup, now: datetime, key: str = "", changed: bool = False) -> bool:
    """Two days before: the groups a volunteer will help, so they can prepare (again, when they
    change after that)."""
    title = signup.surgery_session.title
    return to_volunteer(
        signup,
        invite=False,
        key=key or volunteer_groups_key(signup),
        template="volunteer_groups",
        subject=f"Your groups at {title} have changed" if changed else f"Your groups at {title}",
        due_at=now,
        how_soon=how_soon(now, signup.surgery_session.starts_at),
        changed=changed,
        groups=[pairing.help_request for pairing in pairings.agreed_for_signup(signup.id)],
    )


def volunteer_reminder(signup: Signup, now: datetime) -> bool:
    starts = stamp(signup.surgery_session.starts_at)
    return to_volunteer(
        signup,
        invite=False,
        key=f"volunteer-morning:signup:{signup.id}:{starts}",
        template="volunteer_reminder",
        subject=f"Today: {signup.surgery_session.title}",
        due_at=now,
    )


def place_freed(held: Booking, now: datetime) -> bool:
    """The group did not say it was still coming, so its table went to another group."""
    surgery_session = held.surgery_session
    return to_group(
        held.help_request,
        surgery_session,
        invite=False,
        key=f"freed:booking:{held.id}:{stamp(surgery_session.starts_at)}",
        template="place_freed",
        subject=f"We have given up your place at {surgery_session.title}",
        due_at=now,
    )


def request_expired(help_request: HelpRequest, now: datetime) -> bool:
    return to_group(
        help_request,
        key=f"expired:request:{help_request.id}",
        template="request_expired",
        subject=f"Your request for {help_request.organisation_name} has closed",
        due_at=now,
        ask_url=link("ask"),
    )


def still_looking(help_request: HelpRequest, key: str, now: datetime) -> bool:
    return to_group(
        help_request,
        key=key,
        template="still_looking",
        subject=f"Still looking for help for {help_request.organisation_name}",
        due_at=now,
    )


def follow_up(help_request: HelpRequest, kind: FollowUpKind, now: datetime) -> bool:
    asker = help_request.asker
    week = kind is FollowUpKind.WEEK
    answer_url = link(
        "follow-up", token=manage_token(asker), request_id=help_request.id, kind=kind
    )
    return may_stop(
        asker.email,
        asker,
        key=f"follow-up-{kind}:request:{help_request.id}",
        template="follow_up_week" if week else "follow_up_later",
        subject="Did you get going?" if week else "What has changed for your group?",
        due_at=now,
        help_request=help_request,
        answer_url=answer_url,
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
        host_url=link("host-dashboard"),
    )
