"""Follow-through: the messages time brings (reminders, "still coming?", follow-ups, digests), and
what people answer to them.

The scheduler calls `create_due_messages` every few minutes. Each message has a key naming what it
is about, so running late, twice, or in two processes at once creates it once; a scheduler that was
down creates on its next run whatever fell due meanwhile.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import or_, update

from surgery.clock import LONDON, london_date
from surgery.extensions import db
from surgery.models import (
    Account,
    Asker,
    Booking,
    BookingStatus,
    FollowUp,
    FollowUpKind,
    HelpRequest,
    Notification,
    NotificationStatus,
    RequestStatus,
    SessionStatus,
    SurgerySession,
    Volunteer,
)
from surgery.notify import keys, outbox
from surgery.services import booking as booking_service
from surgery.services import placement, recipients, reminders, tell
from surgery.services.isolation import each_alone
from surgery.services.settling import settle

JOB = "create-due-messages"
# Closer to the session than this, "see you soon, still coming?" comes too late to be useful.
LAST_CALL = timedelta(hours=12)
# However late a group was asked "still coming?", it has at least this long to answer.
TIME_TO_ANSWER = timedelta(hours=6)
# A message due at a moment (still looking, the follow-ups) is looked for during this long after
# it falls due, so a scheduler that was down catches up, and older rows are not read every run.
CATCH_UP = timedelta(days=7)


@dataclass(frozen=True)
class Timing:
    reminder_before: timedelta
    morning_hour: int
    free_unanswered_before: timedelta
    still_looking_after: timedelta
    follow_up_after: timedelta
    later_follow_up_after: timedelta

    @classmethod
    def from_config(cls) -> "Timing":
        config = current_app.config
        return cls(
            reminder_before=timedelta(hours=config["REMINDER_HOURS_BEFORE"]),
            morning_hour=config["REMINDER_MORNING_HOUR"],
            free_unanswered_before=timedelta(hours=config["FREE_UNANSWERED_HOURS_BEFORE"]),
            still_looking_after=timedelta(days=config["STILL_LOOKING_DAYS"]),
            follow_up_after=timedelta(days=config["FOLLOW_UP_DAYS"]),
            later_follow_up_after=timedelta(days=config["LATER_FOLLOW_UP_DAYS"]),
        )


def create_due_messages(now: datetime) -> Counter:
    """Queue every time-based message due by now, once each; return how many of each kind.

    Each session and request is handled on its own (see services.isolation): one that fails is
    logged and tried again next run, and the others' messages still go.
    """
    timing, made = Timing.from_config(), Counter()
    each_alone(
        JOB,
        sessions_starting_within(now, timing.reminder_before),
        lambda surgery_session: remind(surgery_session, now, timing, made),
        lambda surgery_session: {"session_id": surgery_session.id},
    )
    expire_requests(now, made)
    still_looking(now, timing, made)
    follow_up(now, timing, made)
    db.session.commit()
    return made


def sessions_starting_within(now: datetime, ahead: timedelta) -> list[SurgerySession]:
    query = db.select(SurgerySession).where(
        SurgerySession.status == SessionStatus.PUBLISHED,
        SurgerySession.starts_at > now,
        SurgerySession.starts_at <= now + ahead,
    )
    return list(db.session.scalars(query.order_by(SurgerySession.starts_at)))


def morning_of(surgery_session: SurgerySession, timing: Timing) -> datetime:
    """When the morning reminder goes: the set hour that day, or two hours before an early start."""
    day = london_date(surgery_session.starts_at)
    morning = datetime.combine(day, time(timing.morning_hour), tzinfo=LONDON)
    return min(morning, surgery_session.starts_at - timedelta(hours=2))


def remind(surgery_session: SurgerySession, now: datetime, timing: Timing, made: Counter) -> None:
    # Tables go first, so a group that has just lost its table is not also reminded to come.
    if surgery_session.free_unanswered and (
        now >= surgery_session.starts_at - timing.free_unanswered_before
    ):
        events = []
        for held in recipients.booked_groups(surgery_session):
            asked = asked_at(held)
            if held.coming_confirmed_at is None and asked and now >= asked + TIME_TO_ANSWER:
                events += placement.give_up(held, now, unanswered=True)
        made["place_freed"] += sum(isinstance(e, placement.PlaceFreed) for e in events)
        settle(events, now)
    groups = recipients.booked_groups(surgery_session)
    volunteers = recipients.helping_volunteers(surgery_session)
    if now < surgery_session.starts_at - LAST_CALL:
        for held in groups:
            made["reminder"] += reminders.group_reminder(held, now)
        for signup in volunteers:
            made["volunteer_groups"] += tell.volunteer_groups(signup, now)
    if now >= morning_of(surgery_session, timing):
        for held in groups:
            made["reminder"] += reminders.group_reminder(held, now, morning=True)
        for signup in volunteers:
            made["volunteer_reminder"] += reminders.volunteer_reminder(signup, now)


def asked_at(held: Booking) -> datetime | None:
    """When the group's "still coming?" email went out; only then can silence cost its table."""
    query = db.select(Notification.sent_at).where(
        Notification.key == keys.reminder(held.id, held.surgery_session.starts_at),
        Notification.status == NotificationStatus.SENT,
    )
    return db.session.scalar(query)


def answer_still_coming(held: Booking, coming: bool, now: datetime) -> bool:
    """A group answers "still coming?": yes keeps its place; no gives it to the next group.

    Return False if the place had gone already (the answer came too late).
    """
    if not coming:
        return free_place(held, now)
    # Only while the place is still theirs: the scheduler may have just given it up.
    kept = db.session.execute(
        update(Booking)
        .where(Booking.id == held.id, Booking.status == BookingStatus.BOOKED)
        .values(coming_confirmed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return kept == 1


def free_place(held: Booking, now: datetime) -> bool:
    """The group cannot come: the waiting list, else the matcher, fills its table at once, and
    whoever takes it is told. Return False if the place had gone already."""
    events = placement.give_up(held, now)
    settle(events, now)
    db.session.commit()
    outbox.send_queued(now)
    return bool(events)


def expire_requests(now: datetime, made: Counter) -> None:
    """Close open requests whose last date has passed, and say so."""
    query = db.select(HelpRequest).where(
        HelpRequest.status == RequestStatus.OPEN, HelpRequest.latest_date < london_date(now)
    )

    def expire(help_request: HelpRequest) -> None:
        settle(placement.expire(help_request, now), now)
        made["request_expired"] += reminders.request_expired(help_request, now)

    each_alone(JOB, db.session.scalars(query), expire, request_ids)


def still_looking(now: datetime, timing: Timing, made: Counter) -> None:
    """Tell a group, once, that after a while we have no session in its reach yet."""
    due = now - timing.still_looking_after
    query = db.select(HelpRequest).where(
        HelpRequest.status == RequestStatus.OPEN,
        HelpRequest.confirmed_at.between(due - CATCH_UP, due),
    )

    def tell_still_looking(help_request: HelpRequest) -> None:
        if outbox.queued_before(keys.still_looking(help_request.id)):
            return
        if booking_service.active_booking(help_request):
            return
        if not booking_service.sessions_within_reach(help_request, now):
            made["still_looking"] += reminders.still_looking(help_request, now)

    each_alone(JOB, db.session.scalars(query), tell_still_looking, request_ids)


def follow_up(now: datetime, timing: Timing, made: Counter) -> None:
    """Ask groups that came and agreed to hear from us how they got on: a week on, then later."""
    query = (
        db.select(HelpRequest, SurgerySession.ends_at)
        .join(Booking, Booking.help_request_id == HelpRequest.id)
        .join(SurgerySession, SurgerySession.id == Booking.session_id)
        .join(Asker, Asker.id == HelpRequest.asker_id)
        .where(
            HelpRequest.status == RequestStatus.ATTENDED,
            HelpRequest.consent_follow_up.is_(True),
            Asker.unsubscribed_at.is_(None),
            Asker.email.is_not(None),
            Booking.status == BookingStatus.BOOKED,
            SurgerySession.status == SessionStatus.COMPLETED,
            or_(
                *(
                    SurgerySession.ends_at.between(now - after - CATCH_UP, now - after)
                    for after in (timing.follow_up_after, timing.later_follow_up_after)
                )
            ),
        )
    )

    def ask(row) -> None:
        help_request, ended = row
        if now >= ended + timing.later_follow_up_after:
            kind = FollowUpKind.QUARTER
        else:
            kind = FollowUpKind.WEEK
        made[f"follow_up_{kind}"] += reminders.follow_up(help_request, kind, now)

    each_alone(JOB, db.session.execute(query), ask, lambda row: request_ids(row[0]))


def request_ids(help_request: HelpRequest) -> dict[str, int]:
    return {"help_request_id": help_request.id}


def record_follow_up(help_request: HelpRequest, kind: FollowUpKind, now: datetime, **answers):
    """Keep a group's answer (a second answer replaces the first)."""
    answer = db.session.scalar(
        db.select(FollowUp).filter_by(help_request_id=help_request.id, kind=kind)
    ) or FollowUp(help_request_id=help_request.id, kind=kind)
    for name, value in answers.items():
        setattr(answer, name, value)
    answer.answered_at = now
    db.session.add(answer)
    db.session.commit()
    return answer


def unsubscribe(person: Asker | Account | Volunteer, now: datetime) -> None:
    """Stop follow-ups (a group), invitations to sessions (a volunteer) or the daily digest (a
    host); messages about their own place or sessions still come."""
    if isinstance(person, Account):
        person.digest_unsubscribed_at = person.digest_unsubscribed_at or now
    else:
        person.unsubscribed_at = person.unsubscribed_at or now
    db.session.commit()
