"""News of a whole session, to everyone there: it changed, or it was cancelled (and why).
Messages about it not yet sent are withdrawn first; calendars follow."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import update

from surgery.extensions import db
from surgery.models import Booking, Notification, NotificationStatus, Signup, SurgerySession
from surgery.notify import keys, outbox
from surgery.services.recipients import (
    booked_groups,
    for_group,
    for_volunteer,
    helping_volunteers,
    session_url,
)
from surgery.services.tokens import manage_url

# Messages that depend on when a session starts: withdrawn when it moves, made again in time.
TIMED_KINDS = ("reminder", "volunteer_groups", "volunteer_reminder")


def session_changed(surgery_session: SurgerySession, now: datetime) -> None:
    """Tell everyone with a place or a sign-up; their calendars update (a higher SEQUENCE)."""
    withdraw_pending(surgery_session, TIMED_KINDS)
    session_id, version = surgery_session.id, surgery_session.sequence
    everyone_there(
        surgery_session,
        booked_groups(surgery_session),
        helping_volunteers(surgery_session),
        key=lambda to: keys.session_changed(session_id, version, to),
        template="session_changed",
        subject=f"{surgery_session.title} has changed",
        now=now,
    )


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
    everyone_there(
        surgery_session,
        groups,
        volunteers,
        key=lambda to: keys.session_cancelled(surgery_session.id, to),
        template="session_cancelled",
        subject=f"Cancelled: {surgery_session.title}",
        now=now,
        reason=reason,
    )


def everyone_there(
    surgery_session: SurgerySession,
    groups: list[Booking],
    volunteers: list[Signup],
    *,
    key: Callable[[str], str],
    template: str,
    subject: str,
    now: datetime,
    reason: str = "",
) -> None:
    """The same news of a session to each group and volunteer there, with their calendars."""
    url = session_url(surgery_session)
    for held in groups:
        group = held.help_request
        outbox.queue_email(
            for_group(group, surgery_session, invite=True),
            key=key(f"booking:{held.id}"),
            template=template,
            subject=subject,
            due_at=now,
            help_request=group,
            surgery_session=surgery_session,
            session_url=url,
            manage_url=manage_url(group.asker),
            reason=reason,
        )
    for signup in volunteers:
        outbox.queue_email(
            for_volunteer(signup, invite=True),
            key=key(f"signup:{signup.id}"),
            template=template,
            subject=subject,
            due_at=now,
            volunteer=signup.volunteer,
            surgery_session=surgery_session,
            session_url=url,
            manage_url=manage_url(signup.volunteer),
            reason=reason,
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
