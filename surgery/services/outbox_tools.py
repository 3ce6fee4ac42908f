"""The outbox as operators see it: the development mail page, the status and failed rows an admin
sees, and a retry that is audited."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func

from surgery.extensions import db
from surgery.models import Account, Notification, NotificationStatus
from surgery.notify.outbox import claimable, deliver_due, log_row
from surgery.services import audit


def outbox_page(limit: int = 200) -> list[Notification]:
    """Return the newest outbox rows first."""
    query = db.select(Notification).order_by(Notification.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def outbox_row(notification_id: int) -> Notification | None:
    """Return one outbox row, if there is one."""
    return db.session.get(Notification, notification_id)


@dataclass(frozen=True)
class OutboxStatus:
    counts: dict[NotificationStatus, int]
    due: int  # rows the next delivery would take
    oldest_due_at: datetime | None


def outbox_status(now: datetime) -> OutboxStatus:
    """Count the rows in each state, and the due ones with the oldest due time among them."""
    by_status = db.select(Notification.status, func.count()).group_by(Notification.status)
    counts = dict(db.session.execute(by_status).tuples().all())
    due = db.select(func.count(), func.min(Notification.due_at)).where(
        Notification.due_at <= now, claimable(now)
    )
    due_count, oldest_due_at = db.session.execute(due).one()
    counts = {status: counts.get(status, 0) for status in NotificationStatus}
    return OutboxStatus(counts, due_count, oldest_due_at)


def failed_rows(limit: int = 200) -> list[Notification]:
    """Return the rows that failed for good, the most recent first."""
    query = (
        db.select(Notification)
        .where(Notification.status == NotificationStatus.FAILED)
        .order_by(Notification.due_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def retry_failed(actor: Account | None, row: Notification, now: datetime) -> Notification:
    """Make a failed row due now with its attempts counted afresh, and try to send it once.

    Raise ValueError if the row has not failed.
    """
    if row.status is not NotificationStatus.FAILED:
        raise ValueError(f"notification {row.id} is {row.status.value}, not failed")
    row.status, row.due_at, row.attempts, row.lease_until = NotificationStatus.PENDING, now, 0, None
    audit.record(actor, "retried-email", f"notification:{row.id}", now)
    db.session.commit()
    log_row(logging.INFO, "retry requested", row)
    deliver_due(now, only=[row.id])
    return row


def after_retry(row: Notification) -> str:
    """Say, for an operator, where a retried row stands."""
    if row.status is NotificationStatus.SENT:
        return "sent."
    if row.status is NotificationStatus.FAILED:
        return f"failed again ({row.last_error})."
    if row.attempts == 0:
        return "queued; it goes with the next delivery."
    return f"not sent yet ({row.last_error}); next try at {row.due_at:%Y-%m-%d %H:%M} UTC."
