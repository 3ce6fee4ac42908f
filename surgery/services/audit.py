"""The audit log: who changed what, when."""

from dataclasses import dataclass
from datetime import datetime

from surgery.extensions import db
from surgery.models import Account, AuditEvent


def record(
    actor: Account | None, action: str, subject: str, now: datetime, detail: str = ""
) -> None:
    """Add an audit event to the caller's transaction; never personal data in `detail`."""
    db.session.add(
        AuditEvent(
            account_id=actor.id if actor else None,
            action=action,
            subject=subject,
            detail=detail[:500],
            at=now,
        )
    )


@dataclass(frozen=True)
class AuditLine:
    """An audit event as an admin reads it: who by name, not by account number."""

    at: datetime
    who: str
    action: str
    subject: str
    detail: str


def recent_events(limit: int = 100) -> list[AuditLine]:
    """Return the newest audit events first, each with the name of the account that acted."""
    query = (
        db.select(AuditEvent, Account.name)
        .outerjoin(Account, Account.id == AuditEvent.account_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return [
        # No account: someone not signed in (applying to host), or the service's own jobs.
        AuditLine(event.at, name or "No account", event.action, event.subject, event.detail)
        for event, name in db.session.execute(query)
    ]
