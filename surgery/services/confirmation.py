"""Confirming an email address: the step that lets a request or offer be matched."""

from datetime import datetime

from surgery.extensions import db
from surgery.models import Asker, HelpRequest, Volunteer
from surgery.services.asking import confirm_help_request
from surgery.services.offering import confirm_volunteer
from surgery.services.tokens import LinkNotValid, read_confirmation_token

SUBJECTS = {"request": HelpRequest, "volunteer": Volunteer}


def confirmation_subject(token: str) -> HelpRequest | Volunteer:
    """Return what a confirmation link confirms, changing nothing; raise LinkNotValid/Expired."""
    subject, subject_id = read_confirmation_token(token)
    model = SUBJECTS.get(subject)
    found = db.session.get(model, subject_id) if model else None
    person = found.asker if isinstance(found, HelpRequest) else found
    if found is None or person.erased_at is not None:
        raise LinkNotValid
    return found


def confirm_email(token: str, now: datetime) -> Asker | Volunteer | None:
    """Confirm the address behind a link and return the person, or None if it was already done.

    Only the first use leads on to the private page: an old confirmation email must not become a
    way round a manage link the person has since replaced.
    """
    subject = confirmation_subject(token)
    if not is_unconfirmed(subject):
        return None
    if isinstance(subject, HelpRequest):
        return confirm_help_request(subject, now)
    return confirm_volunteer(subject, now)


def is_unconfirmed(subject: HelpRequest | Volunteer) -> bool:
    return subject.status.value == "unconfirmed"
