"""Admins record which volunteers have a safeguarding check, for sessions that need one."""

from datetime import datetime

from surgery.extensions import db
from surgery.models import Account, Volunteer, VolunteerStatus
from surgery.services import audit
from surgery.services.answers import normalise_email
from surgery.services.errors import InvalidAnswers


def record_check(admin: Account, email: str, now: datetime) -> Volunteer:
    """Record that the volunteer with this address has a check; raise InvalidAnswers if none."""
    volunteer = db.session.scalar(
        db.select(Volunteer).where(
            Volunteer.email == normalise_email(email),
            Volunteer.status.in_((VolunteerStatus.ACTIVE, VolunteerStatus.WITHDRAWN)),
        )
    )
    if volunteer is None:
        raise InvalidAnswers({"email": "No confirmed volunteer has that email address"})
    volunteer.safeguarding_checked_at = now
    audit.record(admin, "recorded-safeguarding-check", f"volunteer:{volunteer.id}", now)
    db.session.commit()
    return volunteer


def remove_check(admin: Account, volunteer: Volunteer, now: datetime) -> None:
    """The check lapsed or was recorded by mistake: sessions that need one no longer pair them."""
    volunteer.safeguarding_checked_at = None
    audit.record(admin, "removed-safeguarding-check", f"volunteer:{volunteer.id}", now)
    db.session.commit()


def checked_volunteers() -> list[Volunteer]:
    query = (
        db.select(Volunteer)
        .where(
            Volunteer.safeguarding_checked_at.is_not(None),
            Volunteer.status != VolunteerStatus.ERASED,
        )
        .order_by(Volunteer.name)
    )
    return list(db.session.scalars(query))
