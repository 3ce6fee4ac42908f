"""The outbox: queue an email as a row in the caller's transaction, then deliver due rows."""

import logging
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from time import monotonic

from flask import current_app
from sqlalchemy import bindparam, or_, update

from surgery.clock import utcnow
from surgery.database import insert_or_on_conflict, on_postgresql
from surgery.extensions import db
from surgery.models import Notification, NotificationStatus
from surgery.notify.backends import Outcome, SmtpBackend, SmtpSettings
from surgery.notify.messages import build_message, render_email

# Events only: row ids, kinds, attempts and error classes, never an address, subject or body.
log = logging.getLogger(__name__)

BATCH_SIZE = 50
# Longer than a whole batch can take (50 messages at a 20-second SMTP timeout each), so another
# worker never takes a row that is still being sent.
LEASE = timedelta(minutes=20)


@dataclass(frozen=True)
class Envelope:
    """Where a message goes, and what travels with it besides its text."""

    recipient: str
    session_id: int | None = None  # the session it is about, so it can be withdrawn
    calendar: bytes | None = None  # this reader's invitation to the session, or its withdrawal
    unsubscribe_url: str | None = None  # for a message its reader may stop with one click


def queue_email(
    envelope: Envelope | None, *, key: str, template: str, subject: str, due_at: datetime, **context
) -> Notification | None:
    """Add an outbox row for this key unless one exists; the caller's commit makes it real.

    The template sees exactly the variables given here. Nothing is queued without an envelope
    (a group that walked in has no address: the host told it in the room).
    """
    if envelope is None:
        return None
    # Most repeats stop here, before rendering; a process racing us is stopped by the insert.
    if queued_before(key):
        return None
    rendered = render_email(template, subject, unsubscribe_url=envelope.unsubscribe_url, **context)
    notification = insert_new(
        key=key,
        kind=template,
        recipient=envelope.recipient,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        calendar=envelope.calendar.decode() if envelope.calendar else None,
        session_id=envelope.session_id,
        unsubscribe_url=envelope.unsubscribe_url,
        due_at=due_at,
    )
    if notification is not None:
        db.session.info.setdefault("queued_notifications", []).append(notification)
    return notification


def queued_before(key: str) -> bool:
    return db.session.scalar(db.select(Notification.id).where(Notification.key == key)) is not None


def insert_new(**values) -> Notification | None:
    """Insert an outbox row now and return it; return None if its key is taken, even by a
    transaction not yet committed (PostgreSQL waits to see whether that one commits)."""
    statement = (
        insert_or_on_conflict(Notification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[Notification.key])
        .returning(Notification)
    )
    return db.session.scalars(statement).one_or_none()


@dataclass(frozen=True)
class InFlight:
    """What recording a message's result needs of its row, read before the per-message commits
    expire the row (reloading it after each would cost a query a message)."""

    id: int
    kind: str
    attempts: int
    due_at: datetime


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def deliver_due(now: datetime | None = None, only: list[int] | None = None) -> DeliveryReport:
    """Send due rows (all, or `only` these) through the backend; the outbox backend sends none."""
    started, began = now or utcnow(), monotonic()
    backend = mail_backend()
    report = DeliveryReport()
    if backend is None:
        return report
    while True:
        # Each batch at its own moment: a long backlog must not lease rows from when it began,
        # or another worker would take them, as abandoned, while they are still being sent.
        now = started + timedelta(seconds=monotonic() - began)
        batch = claim_due(now, BATCH_SIZE, only)
        if not batch:
            return report
        log.info("claimed", extra={"notification_ids": [row.id for row in batch]})
        sendable = [
            (InFlight(row.id, row.kind, row.attempts, row.due_at), message)
            for row in batch
            if (message := buildable(row, report))
        ]
        db.session.commit()
        results = backend.send([message for _, message in sendable])
        # The backend sends each message only when asked for its result, so each is recorded
        # before the next goes: a crash repeats at most the one in flight.
        with results_recorder() as record:
            for (row, _), result in zip(sendable, results, strict=False):
                record(row, result.outcome, result.detail, now, report)


@contextmanager
def results_recorder() -> Iterator[Callable[..., None]]:
    """Record each message's result in a transaction of its own, one statement each.

    A connection in autocommit mode makes the mark the database's as soon as the statement
    returns. On PostgreSQL it does not wait for the disk either: a delivery process killed next
    loses nothing, and only the database server crashing within its WAL writer's delay (0.2 s by
    default) could lose a mark and repeat those few messages. Waiting for the disk, with a session
    commit each, more than halved the rate (measured: 378 to 157 messages/s with two loops).
    """
    connection = db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    postgres = connection.dialect.name == "postgresql"
    try:
        if postgres:
            connection.exec_driver_sql("SET synchronous_commit TO OFF")

        def record(row, outcome, detail, now, report) -> None:
            connection.execute(RECORD, record_result(row, outcome, detail, now, report))

        yield record
        if postgres:  # the connection goes back to the pool: leave it as it came
            connection.exec_driver_sql("RESET synchronous_commit")
    except BaseException:
        connection.invalidate()  # it may still carry our setting: never reuse it
        raise
    finally:
        connection.close()


def send_queued(now: datetime) -> DeliveryReport:
    """Right after the commit that queued them, try to send just this unit of work's emails.

    The scheduler sends everything else that is due; a web request never works through the backlog.
    """
    queued = db.session.info.pop("queued_notifications", [])
    ids = [row.id for row in queued if row.id is not None]
    return deliver_due(now, only=ids) if ids else DeliveryReport()


def buildable(row: Notification, report: DeliveryReport):
    """Return the row's email, or mark the row failed if it cannot become one (never retried)."""
    try:
        return build_message(row, current_app.config["MAIL_FROM"])
    except (ValueError, TypeError) as error:
        row.status, row.lease_until, row.last_error = (
            NotificationStatus.FAILED,
            None,
            f"cannot build: {type(error).__name__}",
        )
        report.failed.append(row.id)
        log_row(logging.ERROR, "failed", row, error=row.last_error)
        return None


def mail_backend() -> SmtpBackend | None:
    config = current_app.config
    if config["MAIL_BACKEND"] != "smtp":
        return None
    settings = SmtpSettings(
        host=config["SMTP_HOST"],
        port=config["SMTP_PORT"],
        security=config["SMTP_SECURITY"],
        username=config["SMTP_USERNAME"],
        password=config["SMTP_PASSWORD"],
    )
    return SmtpBackend(settings)


def claim_due(now: datetime, limit: int, only: list[int] | None = None) -> list[Notification]:
    """Lease up to `limit` due rows to this worker and commit; rows others hold are skipped.

    PostgreSQL locks the rows it picks, skipping those other workers have locked, so the update
    takes them all. SQLite has no row locks: there the update's own condition decides who wins.
    """
    due = (
        db.select(Notification.id)
        .where(Notification.due_at <= now)
        .where(claimable(now))
        .order_by(Notification.due_at, Notification.id)
        .limit(limit)
    )
    if only is not None:
        due = due.where(Notification.id.in_(only))
    if on_postgresql():
        due = due.with_for_update(skip_locked=True)
    give_up_on_abandoned(now)
    claimed = lease(list(db.session.scalars(due)), now)
    db.session.commit()
    rows = db.session.scalars(db.select(Notification).where(Notification.id.in_(claimed)))
    return sorted(rows, key=lambda row: (row.due_at, row.id))


def give_up_on_abandoned(now: datetime) -> None:
    """Fail rows whose worker died mid-send on their last allowed attempt, rather than loop."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.status == NotificationStatus.SENDING)
        .where(Notification.lease_until < now)
        .where(Notification.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"])
        .values(status=NotificationStatus.FAILED, lease_until=None, last_error="abandoned")
        .execution_options(synchronize_session=False)
    )
    if result.rowcount:
        log.error("abandoned", extra={"count": result.rowcount})


def claimable(now: datetime):
    """Rows waiting to go, and rows whose worker let its lease run out (it probably died)."""
    return or_(
        Notification.status == NotificationStatus.PENDING,
        (Notification.status == NotificationStatus.SENDING) & (Notification.lease_until < now),
    )


def lease(row_ids: list[int], now: datetime) -> list[int]:
    """Lease those of these rows that are still claimable; return the ids leased."""
    statement = (
        update(Notification)
        .where(Notification.id.in_(row_ids))
        .where(claimable(now))
        .values(
            status=NotificationStatus.SENDING,
            lease_until=now + LEASE,
            attempts=Notification.attempts + 1,
        )
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    return list(db.session.scalars(statement))


# One statement for every result, so it is compiled once.
RECORD = (
    update(Notification)
    .where(Notification.id == bindparam("row_id"))
    .values(
        status=bindparam("status"),
        due_at=bindparam("due_at"),
        sent_at=bindparam("sent_at"),
        last_error=bindparam("last_error"),
        lease_until=None,
    )
)


def record_result(
    row: InFlight, outcome: Outcome, detail: str, now: datetime, report: DeliveryReport
) -> dict:
    """Say whether a row is sent, due again later, or failed for good: RECORD's values."""
    values = {"row_id": row.id, "last_error": detail or None, "sent_at": None, "due_at": row.due_at}
    if outcome is Outcome.SENT:
        values |= {"status": NotificationStatus.SENT, "sent_at": now}
        report.sent.append(row.id)
        log_row(logging.INFO, "sent", row)
    elif outcome is Outcome.RETRY and row.attempts < current_app.config["MAIL_MAX_ATTEMPTS"]:
        retry_at = now + retry_delay(row.attempts)
        values |= {"status": NotificationStatus.PENDING, "due_at": retry_at}
        report.retrying.append(row.id)
        log_row(logging.WARNING, "retrying", row, error=detail, retry_at=retry_at.isoformat())
    else:
        values |= {"status": NotificationStatus.FAILED}
        report.failed.append(row.id)
        log_row(logging.ERROR, "failed", row, error=detail)
    return values


def log_row(level: int, event: str, row: Notification | InFlight, **fields) -> None:
    """Log an event of one row: its id, kind and attempt, and no personal data."""
    if log.isEnabledFor(level):
        context = {"notification_id": row.id, "kind": row.kind, "attempt": row.attempts}
        log.log(level, event, extra=context | fields)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff from one minute, capped at six hours, with jitter so retries spread."""
    base = min(60 * 2 ** (attempts - 1), 6 * 3600)
    return timedelta(seconds=base * random.uniform(0.75, 1.25))
