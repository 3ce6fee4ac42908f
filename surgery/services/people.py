"""Who uses an email address with us: a group's contact, a volunteer, or one person as both."""

from typing import NamedTuple

from surgery.extensions import db
from surgery.models import Asker, Volunteer
from surgery.services.answers import normalise_email
from surgery.services.errors import InvalidAnswers


class PeopleAt(NamedTuple):
    email: str
    asker: Asker | None
    volunteer: Volunteer | None


def people_at(email: str) -> PeopleAt | None:
    """The group contact and the volunteer at this address (normalised first), either of them
    None; None for text that cannot be an address."""
    try:
        email = normalise_email(email)
    except InvalidAnswers:
        return None
    return PeopleAt(
        email,
        db.session.scalar(db.select(Asker).where(Asker.email == email)),
        db.session.scalar(db.select(Volunteer).where(Volunteer.email == email)),
    )
