"""Find published sessions near a place, nearest first, and say what each offers."""

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, func
from sqlalchemy.orm import Session, lazyload

from surgery.extensions import db
from surgery.geo import GridPoint, Place, distance_km
from surgery.models import SessionStatus, SurgerySession

PAGE_SIZE = 10
WITHIN_CHOICES = (5, 10, 20, 40)
# How long a worker keeps a search's sessions. A change to a session made by this worker clears
# them at once; a change made by another worker moves the sessions' stamp, read each time.
FOUND_SECONDS = 30
FOUND_MOST = 512  # searches kept at once: the oldest go first


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
    query = within_reach_query(place, within_km, now)
    return paginate(nearest_first(db.session.scalars(query), place, within_km), page, page_size)


def within_reach_query(place: Place, within_km: int, now: datetime):
    reach = within_km * 1000
    point = place.point
    return db.select(SurgerySession).where(
        SurgerySession.status == SessionStatus.PUBLISHED,
        SurgerySession.starts_at > now,
        # A square around the place narrows the rows; the exact distance decides.
        SurgerySession.easting.between(point.easting - reach, point.easting + reach),
        SurgerySession.northing.between(point.northing - reach, point.northing + reach),
    )


def nearest_first(sessions, place: Place, within_km: int) -> list[Found]:
    found = [describe(s, place.point) for s in sessions]
    return sorted(
        (f for f in found if f.distance_km <= within_km),
        key=lambda f: (f.distance_km, f.surgery_session.starts_at, f.surgery_session.id),
    )


def paginate(found: list[Found], page: int, page_size: int | None) -> FinderPage:
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


@dataclass(frozen=True)
class Kept:
    stamp: tuple
    kept_until: float
    found: list[Found]


_found: dict[tuple, Kept] = {}
_found_lock = threading.Lock()


def find_sessions_kept(
    place: Place, within_km: int, now: datetime, page: int = 1, page_size: int | None = PAGE_SIZE
) -> FinderPage:
    """find_sessions, from this worker's copy of the same search made in the last FOUND_SECONDS
    if no session has changed since: the busiest page asks the database one short question.

    The sessions it returns are detached from the database session: read them, do not change
    them (their hosts are not loaded; nothing the finder or the API shows needs them).
    """
    key = (place.point.easting, place.point.northing, within_km)
    stamp = tuple(db.session.execute(sessions_stamp()).one())
    kept = _found.get(key)
    if kept is None or kept.stamp != stamp or kept.kept_until < time.monotonic():
        kept = Kept(stamp, time.monotonic() + FOUND_SECONDS, load_found(place, within_km, now))
        keep(key, kept)
    # Kept for up to FOUND_SECONDS: a session that has started since leaves the list now.
    found = [f for f in kept.found if f.surgery_session.starts_at > now]
    return paginate(found, page, page_size)


def sessions_stamp():
    """What moves when any session changes: its row is written (updated_at, by the ORM) or a
    new one is made (id). Two index look-ups, not a scan."""
    return db.select(func.max(SurgerySession.updated_at), func.max(SurgerySession.id))


def load_found(place: Place, within_km: int, now: datetime) -> list[Found]:
    query = within_reach_query(place, within_km, now).options(lazyload(SurgerySession.hosts))
    found = nearest_first(db.session.scalars(query), place, within_km)
    for f in found:
        db.session.expunge(f.surgery_session)
    return found


def keep(key: tuple, kept: Kept) -> None:
    with _found_lock:
        _found.pop(key, None)
        while len(_found) >= FOUND_MOST:
            _found.pop(next(iter(_found)))
        _found[key] = kept


def forget_found() -> None:
    """Clear this worker's kept searches."""
    with _found_lock:
        _found.clear()


@event.listens_for(Session, "after_flush")
def forget_found_on_change(session: Session, flush_context) -> None:
    """A session written by this worker shows as it is now in the worker's very next search."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, SurgerySession) for row in changed):
        forget_found()


@event.listens_for(Session, "do_orm_execute")
def forget_found_on_update(orm_execute_state) -> None:
    """A bulk UPDATE of sessions (a table taken or freed) clears the kept searches too."""
    if orm_execute_state.is_update or orm_execute_state.is_delete:
        mapper = orm_execute_state.bind_mapper
        if mapper is not None and mapper.class_ is SurgerySession:
            forget_found()
