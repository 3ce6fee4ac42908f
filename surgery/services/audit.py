"""The audit log: who changed what, when."""

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


def recent_events(limit: int = 100) -> list[AuditEvent]:
    """Return the newest audit events first."""
    query = db.select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    return list(db.session.scalars(query))
