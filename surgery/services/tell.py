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
    Booking,
    HelpRequest,
    Notification,
    NotificationStatus,
    Pairing,
    Signup,
    SignupStatus,
)
from surgery.notify import keys, outbox
from surgery.services import pairings
from surgery.services.placement.events import (
    Agreed,
    GroupsChanged,
    PlaceEnded,
    PlaceFreed,
    Swapped,
    TookTable,
    Unpaired,
)
from surgery.services.recipients import (
    for_group,
    for_volunteer,
    session_url,
)
from surgery.services.tokens import manage_url


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
    volunteer_groups(signup, now, key=keys.changed(key, now), changed=True)


def group_booked(booking: Booking, now: datetime) -> None:
    """A group took a table itself, or from the waiting list."""
    group, surgery_session = booking.help_request, booking.surgery_session
    outbox.queue_email(
        for_group(group, surgery_session, invite=True),
        key=keys.booked(booking.id, booking.joined_at),
        template="booked",
        subject=f"Your place at {surgery_session.title}",
        due_at=now,
        help_request=group,
        surgery_session=surgery_session,
        session_url=session_url(surgery_session),
        manage_url=manage_url(group.asker),
    )


def group_paired(pairing: Pairing, now: datetime) -> None:
    """A host (or the session's auto-confirm) agreed the group's pairing with a volunteer."""
    group, surgery_session = pairing.help_request, pairing.surgery_session
    outbox.queue_email(
        for_group(group, surgery_session, invite=True),
        key=keys.paired(pairing.id),
        template="paired",
        subject=f"Your place at {surgery_session.title}",
        due_at=now,
        help_request=group,
        surgery_session=surgery_session,
        session_url=session_url(surgery_session),
        manage_url=manage_url(group.asker),
        volunteer_name=pairing.signup.volunteer.first_name,
    )


def volunteer_changed(pairing: Pairing, now: datetime) -> None:
    """A host gave an agreed group another volunteer."""
    group, surgery_session = pairing.help_request, pairing.surgery_session
    outbox.queue_email(
        for_group(group, surgery_session),
        key=keys.volunteer_changed(pairing.id, pairing.signup_id),
        template="volunteer_changed",
        subject=f"Your volunteer at {surgery_session.title} has changed",
        due_at=now,
        help_request=group,
        surgery_session=surgery_session,
        session_url=session_url(surgery_session),
        manage_url=manage_url(group.asker),
        volunteer_name=pairing.signup.volunteer.first_name,
    )


def group_unpaired(pairing: Pairing, lost_table: bool, now: datetime) -> None:
    """A host undid an agreed pairing: the group lost its table (and its calendar drops the
    event), or only its volunteer."""
    group, surgery_session = pairing.help_request, pairing.surgery_session
    title = surgery_session.title
    outbox.queue_email(
        for_group(group, surgery_session, invite=lost_table, withdrawn=lost_table),
        key=keys.unpaired(pairing.id),
        template="unpaired",
        subject=f"Your place at {title} is cancelled" if lost_table else f"News about {title}",
        due_at=now,
        help_request=group,
        surgery_session=surgery_session,
        session_url=session_url(surgery_session),
        manage_url=manage_url(group.asker),
        lost_table=lost_table,
    )


def volunteer_signed_up(signup: Signup, now: datetime) -> None:
    surgery_session = signup.surgery_session
    outbox.queue_email(
        for_volunteer(signup, invite=True),
        key=keys.signed_up(signup.id, now),
        template="signed_up",
        subject=f"You are helping at {surgery_session.title}",
        due_at=now,
        signup=signup,
        volunteer=signup.volunteer,
        surgery_session=surgery_session,
        session_url=session_url(surgery_session),
        manage_url=manage_url(signup.volunteer),
    )


def volunteer_groups_key(signup: Signup) -> str:
    return keys.volunteer_groups(signup.id, signup.surgery_session.starts_at)


def volunteer_groups(signup: Signup, now: datetime, key: str = "", changed: bool = False) -> bool:
    """Two days before: the groups a volunteer will help, so they can prepare (again, when they
    change after that)."""
    surgery_session = signup.surgery_session
    title = surgery_session.title
    queued = outbox.queue_email(
        for_volunteer(signup),
        key=key or volunteer_groups_key(signup),
        template="volunteer_groups",
        subject=f"Your groups at {title} have changed" if changed else f"Your groups at {title}",
        due_at=now,
        volunteer=signup.volunteer,
        surgery_session=surgery_session,
        session_url=session_url(surgery_session),
        manage_url=manage_url(signup.volunteer),
        how_soon=how_soon(now, surgery_session.starts_at),
        changed=changed,
        groups=[pairing.help_request for pairing in pairings.agreed_for_signup(signup.id)],
    )
    return queued is not None


def place_freed(held: Booking, now: datetime) -> bool:
    """The group did not say it was still coming, so its table went to another group."""
    group, surgery_session = held.help_request, held.surgery_session
    queued = outbox.queue_email(
        for_group(group, surgery_session),
        key=keys.place_freed(held.id, surgery_session.starts_at),
        template="place_freed",
        subject=f"We have given up your place at {surgery_session.title}",
        due_at=now,
        help_request=group,
        surgery_session=surgery_session,
        session_url=session_url(surgery_session),
        manage_url=manage_url(group.asker),
    )
    return queued is not None
