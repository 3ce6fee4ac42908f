"""The messages time brings, made by the scheduler: reminders before a session, "still
looking", a closed request, the follow-ups after a session and the hosts' daily digest."""

from datetime import datetime

from surgery.clock import how_soon
from surgery.models import Account, Booking, FollowUpKind, HelpRequest, Signup
from surgery.notify import keys
from surgery.notify.links import link
from surgery.services import pairings
from surgery.services.recipients import may_stop, to_group, to_volunteer
from surgery.services.tokens import manage_token, manage_url


def group_reminder(held: Booking, now: datetime, morning: bool = False) -> bool:
    """Two days before, with "still coming?"; and on the morning of the session."""
    agreed = pairings.agreed_pairing(held.help_request_id)
    token = manage_token(held.help_request.asker)
    return to_group(
        held.help_request,
        held.surgery_session,
        invite=False,
        key=keys.reminder(held.id, held.surgery_session.starts_at, morning),
        template="reminder",
        subject=f"{'Today' if morning else 'Coming up'}: {held.surgery_session.title}",
        due_at=now,
        morning=morning,
        how_soon=how_soon(now, held.surgery_session.starts_at),
        volunteer_name=agreed.signup.volunteer.first_name if agreed else None,
        still_coming_url=link("still-coming", token=token, booking_id=held.id),
    )


def volunteer_reminder(signup: Signup, now: datetime) -> bool:
    return to_volunteer(
        signup,
        invite=False,
        key=keys.volunteer_morning(signup.id, signup.surgery_session.starts_at),
        template="volunteer_reminder",
        subject=f"Today: {signup.surgery_session.title}",
        due_at=now,
    )


def request_expired(help_request: HelpRequest, now: datetime) -> bool:
    return to_group(
        help_request,
        key=keys.request_expired(help_request.id),
        template="request_expired",
        subject=f"Your request for {help_request.organisation_name} has closed",
        due_at=now,
        ask_url=link("ask"),
    )


def still_looking(help_request: HelpRequest, now: datetime) -> bool:
    return to_group(
        help_request,
        key=keys.still_looking(help_request.id),
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
        key=keys.follow_up(kind, help_request.id),
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
        key=keys.host_digest(host.id, day),
        template="host_digest",
        subject="New near your sessions",
        due_at=now,
        host=host,
        requests=requests,
        signups=signups,
        host_url=link("host-dashboard"),
    )
