"""The messages time brings, made by the scheduler: reminders before a session, "still
looking", a closed request, the follow-ups after a session and the hosts' daily digest."""

from datetime import datetime

from surgery.clock import how_soon
from surgery.models import Account, Booking, FollowUpKind, HelpRequest, Signup
from surgery.notify import keys, outbox
from surgery.notify.links import link
from surgery.services import pairings
from surgery.services.recipients import for_group, for_volunteer, session_url, stoppable
from surgery.services.tokens import manage_token, manage_url


def group_reminder(held: Booking, now: datetime, morning: bool = False) -> bool:
    """Two days before, with "still coming?"; and on the morning of the session."""
    group, surgery_session = held.help_request, held.surgery_session
    agreed = pairings.agreed_pairing(group.id)
    token = manage_token(group.asker)
    queued = outbox.queue_email(
        for_group(group, surgery_session),
        key=keys.reminder(held.id, surgery_session.starts_at, morning),
        template="reminder",
        subject=f"{'Today' if morning else 'Coming up'}: {surgery_session.title}",
        due_at=now,
        help_request=group,
        surgery_session=surgery_session,
        session_url=session_url(surgery_session),
        manage_url=manage_url(group.asker),
        morning=morning,
        how_soon=how_soon(now, surgery_session.starts_at),
        volunteer_name=agreed.signup.volunteer.first_name if agreed else None,
        still_coming_url=link("still-coming", token=token, booking_id=held.id),
    )
    return queued is not None


def volunteer_reminder(signup: Signup, now: datetime) -> bool:
    surgery_session = signup.surgery_session
    queued = outbox.queue_email(
        for_volunteer(signup),
        key=keys.volunteer_morning(signup.id, surgery_session.starts_at),
        template="volunteer_reminder",
        subject=f"Today: {surgery_session.title}",
        due_at=now,
        volunteer=signup.volunteer,
        surgery_session=surgery_session,
        session_url=session_url(surgery_session),
        manage_url=manage_url(signup.volunteer),
    )
    return queued is not None


def request_expired(help_request: HelpRequest, now: datetime) -> bool:
    queued = outbox.queue_email(
        for_group(help_request),
        key=keys.request_expired(help_request.id),
        template="request_expired",
        subject=f"Your request for {help_request.organisation_name} has closed",
        due_at=now,
        help_request=help_request,
        manage_url=manage_url(help_request.asker),
        ask_url=link("ask"),
    )
    return queued is not None


def still_looking(help_request: HelpRequest, now: datetime) -> bool:
    queued = outbox.queue_email(
        for_group(help_request),
        key=keys.still_looking(help_request.id),
        template="still_looking",
        subject=f"Still looking for help for {help_request.organisation_name}",
        due_at=now,
        help_request=help_request,
        manage_url=manage_url(help_request.asker),
    )
    return queued is not None


def follow_up(help_request: HelpRequest, kind: FollowUpKind, now: datetime) -> bool:
    asker = help_request.asker
    week = kind is FollowUpKind.WEEK
    answer_url = link("follow-up", token=manage_token(asker), request_id=help_request.id, kind=kind)
    queued = outbox.queue_email(
        stoppable(asker.email, asker),
        key=keys.follow_up(kind, help_request.id),
        template="follow_up_week" if week else "follow_up_later",
        subject="Did you get going?" if week else "What has changed for your group?",
        due_at=now,
        help_request=help_request,
        answer_url=answer_url,
        manage_url=manage_url(asker),
    )
    return queued is not None


def host_digest(host: Account, requests, signups, day, now: datetime) -> bool:
    queued = outbox.queue_email(
        stoppable(host.email, host),
        key=keys.host_digest(host.id, day),
        template="host_digest",
        subject="New near your sessions",
        due_at=now,
        host=host,
        requests=requests,
        signups=signups,
        host_url=link("host-dashboard"),
        where_next_url=link("host-where-next"),
    )
    return queued is not None
