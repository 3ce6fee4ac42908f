"""What the public calendar feeds and the partners' embedded list show: sessions still to come."""

from datetime import datetime

from sqlalchemy.orm import lazyload

from surgery.extensions import db
from surgery.geo import Place
from surgery.geo.areas import Town
from surgery.models import SessionStatus, SurgerySession
from surgery.services import finding
from surgery.services.towns import in_town

# The embedded list is a glance at what is next; the finder has the rest.
EMBED_LENGTH = 5


def feed_sessions(now: datetime, town: Town | None = None) -> list[SurgerySession]:
    """Return the sessions a feed lists, soonest first: published ones that have not ended, and
    cancelled ones (once published) until they would have ended, so that subscribed calendars see
    them called off."""
    query = (
        db.select(SurgerySession)
        .where(
            SurgerySession.status.in_((SessionStatus.PUBLISHED, SessionStatus.CANCELLED)),
            SurgerySession.was_published.is_(True),
            SurgerySession.ends_at > now,
        )
        .order_by(SurgerySession.starts_at, SurgerySession.id)
    )
    if town:
        query = query.where(in_town(SurgerySession.district, town))
    return list(db.session.scalars(query))


def next_sessions_near(place: Place, within_km: int, now: datetime) -> list[finding.Found]:
    """Return the next few published sessions within reach of a place, soonest first: only
    those few are read, however many are in reach."""
    query = (
        db.select(SurgerySession)
        .where(finding.in_reach(place.point, within_km, now, None))
        .order_by(SurgerySession.starts_at, SurgerySession.id)
        .limit(EMBED_LENGTH)
        .options(lazyload(SurgerySession.hosts))  # a partner's list does not show them
    )
    return [
        finding.Found(found, finding.distance_from(place.point, found), None)
        for found in db.session.scalars(query)
    ]


def next_sessions_in(town: Town, now: datetime) -> list[SurgerySession]:
    """Return the next few published sessions in a town, soonest first."""
    query = (
        db.select(SurgerySession)
        .where(
            SurgerySession.status == SessionStatus.PUBLISHED,
            SurgerySession.starts_at > now,
            in_town(SurgerySession.district, town),
        )
        .order_by(SurgerySession.starts_at, SurgerySession.id)
        .limit(EMBED_LENGTH)
    )
    return list(db.session.scalars(query))
