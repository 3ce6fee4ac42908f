"""A volunteer offers time: submit, confirm, change, pause, resume."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update

from surgery.extensions import db
from surgery.geo import Place
from surgery.models import Signup, SignupStatus, Volunteer, VolunteerStatus
from surgery.notify import keys, outbox
from surgery.services.answers import ContactAnswers, normalise_email, place_for, skills_for
from surgery.services.tokens import confirm_url, manage_url
from surgery.vocabulary import Availability, Level


@dataclass(frozen=True)
class OfferDetails:
    postcode: str
    skill_ids: tuple[int, ...]
    levels: tuple[Level, ...]
    travel_km: int
    availability: tuple[Availability, ...]
    bio: str = ""


def submit_volunteer_offer(contact: ContactAnswers, details: OfferDetails, now: datetime) -> None:
    """Store an unconfirmed offer and email a confirmation link; raise InvalidAnswers.

    An address we already know gets its manage link instead: the screen says the same either way,
    so nobody learns from it whether someone volunteers with us. An offer never confirmed is not
    in use yet: the new answers replace it, and a new link (at most one an hour) confirms them.
    """
    email = normalise_email(contact.email)
    place, skills = place_for(details.postcode), skills_for(details.skill_ids)
    volunteer = db.session.scalar(db.select(Volunteer).where(Volunteer.email == email))
    if volunteer is None:
        volunteer = Volunteer(name=contact.name.strip(), email=email, created_at=now)
        apply_offer(volunteer, details, place, skills)
        db.session.add(volunteer)
        db.session.flush()
        queue_confirmation(volunteer, now)
    elif volunteer.status is VolunteerStatus.UNCONFIRMED:
        volunteer.name = contact.name.strip()
        apply_offer(volunteer, details, place, skills)
        # Made anew: the 7 days before an unconfirmed offer is deleted start again.
        volunteer.created_at = now
        queue_confirmation(volunteer, now, again=True)
    else:
        send_manage_link(volunteer, now, reason="offered-again")
    db.session.commit()
    outbox.send_queued(now)


def apply_offer(volunteer: Volunteer, details: OfferDetails, place: Place, skills: list) -> None:
    """Copy a checked offer onto the volunteer."""
    volunteer.skills = skills
    volunteer.move_to(place)
    volunteer.levels = sorted(int(level) for level in details.levels)
    volunteer.travel_km = details.travel_km
    volunteer.availability = [str(choice) for choice in details.availability]
    volunteer.bio = details.bio


def queue_confirmation(volunteer: Volunteer, now: datetime, again: bool = False) -> None:
    if again:
        key = keys.confirm_volunteer_again(volunteer.id, now)
    else:
        key = keys.confirm_volunteer(volunteer.id)
    outbox.queue_email(
        outbox.Envelope(volunteer.email),
        key=key,
        template="confirm_volunteer",
        subject="Confirm your email address to start volunteering",
        due_at=now,
        volunteer=volunteer,
        confirm_url=confirm_url("volunteer", volunteer.id),
        manage_url=manage_url(volunteer),
        again=again,
    )


def send_manage_link(volunteer: Volunteer, now: datetime, reason: str) -> None:
    """Queue the volunteer's manage link; at most one an hour, so nobody can flood an inbox."""
    outbox.queue_email(
        outbox.Envelope(volunteer.email),
        key=keys.volunteer_link(reason, volunteer.id, now),
        template="volunteer_link",
        subject="Your link to manage your volunteering",
        due_at=now,
        volunteer=volunteer,
        reason=reason,
        manage_url=manage_url(volunteer),
    )


def confirm_volunteer(volunteer: Volunteer, now: datetime) -> Volunteer:
    """Start matching a volunteer once their address is confirmed."""
    volunteer.confirm(now)
    db.session.commit()
    return volunteer


def update_volunteer(volunteer: Volunteer, name: str, details: OfferDetails, now: datetime) -> None:
    """Change what a volunteer offers; raise InvalidAnswers."""
    place, skills = place_for(details.postcode), skills_for(details.skill_ids)
    skills_before = {skill.id for skill in volunteer.skills}
    apply_offer(volunteer, details, place, skills)
    volunteer.name = name.strip()
    if {skill.id for skill in skills} != skills_before:
        # The skills on offer where they signed up changed: so did those sessions' public lists.
        db.session.execute(
            update(Signup)
            .where(Signup.volunteer_id == volunteer.id, Signup.status == SignupStatus.ACTIVE)
            .values(updated_at=now)
        )
    db.session.commit()


def pause_volunteering(volunteer: Volunteer, now: datetime) -> None:
    """Stop offering help for now."""
    volunteer.withdraw(now)
    db.session.commit()


def resume_volunteering(volunteer: Volunteer) -> None:
    """Offer help again."""
    volunteer.resume()
    db.session.commit()
