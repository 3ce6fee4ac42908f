"""What we hold about a person: give it to them, erase it, revoke their links, drop the stale."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete

from surgery.extensions import db
from surgery.models import (
    Asker,
    Booking,
    FollowUp,
    FormDraft,
    HelpRequest,
    Notification,
    RequestStatus,
    Signup,
    Volunteer,
    VolunteerStatus,
)
from surgery.notify import keys, outbox
from surgery.services import erasure, placement
from surgery.services.answers import place_for
from surgery.services.settling import settle
from surgery.services.signups import withdraw_all_signups
from surgery.services.tokens import manage_token, manage_url

UNCONFIRMED_LIFETIME = timedelta(days=7)
DRAFT_LIFETIME = timedelta(days=2)


def export_personal_data(person: Asker | Volunteer) -> dict:
    """Return everything held about a person, as plain JSON-ready data."""
    data = {
        "name": person.name,
        "email": person.email,
        "created_at": person.created_at.isoformat(),
        "confirmed_at": person.confirmed_at and person.confirmed_at.isoformat(),
        "emails_sent_to_you": [email_record(row) for row in emails_to(person.email)],
    }
    if isinstance(person, Asker):
        data |= {"phone": person.phone, "requests": [request_record(r) for r in person.requests]}
    else:
        data |= {"offer": offer_record(person)}
    return data


def request_record(help_request: HelpRequest) -> dict:
    return {
        "status": help_request.status.value,
        "organisation": help_request.organisation_name,
        "organisation_kind": help_request.organisation_kind.value,
        "postcode": help_request.postcode,
        "skills": [skill.name for skill in help_request.skills],
        "level": help_request.level,
        "goal": help_request.goal,
        "travel_km": help_request.travel_km,
        "earliest_date": help_request.earliest_date.isoformat(),
        "latest_date": help_request.latest_date.isoformat(),
        "availability": help_request.availability,
        "access_needs": help_request.access_needs,
        "access_notes": help_request.access_notes,
        "consent_follow_up": help_request.consent_follow_up,
        "consent_share_story": help_request.consent_share_story,
        "created_at": help_request.created_at.isoformat(),
        "places_at_sessions": [place_record(held) for held in bookings_of(help_request)],
        "follow_up_answers": [answer_record(answer) for answer in answers_of(help_request)],
    }


def bookings_of(help_request: HelpRequest) -> list[Booking]:
    query = db.select(Booking).where(Booking.help_request_id == help_request.id)
    return list(db.session.scalars(query.order_by(Booking.id)))


def place_record(held: Booking) -> dict:
    outcome = held.outcome
    return {
        "session": held.surgery_session.title,
        "starts_at": held.surgery_session.starts_at.isoformat(),
        "status": held.status.value,
        "came": outcome and outcome.attended,
        "host_note": outcome and outcome.note,
    }


def answers_of(help_request: HelpRequest) -> list[FollowUp]:
    query = db.select(FollowUp).where(FollowUp.help_request_id == help_request.id)
    return list(db.session.scalars(query.order_by(FollowUp.id)))


def answer_record(answer: FollowUp) -> dict:
    return {
        "asked": answer.kind.value,
        "got_going": answer.got_going and answer.got_going.value,
        "change_scale": answer.change_scale,
        "line": answer.line,
        "story": answer.story,
        "may_share_story": answer.may_share_story,
        "answered_at": answer.answered_at.isoformat(),
    }


def offer_record(volunteer: Volunteer) -> dict:
    return {
        "status": volunteer.status.value,
        "postcode": volunteer.postcode,
        "skills": [skill.name for skill in volunteer.skills],
        "levels": volunteer.levels,
        "travel_km": volunteer.travel_km,
        "availability": volunteer.availability,
        "bio": volunteer.bio,
        "safeguarding_check_recorded_at": volunteer.safeguarding_checked_at
        and volunteer.safeguarding_checked_at.isoformat(),
        "signed_up_to": [signup_record(signup) for signup in signups_of_anyone(volunteer)],
    }


def signups_of_anyone(volunteer: Volunteer) -> list[Signup]:
    query = db.select(Signup).where(Signup.volunteer_id == volunteer.id).order_by(Signup.id)
    return list(db.session.scalars(query))


def signup_record(signup: Signup) -> dict:
    return {
        "session": signup.surgery_session.title,
        "starts_at": signup.surgery_session.starts_at.isoformat(),
        "groups_you_could_help": signup.load,
        "status": signup.status.value,
    }


def email_record(row: Notification) -> dict:
    return {
        "subject": row.subject,
        "status": row.status.value,
        "created_at": row.created_at.isoformat(),
        "sent_at": row.sent_at and row.sent_at.isoformat(),
        "text": row.body_text,
    }


def emails_to(email: str | None) -> list[Notification]:
    query = db.select(Notification).where(Notification.recipient == email).order_by(Notification.id)
    return list(db.session.scalars(query))


def erase_person(person: Asker | Volunteer, now: datetime) -> None:
    """Erase a person's details, every text they wrote and every text naming them, at once;
    keep anonymous counts (district, skills, level, whether a group came, its scores)."""
    traces = erasure.traces_of(person)
    erasure.redact_mentions(traces)
    person.name = person.email = None
    person.erased_at = now
    person.rotate_manage_secret()
    if isinstance(person, Asker):
        person.phone = None
        for help_request in person.requests:
            erase_request(help_request, now)
        erasure.erase_group_writings([r.id for r in person.requests])
    else:
        person.status, person.bio = VolunteerStatus.ERASED, ""
        person.safeguarding_checked_at = None
        withdraw_all_signups(person, now)
        person.move_to(place_for(person.district))
    erasure.erase_traces(traces, now)
    db.session.commit()
    outbox.send_queued(now)


def erase_request(help_request: HelpRequest, now: datetime) -> None:
    settle(placement.erase(help_request, now), now)
    help_request.organisation_name = help_request.goal = help_request.access_notes = ""
    help_request.move_to(place_for(help_request.district))


def rotate_manage_link(person: Asker | Volunteer, now: datetime) -> None:
    """Revoke every manage link sent so far and email the person a new one."""
    person.rotate_manage_secret()
    outbox.queue_email(
        outbox.Envelope(person.email),
        key=keys.new_manage_link(manage_token(person)),
        template="new_manage_link",
        subject="Your new private link",
        due_at=now,
        person=person,
        manage_url=manage_url(person),
    )
    db.session.commit()
    outbox.send_queued(now)


@dataclass(frozen=True)
class PurgeReport:
    requests: int
    askers: int
    volunteers: int
    drafts: int


def purge_unconfirmed(now: datetime) -> PurgeReport:
    """Delete requests and offers never confirmed within 7 days, their emails, and old drafts."""
    cutoff = now - UNCONFIRMED_LIFETIME
    request_ids = ids_of(
        db.select(HelpRequest.id).where(
            HelpRequest.status == RequestStatus.UNCONFIRMED, HelpRequest.created_at < cutoff
        )
    )
    volunteers = db.session.scalars(
        db.select(Volunteer).where(
            Volunteer.status == VolunteerStatus.UNCONFIRMED, Volunteer.created_at < cutoff
        )
    ).all()
    # Their confirmation emails go too: nothing about them is kept, and a later row that reuses
    # an id (SQLite does) must not find its confirmation key already taken.
    keys = [f"confirm-request:{i}" for i in request_ids] + [
        f"confirm-volunteer:{v.id}" for v in volunteers
    ]
    db.session.execute(delete(Notification).where(Notification.key.in_(keys)))
    db.session.execute(delete(HelpRequest).where(HelpRequest.id.in_(request_ids)))
    askers = purge_never_confirmed_askers(cutoff)
    for volunteer in volunteers:
        db.session.execute(delete(Notification).where(Notification.recipient == volunteer.email))
        db.session.delete(volunteer)
    drafts = db.session.execute(
        delete(FormDraft).where(FormDraft.updated_at < now - DRAFT_LIFETIME)
    ).rowcount
    db.session.commit()
    return PurgeReport(len(request_ids), askers, len(volunteers), drafts)


def ids_of(query) -> list[int]:
    return list(db.session.scalars(query))


def purge_never_confirmed_askers(cutoff: datetime) -> int:
    """Delete askers who never confirmed and have no request left, with their emails."""
    has_request = db.select(HelpRequest.id).where(HelpRequest.asker_id == Asker.id).exists()
    askers = db.session.scalars(
        db.select(Asker).where(
            Asker.confirmed_at.is_(None), Asker.created_at < cutoff, ~has_request
        )
    ).all()
    for asker in askers:
        db.session.execute(delete(Notification).where(Notification.recipient == asker.email))
        db.session.delete(asker)
    return len(askers)
