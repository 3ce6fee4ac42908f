"""A host invites volunteers near groups that are waiting (services/where_next.py finds them)
to help at a session: one email per volunteer per session, ever."""

from dataclasses import dataclass
from datetime import datetime

from surgery.extensions import db
from surgery.geo import GridPoint
from surgery.models import (
    Account,
    Notification,
    SessionStatus,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)
from surgery.notify import keys, outbox
from surgery.notify.links import link
from surgery.services import audit, finding
from surgery.services.digests import hosted_sessions
from surgery.services.recipients import session_url
from surgery.services.tokens import manage_token, manage_url, unsubscribe_url
from surgery.services.where_next import District

# An admin chooses among the upcoming sessions nearest the district, not the whole network's.
ADMIN_SESSION_CHOICES = 20


def session_choices(account: Account, district: District, now: datetime) -> list[SurgerySession]:
    """Sessions this account may invite to: a host's own upcoming published ones; for an admin,
    the upcoming published sessions nearest the district."""
    if not account.is_admin:
        return hosted_sessions(account, now)
    query = db.select(SurgerySession).where(
        SurgerySession.status == SessionStatus.PUBLISHED, SurgerySession.starts_at > now
    )
    nearest = sorted(
        db.session.scalars(query),
        key=lambda s: (finding.distance_from(district.point, s), s.id),
    )
    return nearest[:ADMIN_SESSION_CHOICES]


def invited_already(volunteer_ids, session_ids) -> set[tuple[int, int]]:
    """(volunteer, session) pairs an invitation was queued for."""
    wanted = {keys.volunteer_invited(v, s): (v, s) for v in volunteer_ids for s in session_ids}
    found = db.session.scalars(db.select(Notification.key).where(Notification.key.in_(wanted)))
    return {wanted[key] for key in found}


class InviteRefused(Exception):
    """An invitation that cannot be sent at all; the message says why."""


@dataclass
class Invitations:
    """What inviting did, by volunteer first name: so the page can say it."""

    invited: list[str]
    already: list[str]  # invited to this session before: nothing new was queued
    helping: list[str]  # already signed up there
    too_far: list[str]  # the session is beyond how far they travel: their page would not show it
    gone: list[str]  # since the page was drawn: paused, erased, or asked not to be invited


def invite(
    host: Account, surgery_session: SurgerySession, volunteer_ids: list[int], now: datetime
) -> Invitations:
    """Queue one invitation per volunteer to help at the session, never twice for the same
    session; raise InviteRefused if the session is not upcoming and published."""
    if surgery_session.status is not SessionStatus.PUBLISHED or surgery_session.starts_at <= now:
        raise InviteRefused("That session is no longer taking volunteers.")
    done = Invitations([], [], [], [], [])
    helping = signed_up_at(surgery_session)
    for volunteer in volunteers(volunteer_ids):
        if (
            volunteer.status is not VolunteerStatus.ACTIVE
            or volunteer.email is None
            or volunteer.unsubscribed_at is not None
        ):
            done.gone.append(volunteer.first_name or "A volunteer")
        elif volunteer.id in helping:
            done.helping.append(volunteer.first_name)
        elif finding.distance_from(place(volunteer), surgery_session) > volunteer.travel_km:
            done.too_far.append(volunteer.first_name)
        elif queue_invitation(host, volunteer, surgery_session, now):
            done.invited.append(volunteer.first_name)
        else:
            done.already.append(volunteer.first_name)
    if done.invited:
        detail = f"{len(done.invited)} volunteer(s) emailed"
        audit.record(host, "invited-volunteers", f"session:{surgery_session.id}", now, detail)
    db.session.commit()
    outbox.send_queued(now)
    return done


def volunteers(volunteer_ids: list[int]) -> list[Volunteer]:
    query = db.select(Volunteer).where(Volunteer.id.in_(volunteer_ids)).order_by(Volunteer.id)
    return list(db.session.scalars(query))


def place(volunteer: Volunteer) -> GridPoint:
    return GridPoint(volunteer.easting, volunteer.northing)


def signed_up_at(surgery_session: SurgerySession) -> set[int]:
    query = db.select(Signup.volunteer_id).where(
        Signup.session_id == surgery_session.id, Signup.status == SignupStatus.ACTIVE
    )
    return set(db.session.scalars(query))


def queue_invitation(
    host: Account, volunteer: Volunteer, surgery_session: SurgerySession, now: datetime
) -> bool:
    """Queue the invitation; False if this volunteer was invited to this session before."""
    token = manage_token(volunteer)
    queued = outbox.queue_email(
        outbox.Envelope(
            volunteer.email,
            session_id=surgery_session.id,
            unsubscribe_url=unsubscribe_url(volunteer),
        ),
        key=keys.volunteer_invited(volunteer.id, surgery_session.id),
        template="volunteer_invited",
        subject=f"Could you help at {surgery_session.title}?",
        due_at=now,
        volunteer=volunteer,
        host=host,
        surgery_session=surgery_session,
        session_url=session_url(surgery_session),
        sign_up_url=f"{link('volunteer-sessions', token=token)}#session-{surgery_session.id}",
        manage_url=manage_url(volunteer),
    )
    return queued is not None
