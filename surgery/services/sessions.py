"""Hosts run sessions: create, change, publish, cancel, complete, share with co-hosts."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import joinedload

from surgery.clock import LONDON, london_date
from surgery.extensions import db
from surgery.models import (
    Account,
    AccountStatus,
    Asker,
    Booking,
    BookingStatus,
    HelpRequest,
    Role,
    SessionStatus,
    Signup,
    SurgerySession,
)
from surgery.models.sessions import MOVES
from surgery.notify import outbox
from surgery.services import audit, placement, recipients, session_news
from surgery.services.answers import place_for
from surgery.services.errors import InvalidAnswers
from surgery.vocabulary import AccessNeed, Level

NOT_BEFORE_START = "A session cannot be marked as completed before it starts."
VENUE_NEEDS_FULL_POSTCODE = "Enter the venue's full postcode, like B13 8JP"


@dataclass(frozen=True)
class SessionDetails:
    title: str
    venue_name: str
    venue_address: str
    postcode: str
    day: date
    starts: time
    ends: time
    seats: int
    level_focus: Level | None = None
    partners: str = ""
    access: tuple[AccessNeed, ...] = ()
    access_notes: str = ""
    volunteer_notes: str = ""
    requires_safeguarding: bool = False
    auto_confirm: bool = False
    free_unanswered: bool = False


def london_to_utc(day: date, clock: time, field: str) -> datetime:
    """Turn a UK wall-clock time into UTC; raise InvalidAnswers for a time the clocks skip."""
    local = datetime.combine(day, clock, tzinfo=LONDON)
    moment = local.astimezone(UTC)
    if moment.astimezone(LONDON).replace(tzinfo=None) != local.replace(tzinfo=None):
        message = "That time does not exist on that day, because the clocks go forward"
        raise InvalidAnswers({field: message})
    return moment


def apply_session_details(surgery_session: SurgerySession, details: SessionDetails, now) -> None:
    """Check the details (place, time, dates) and copy them onto the session."""
    place = place_for(details.postcode)
    # Groups find the door by it, and a district alone covers thousands of addresses.
    if place.postcode.is_district_only:
        raise InvalidAnswers({"postcode": VENUE_NEEDS_FULL_POSTCODE})
    starts_at = london_to_utc(details.day, details.starts, "starts")
    ends_at = london_to_utc(details.day, details.ends, "ends")
    if ends_at <= starts_at:
        raise InvalidAnswers({"ends": "The end time must be after the start time"})
    if details.day < london_date(now):
        raise InvalidAnswers({"day": "The date must be today or later"})
    surgery_session.move_to(place)
    surgery_session.starts_at, surgery_session.ends_at = starts_at, ends_at
    for name in (
        "title",
        "venue_name",
        "venue_address",
        "seats",
        "partners",
        "access_notes",
        "volunteer_notes",
        "requires_safeguarding",
        "auto_confirm",
        "free_unanswered",
    ):
        setattr(surgery_session, name, getattr(details, name))
    surgery_session.level_focus = int(details.level_focus) if details.level_focus else None
    surgery_session.access = [str(need) for need in details.access]


def create_session(host: Account, details: SessionDetails, now: datetime) -> SurgerySession:
    """Create a draft session hosted by this host; raise InvalidAnswers."""
    surgery_session = SurgerySession(created_at=now, hosts=[host])
    apply_session_details(surgery_session, details, now)
    db.session.add(surgery_session)
    db.session.flush()
    audit.record(host, "created-session", f"session:{surgery_session.id}", now)
    db.session.commit()
    return surgery_session


def update_session(host: Account, surgery_session: SurgerySession, details, now) -> None:
    """Change a session's details; calendars see the change through a higher SEQUENCE."""
    apply_session_details(surgery_session, details, now)
    surgery_session.sequence += 1
    if surgery_session.status is SessionStatus.PUBLISHED:
        session_news.session_changed(surgery_session, now)
    audit.record(host, "changed-session", f"session:{surgery_session.id}", now)
    db.session.commit()
    outbox.send_queued(now)


def moves_allowed(surgery_session: SurgerySession, now: datetime) -> list[str]:
    """Return the moves a host may make now, in the order the session's page offers them."""
    actions = ("publish", "complete", "cancel")
    return [action for action in actions if may_move(surgery_session, action, now)]


def may_move(surgery_session: SurgerySession, action: str, now: datetime) -> bool:
    try:
        check_move(surgery_session, action, now)
    except ValueError:
        return False
    return True


def check_move(surgery_session: SurgerySession, action: str, now: datetime) -> None:
    """Raise ValueError, saying why, unless the host may make this move now."""
    allowed_from, to = MOVES[action]
    if surgery_session.status not in allowed_from:
        raise ValueError(f"A {surgery_session.status.value} session cannot be {to.value}.")
    # Attendance is settled on completing: before the start nobody has had the chance to come.
    if action == "complete" and now < surgery_session.starts_at:
        raise ValueError(NOT_BEFORE_START)


def move_session(
    host: Account, surgery_session: SurgerySession, action: str, now, reason: str = ""
) -> None:
    """Publish, cancel (saying why, to everyone told) or complete a session; raise ValueError
    for a move not allowed now."""
    check_move(surgery_session, action, now)
    surgery_session.move(action)
    detail = ""
    if action == "complete":
        placement.complete(surgery_session)
    if action == "cancel":
        groups, volunteers = cancellation_audience(surgery_session)
        placement.cancel_session(surgery_session)
        why = "\n".join(reason.strip().splitlines())
        session_news.session_cancelled(surgery_session, groups, volunteers, why, now)
        detail = f"told: {len(groups)} groups, {len(volunteers)} volunteers"
    audit.record(host, f"{action}-session", f"session:{surgery_session.id}", now, detail)
    db.session.commit()
    outbox.send_queued(now)


def cancellation_audience(surgery_session: SurgerySession) -> tuple[list[Booking], list[Signup]]:
    """Return who is told if the session is cancelled: the groups with a table or waiting for
    one that we can email, and the volunteers signed up to help."""
    groups = (
        db.select(Booking)
        .join(HelpRequest, Booking.help_request_id == HelpRequest.id)
        .join(Asker, HelpRequest.asker_id == Asker.id)
        .where(
            Booking.session_id == surgery_session.id,
            Booking.status.in_((BookingStatus.BOOKED, BookingStatus.WAITING)),
            Asker.email.is_not(None),
        )
        .order_by(Booking.id)
    )
    return list(db.session.scalars(groups)), recipients.helping_volunteers(surgery_session)


def who_will_be_told(surgery_session: SurgerySession) -> tuple[int, int]:
    """Return how many groups and how many volunteers a cancellation would reach."""
    groups, volunteers = cancellation_audience(surgery_session)
    return len(groups), len(volunteers)


def add_co_host(host: Account, surgery_session: SurgerySession, email: str, now) -> None:
    """Share a session with another approved host; raise InvalidAnswers if there is none."""
    other = db.session.scalar(
        db.select(Account).where(
            Account.email == email.strip().lower(),
            Account.status == AccountStatus.APPROVED,
        )
    )
    if other is None:
        raise InvalidAnswers({"email": "There is no approved host with that email address"})
    if not surgery_session.is_hosted_by(other):
        surgery_session.hosts.append(other)
        audit.record(
            host, "added-co-host", f"session:{surgery_session.id}", now, f"account:{other.id}"
        )
    db.session.commit()


def hosted_by(account: Account) -> list[SurgerySession]:
    """Return the sessions this account hosts, an admin's included."""
    query = db.select(SurgerySession).where(SurgerySession.hosts.any(Account.id == account.id))
    return list(db.session.scalars(query.order_by(SurgerySession.starts_at)))


def others_sessions_for(account: Account) -> list[SurgerySession]:
    """Return the sessions an admin may see but does not host; nothing for a host."""
    if account.role is not Role.ADMIN:
        return []
    hosted = SurgerySession.hosts.any(Account.id == account.id)
    query = db.select(SurgerySession).where(~hosted).order_by(SurgerySession.starts_at)
    return list(db.session.scalars(query))


def session_for(account: Account, session_id: int) -> SurgerySession | None:
    """Return a session if this account hosts it (or is an admin); otherwise nothing."""
    # With its hosts, who the page names too: one query.
    hosts_too = [joinedload(SurgerySession.hosts)]
    surgery_session = db.session.get(SurgerySession, session_id, options=hosts_too)
    if surgery_session is None:
        return None
    if account.role is Role.ADMIN or surgery_session.is_hosted_by(account):
        return surgery_session
    return None
