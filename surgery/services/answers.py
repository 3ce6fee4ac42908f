"""Checks that both intake journeys share: email, place, skills, dates."""

from dataclasses import dataclass
from datetime import date

from email_validator import EmailNotValidError, validate_email

from surgery.extensions import db
from surgery.geo import Place, PostcodeError
from surgery.models import Skill
from surgery.services import places
from surgery.services.errors import InvalidAnswers

# Far enough ahead for a group to plan; further out than this, plans change.
LONGEST_WINDOW_DAYS = 366


@dataclass(frozen=True)
class ContactAnswers:
    name: str
    email: str
    phone: str = ""


def normalise_email(email: str) -> str:
    """Return the address in the one form we store and compare; raise InvalidAnswers if bad."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        message = "Enter an email address in the right format, like name@example.com"
        raise InvalidAnswers({"email": message}) from error
    return checked.normalized.lower()


def place_for(postcode: str) -> Place:
    """Locate a full postcode or district; raise InvalidAnswers carrying the geo message."""
    try:
        return places.locate(postcode)
    except PostcodeError as error:
        raise InvalidAnswers({"postcode": error.message}) from error


def skills_for(skill_ids: tuple[int, ...]) -> list[Skill]:
    """Return the active skills with these ids; raise InvalidAnswers if none is left."""
    query = db.select(Skill).where(Skill.id.in_(skill_ids), Skill.active).order_by(Skill.position)
    skills = list(db.session.scalars(query))
    if not skills or len(skills) != len(set(skill_ids)):
        raise InvalidAnswers({"skills": "Choose at least one thing you would like help with"})
    return skills


def check_window(earliest: date, latest: date, today: date) -> None:
    """Raise InvalidAnswers unless the dates run forwards, from today, within a year."""
    if earliest < today:
        message = "The first date you could come must be today or later"
        raise InvalidAnswers({"earliest_date": message})
    if latest < earliest:
        raise InvalidAnswers(
            {"latest_date": "The last date you could come must be on or after the first date"}
        )
    if (latest - today).days > LONGEST_WINDOW_DAYS:
        message = "The last date you could come must be within a year from today"
        raise InvalidAnswers({"latest_date": message})
