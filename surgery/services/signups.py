"""Volunteers sign up to help at sessions, and hosts see who is coming."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import contains_eager, joinedload

from surgery.extensions import db
from surgery.models import (
    Booking,
    BookingStatus,
    HelpRequest,
    Pairing,
    SessionStatus,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)
from surgery.notify import keys, outbox
from surgery.notify.links import link
from surgery.services import finding, pairings, placement, tell
from surgery.services.on_offer import skills_from, skills_on_offer_column
from surgery.services.places import place_of
from surgery.services.settling import settle

LOADS = (1, 2, 3)
# A session that is over is a volunteer's record, kept as it was.
OVER = (SessionStatus.COMPLETED, SessionStatus.CANCELLED)


class SignupRefused(Exception):
    """A sign-up that cannot be made; the message says why."""


def sessions_near_volunteer(volunteer: Volunteer, now: datetime) -> list[finding.Found]:
    """Return upcoming published sessions within the volunteer's travel distance."""
    place = place_of(volunteer)
    return finding.find_sessions(place, volunteer.travel_km, now, page_size=None).results


def signups_of(volunteer: Volunteer) -> dict[int, Signup]:
    """Return the volunteer's active sign-ups, by session id."""
    query = db.select(Signup).where(
        Signup.volunteer_id == volunteer.id, Signup.status == SignupStatus.ACTIVE
    )
    return {signup.session_id: signup for signup in db.session.scalars(query)}


def sign_up(volunteer: Volunteer, surgery_session: SurgerySession, load: int, now) -> Signup:
    """Sign a volunteer up to help `load` groups at a session (again, if they had withdrawn)."""
    if volunteer.status is not VolunteerStatus.ACTIVE:
        raise SignupRefused("Confirm your email address, or resume volunteering, first.")
    if surgery_session.status is not SessionStatus.PUBLISHED or surgery_session.starts_at <= now:
        raise SignupRefused("That session is no longer taking volunteers.")
    if load not in LOADS:
        raise SignupRefused("Choose to help 1, 2 or 3 groups.")
    signup = db.session.scalar(
        db.select(Signup).filter_by(session_id=surgery_session.id, volunteer_id=volunteer.id)
    ) or Signup(session_id=surgery_session.id, volunteer_id=volunteer.id, created_at=now)
    newly = signup.status is not SignupStatus.ACTIVE
    signup.load, signup.status = load, SignupStatus.ACTIVE
    db.session.add(signup)
    db.session.flush()
    if newly:
        tell.volunteer_signed_up(signup, now)
    db.session.commit()
    outbox.send_queued(now)
    return signup


@dataclass(frozen=True)
class Helping:
    """A session still ahead that a volunteer is signed up to, with the pairings agreed there."""

    signup: Signup
    agreed: list[Pairing]


def helping_ahead(volunteer: Volunteer, now: datetime) -> list[Helping]:
    """Return the volunteer's sign-ups to sessions still ahead, soonest first, each with the
    groups agreed with them there (what a volunteer may see: not the proposals)."""
    query = (
        db.select(Signup)
        .join(Signup.surgery_session)
        .where(
            Signup.volunteer_id == volunteer.id,
            Signup.status == SignupStatus.ACTIVE,
            SurgerySession.status.not_in(OVER),
            SurgerySession.ends_at > now,
        )
        .order_by(SurgerySession.starts_at, Signup.session_id)
        .options(contains_eager(Signup.surgery_session).lazyload(SurgerySession.hosts))
    )
    ahead = list(db.session.scalars(query))
    agreed = pairings.agreed_for_signups([signup.id for signup in ahead])
    return [Helping(signup, agreed.get(signup.id, [])) for signup in ahead]


def paired_groups(signup: Signup) -> list[HelpRequest]:
    """The groups agreed with this volunteer at the session: those told if they stop helping."""
    return [pairing.help_request for pairing in pairings.agreed_for_signup(signup.id)]


def still_ahead(signup: Signup, now: datetime) -> bool:
    """Whether the session has yet to end: what is over is the volunteer's record, kept as it
    was (the sessions they gave, the groups they helped)."""
    surgery_session = signup.surgery_session
    return surgery_session.status not in OVER and surgery_session.ends_at > now


def withdraw_signup(signup: Signup, now: datetime) -> None:
    """Stop helping at a session; the groups paired with this volunteer are told, keep their
    tables and are paired again, and the session's hosts are told who stopped. Raise
    SignupRefused once the session is over."""
    if not still_ahead(signup, now):
        raise SignupRefused("That session is over: it stays on your record of sessions you gave.")
    groups = paired_groups(signup)
    end_signups([signup], now)
    tell_hosts_withdrew(signup, groups, now)
    db.session.commit()
    outbox.send_queued(now)


def tell_hosts_withdrew(signup: Signup, groups: list[HelpRequest], now: datetime) -> None:
    """Queue a message to each host of a session still ahead: who stopped, and their groups."""
    surgery_session = signup.surgery_session
    if surgery_session.status is not SessionStatus.PUBLISHED or surgery_session.starts_at <= now:
        return
    volunteer = signup.volunteer
    for host in surgery_session.hosts:
        outbox.queue_email(
            outbox.Envelope(host.email, session_id=surgery_session.id),
            # The moment tells one withdrawal from the next, after signing up again.
            key=keys.volunteer_withdrew(signup.id, now, host.id),
            template="volunteer_withdrew",
            subject=f"{volunteer.name} can no longer help at {surgery_session.title}",
            due_at=now,
            host=host,
            volunteer=volunteer,
            surgery_session=surgery_session,
            groups=groups,
            host_url=link("host-session", session_id=surgery_session.id),
        )


def withdraw_all_signups(volunteer: Volunteer, now: datetime) -> None:
    """Stop a volunteer helping at every session still ahead (they are leaving); the caller
    commits."""
    end_signups([s for s in signups_of(volunteer).values() if still_ahead(s, now)], now)


def end_signups(ended: list[Signup], now: datetime) -> None:
    for signup in ended:
        signup.status = SignupStatus.WITHDRAWN
    settle(placement.volunteer_leaves([signup.id for signup in ended]), now)


@dataclass(frozen=True)
class WhoIsComing:
    volunteers: list[Signup]
    booked: list[Booking]
    waiting: list[Booking]


def who_is_coming(surgery_session: SurgerySession) -> WhoIsComing:
    """Return the volunteers signed up and the groups booked or waiting, for the host."""
    volunteers = db.session.scalars(
        db.select(Signup)
        .where(Signup.session_id == surgery_session.id, Signup.status == SignupStatus.ACTIVE)
        .order_by(Signup.created_at, Signup.id)
        # The host's page names each volunteer and their skills: loaded together, in one query.
        .options(joinedload(Signup.volunteer).joinedload(Volunteer.skills))
    ).unique().all()
    bookings = db.session.scalars(
        db.select(Booking)
        .where(Booking.session_id == surgery_session.id)
        .order_by(Booking.joined_at, Booking.id)
        .options(
            joinedload(Booking.help_request).joinedload(HelpRequest.asker),
            joinedload(Booking.help_request).joinedload(HelpRequest.skills),
            joinedload(Booking.outcome),
        )
    ).unique().all()
    return WhoIsComing(
        volunteers=list(volunteers),
        booked=[b for b in bookings if b.status is BookingStatus.BOOKED],
        waiting=[b for b in bookings if b.status is BookingStatus.WAITING],
    )


def skills_on_offer(surgery_session: SurgerySession) -> list[str]:
    """The skills of the volunteers signed up, in the skill list's order."""
    return skills_on_offer_at([surgery_session.id])[surgery_session.id]


def skills_on_offer_at(session_ids: Iterable[int]) -> dict[int, list[str]]:
    """The skills of the volunteers signed up at each of these sessions, in the skill list's
    order: one query for them all, however many sessions and volunteers."""
    ids = list(session_ids)
    offered: dict[int, list[str]] = {session_id: [] for session_id in ids}
    if not ids:
        return offered
    query = db.select(SurgerySession.id, skills_on_offer_column()).where(
        SurgerySession.id.in_(ids)
    )
    for session_id, folded in db.session.execute(query):
        offered[session_id] = skills_from(folded)
    return offered
