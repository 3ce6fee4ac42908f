"""Find published sessions near a place, nearest first, and say what each offers."""

from dataclasses import dataclass
from datetime import datetime

from surgery.extensions import db
from surgery.geo import GridPoint, Place, distance_km
from surgery.models import SessionStatus, SurgerySession

PAGE_SIZE = 10
WITHIN_CHOICES = (5, 10, 20, 40)


@dataclass(frozen=True)
class Found:
    surgery_session: SurgerySession
    distance_km: float  # exact: "within reach" compares this; pages round it when they show it


@dataclass(frozen=True)
class FinderPage:
    results: list[Found]
    page: int
    pages: int
    total: int


def find_sessions(
    place: Place, within_km: int, now: datetime, page: int = 1, page_size: int | None = PAGE_SIZE
) -> FinderPage:
    """Return upcoming published sessions within reach of a place, nearest first, paginated."""
    reach = within_km * 1000
    point = place.point
    query = db.select(SurgerySession).where(
        SurgerySession.status == SessionStatus.PUBLISHED,
        SurgerySession.starts_at > now,
        # A square around the place narrows the rows; the exact distance decides.
        SurgerySession.easting.between(point.easting - reach, point.easting + reach),
        SurgerySession.northing.between(point.northing - reach, point.northing + reach),
    )
    found = [describe(s, point) for s in db.session.scalars(query)]
    found = sorted(
        (f for f in found if f.distance_km <= within_km),
        key=lambda f: (f.distance_km, f.surgery_session.starts_at, f.surgery_session.id),
    )
    if page_size is None:
        return FinderPage(found, 1, 1, len(found))
    pages = max(1, -(-len(found) // page_size))
    page = min(max(page, 1), pages)
    window = found[(page - 1) * page_size : page * page_size]
    return FinderPage(window, page, pages, len(found))


def describe(surgery_session: SurgerySession, point: GridPoint) -> Found:
    venue = GridPoint(surgery_session.easting, surgery_session.northing)
    return Found(surgery_session, distance_km(point, venue))


def public_session(session_id: int) -> SurgerySession | None:
    """Return a session the public may see: published, completed or cancelled, never a draft."""
    surgery_session = db.session.get(SurgerySession, session_id)
    if surgery_session is None or surgery_session.status is SessionStatus.DRAFT:
        return None
    return surgery_session
