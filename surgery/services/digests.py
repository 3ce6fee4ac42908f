"""The hosts' daily digest: what is new near their sessions, once a day, only when something is."""

from datetime import datetime, timedelta

from flask import current_app

from surgery.clock import LONDON
from surgery.extensions import db
from surgery.geo import GridPoint, distance_km
from surgery.models import (
    Account,
    AccountStatus,
    HelpRequest,
    RequestStatus,
    Role,
    SessionStatus,
    Signup,
    SignupStatus,
    SurgerySession,
)
from surgery.models.sessions import session_hosts
from surgery.services import reminders
from surgery.services.isolation import each_alone

# The digest goes once a day, from this hour (UK time).
DIGEST_HOUR = 7


def send_digests(now: datetime) -> int:
    """Once a day, tell each host what is new near their sessions; only when something is."""
    local = now.astimezone(LONDON)
    if local.hour < DIGEST_HOUR:
        return 0
    since = now - timedelta(days=1)
    radius = current_app.config["DIGEST_RADIUS_KM"]
    hosts = db.select(Account).where(
        Account.role == Role.HOST,
        Account.status == AccountStatus.APPROVED,
        Account.digest_unsubscribed_at.is_(None),
    )
    sent = 0

    def digest(host: Account) -> None:
        nonlocal sent
        upcoming = hosted_sessions(host, now)
        if not upcoming:
            return
        requests = new_requests_near(upcoming, since, now, radius)
        signups = new_signups_at(upcoming, since)
        if requests or signups:
            sent += reminders.host_digest(host, requests, signups, local.date(), now)

    # Each host on its own: one digest that fails is tried next run, and the others still go.
    each_alone("send-digests", db.session.scalars(hosts), digest, lambda h: {"account_id": h.id})
    db.session.commit()
    return sent


def hosted_sessions(host: Account, now: datetime) -> list[SurgerySession]:
    query = (
        db.select(SurgerySession)
        .join(session_hosts)
        .where(
            session_hosts.c.account_id == host.id,
            SurgerySession.status == SessionStatus.PUBLISHED,
            SurgerySession.starts_at > now,
        )
        .order_by(SurgerySession.starts_at)
    )
    return list(db.session.scalars(query))


def new_requests_near(sessions, since: datetime, now: datetime, radius_km: int):
    """Requests confirmed since then whose place is within the radius of one of these sessions."""
    query = db.select(HelpRequest).where(
        HelpRequest.status == RequestStatus.OPEN, HelpRequest.confirmed_at > since
    )
    points = [GridPoint(s.easting, s.northing) for s in sessions]
    return [
        help_request
        for help_request in db.session.scalars(query.order_by(HelpRequest.confirmed_at))
        if any(
            distance_km(GridPoint(help_request.easting, help_request.northing), point) <= radius_km
            for point in points
        )
    ]


def new_signups_at(sessions, since: datetime) -> list[Signup]:
    query = db.select(Signup).where(
        Signup.session_id.in_([s.id for s in sessions]),
        Signup.status == SignupStatus.ACTIVE,
        Signup.created_at > since,
    )
    return list(db.session.scalars(query.order_by(Signup.created_at)))
