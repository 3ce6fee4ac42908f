"""The outbox: queue an email as a row in the caller's transaction, then deliver due rows."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, update

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Notification, NotificationStatus
from surgery.notify.backends import Outcome, SmtpBackend, SmtpSettings
from surgery.notify.messages import build_message, render_email

BATCH_SIZE = 50
# Longer than a whole batch can take (50 messages at a 20-second SMTP timeout each), so another
# worker never takes a row that is still being sent.
LEASE = timedelta(minutes=20)


def queue_email(
    *,
    key: str,
    recipient: str,
    template: str,
    subject: str,
    due_at: datetime,
    calendar: bytes | None = None,
    **context,
) -> Notification | None:
    """Add an outbox row for this key unless one exists; the caller's commit makes it real."""
    if db.session.scalar(db.select(Notification.id).where(Notification.key == key)):
        return None
    rendered = render_email(template, subject, **context)
    notification = Notification(
        key=key,
        kind=template,
        recipient=recipient,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        calendar=calendar.decode() if calendar else None,
        due_at=due_at,
    )
    db.session.add(notification)
    db.session.info.setdefault("queued_notifications", []).append(notification)
    return notification


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def deliver_due(now: datetime | None = None, only: list[int] | None = None) -> DeliveryReport:
    """Send due rows (all, or `only` these) through the backend; the outbox backend sends none."""
    now = now or utcnow()
    backend = mail_backend()
    report = DeliveryReport()
    if backend is None:
        return report
    while batch := claim_due(now, BATCH_SIZE, only):
        sendable = [(row, message) for row in batch if (message := buildable(row, report))]
        results = backend.send([message for _, message in sendable])
        for (row, _), result in zip(sendable, results, strict=False):
            record_result(row, result.outcome, result.detail, now, report)
        db.session.commit()
    return report


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
    """Lease up to `limit` due rows to this worker; a row another worker holds is skipped."""
    due = (
        db.select(Notification.id)
        .where(Notification.due_at <= now)
        .where(claimable(now))
        .order_by(Notification.due_at, Notification.id)
        .limit(limit)
    )
    if only is not None:
        due = due.where(Notification.id.in_(only))
    give_up_on_abandoned(now)
    claimed = [row_id for row_id in db.session.scalars(due) if lease(row_id, now)]
    db.session.commit()
    rows = db.session.scalars(db.select(Notification).where(Notification.id.in_(claimed)))
    return sorted(rows, key=lambda row: (row.due_at, row.id))


def give_up_on_abandoned(now: datetime) -> None:
    """Fail rows whose worker died mid-send on their last allowed attempt, rather than loop."""
    db.session.execute(
        update(Notification)
        .where(Notification.status == NotificationStatus.SENDING)
        .where(Notification.lease_until < now)
        .where(Notification.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"])
        .values(status=NotificationStatus.FAILED, lease_until=None, last_error="abandoned")
        .execution_options(synchronize_session=False)
    )


def claimable(now: datetime):
    """Rows waiting to go, and rows whose worker let its lease run out (it probably died)."""
    return or_(
        Notification.status == NotificationStatus.PENDING,
        (Notification.status == NotificationStatus.SENDING) & (Notification.lease_until < now),
    )


def lease(row_id: int, now: datetime) -> bool:
    """Take one row with a conditional update, so two workers can never both take it."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.id == row_id)
        .where(claimable(now))
        .values(
            status=NotificationStatus.SENDING,
            lease_until=now + LEASE,
            attempts=Notification.attempts + 1,
        )
    )
    return result.rowcount == 1


def record_result(
    row: Notification, outcome: Outcome, detail: str, now: datetime, report: DeliveryReport
) -> None:
    """Mark a row sent, due again later, or failed for good."""
    row.lease_until = None
    row.last_error = detail or None
    if outcome is Outcome.SENT:
        row.status, row.sent_at = NotificationStatus.SENT, now
        report.sent.append(row.id)
    elif outcome is Outcome.RETRY and row.attempts < current_app.config["MAIL_MAX_ATTEMPTS"]:
        row.status, row.due_at = NotificationStatus.PENDING, now + retry_delay(row.attempts)
        report.retrying.append(row.id)
    else:
        row.status = NotificationStatus.FAILED
        report.failed.append(row.id)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff from one minute, capped at six hours, with jitter so retries spread."""
    base = min(60 * 2 ** (attempts - 1), 6 * 3600)
    return timedelta(seconds=base * random.uniform(0.75, 1.25))


def outbox_page(limit: int = 200) -> list[Notification]:
    """Return the newest outbox rows first."""
    query = db.select(Notification).order_by(Notification.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def outbox_row(notification_id: int) -> Notification | None:
    """Return one outbox row, if there is one."""
    return db.session.get(Notification, notification_id)
