"""Find published sessions near a place, nearest first, and say what each offers."""

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import event, func
from sqlalchemy.orm import Session, lazyload

from surgery.extensions import db
from surgery.geo import GridPoint, Place, distance_km
from surgery.models import SessionStatus, Signup, SurgerySession, Volunteer
from surgery.services.keeping import KeptCopies

PAGE_SIZE = 10
WITHIN_CHOICES = (5, 10, 20, 40)
# How long a worker keeps a search's sessions. A change to a session made by this worker clears
# them at once; a change made by another worker moves the sessions' stamp, which the worker reads
# from the database at most once every STAMP_SECONDS (a busy finder page need not ask at all).
FOUND_SECONDS = 30
STAMP_SECONDS = 1
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
    next_start: datetime | None  # when the first of them starts, and so leaves the list


@dataclass(frozen=True)
class Near:
    """A session within reach, light enough to keep thousands of: what ordering and filtering
    need, without the session itself."""

    session_id: int
    distance_km: float
    starts_at: datetime
    district: str


def find_sessions(
    place: Place,
    within_km: int,
    now: datetime,
    page: int = 1,
    page_size: int | None = PAGE_SIZE,
) -> FinderPage:
    """Return upcoming published sessions within reach of a place, nearest first, a page at a
    time; only the page's sessions are loaded."""
    near = nearest_sessions(place, within_km, now)
    window, page, pages = paginate(near, page, page_size)
    loaded = sessions_by_id([n.session_id for n in window])
    results = [Found(loaded[n.session_id], n.distance_km) for n in window]
    next_start = min((n.starts_at for n in near), default=None)
    return FinderPage(results, page, pages, len(near), next_start)


def paginate(near: list[Near], page: int, page_size: int | None) -> tuple[list[Near], int, int]:
    if page_size is None:
        return near, 1, 1
    pages = max(1, -(-len(near) // page_size))
    page = min(max(page, 1), pages)
    return near[(page - 1) * page_size : page * page_size], page, pages


def sessions_by_id(ids: list[int]) -> dict[int, SurgerySession]:
    """The sessions with these ids, in one query; their hosts load only if asked for (no list
    of sessions shows them)."""
    if not ids:
        return {}
    query = (
        db.select(SurgerySession)
        .where(SurgerySession.id.in_(ids))
        .options(lazyload(SurgerySession.hosts))
    )
    return {s.id: s for s in db.session.scalars(query)}


def describe(surgery_session: SurgerySession, point: GridPoint) -> Found:
    venue = GridPoint(surgery_session.easting, surgery_session.northing)
    return Found(surgery_session, distance_km(point, venue))


def public_session(session_id: int) -> SurgerySession | None:
    """Return a session the public may see: published, completed or cancelled, never a draft."""
    surgery_session = db.session.get(SurgerySession, session_id)
    if surgery_session is None or surgery_session.status is SessionStatus.DRAFT:
        return None
    return surgery_session


@dataclass
class Stamp:
    """The sessions' stamp as this worker last read it, and the changes it has made since."""

    read: tuple | None = None
    read_at: datetime | None = None
    changes_here: int = 0


_kept = KeptCopies(most=FOUND_MOST)
_stamp = Stamp()
_stamp_lock = threading.Lock()


def nearest_sessions(place: Place, within_km: int, now: datetime) -> list[Near]:
    """The upcoming published sessions within reach, nearest first (then soonest), from this
    worker's copy of the same search made in the last FOUND_SECONDS if no session has changed
    since."""
    key = (place.point.easting, place.point.northing, within_km)
    stamp = sessions_stamp(now)
    near = _kept.get(key, stamp, now)
    if near is None:
        near = load_nearest(place, within_km, now)
        _kept.keep(key, stamp, now + timedelta(seconds=FOUND_SECONDS), near)
    # Kept for up to FOUND_SECONDS: a session that has started since leaves the list now.
    return [n for n in near if n.starts_at > now]


def sessions_stamp(now: datetime) -> tuple:
    """What moves when any session changes: in the database, the latest row written (updated_at,
    by the ORM) and the newest made (id), read at most once every STAMP_SECONDS; and the number
    of changes this worker has made, which moves at once."""
    with _stamp_lock:
        due = _stamp.read_at is None or not (
            _stamp.read_at <= now < _stamp.read_at + timedelta(seconds=STAMP_SECONDS)
        )
    if due:
        query = db.select(func.max(SurgerySession.updated_at), func.max(SurgerySession.id))
        read = tuple(db.session.execute(query).one())
        with _stamp_lock:
            _stamp.read, _stamp.read_at = read, now
    with _stamp_lock:
        return (*_stamp.read, _stamp.changes_here)


def load_nearest(place: Place, within_km: int, now: datetime) -> list[Near]:
    """Read the few columns of the sessions in a square around the place; the exact distance
    decides which are within reach."""
    reach = within_km * 1000
    point = place.point
    query = db.select(
        SurgerySession.id,
        SurgerySession.easting,
        SurgerySession.northing,
        SurgerySession.starts_at,
        SurgerySession.district,
    ).where(
        SurgerySession.status == SessionStatus.PUBLISHED,
        SurgerySession.starts_at > now,
        SurgerySession.easting.between(point.easting - reach, point.easting + reach),
        SurgerySession.northing.between(point.northing - reach, point.northing + reach),
    )
    near = []
    for session_id, easting, northing, starts_at, district in db.session.execute(query):
        distance = distance_km(point, GridPoint(easting, northing))
        if distance <= within_km:
            near.append(Near(session_id, distance, starts_at, district))
    return sorted(near, key=lambda n: (n.distance_km, n.starts_at, n.session_id))


def forget_found() -> None:
    """Clear this worker's kept searches, and move its sessions' stamp: pages kept with the old
    stamp go too, and the next search reads the stamp from the database again."""
    _kept.forget()
    with _stamp_lock:
        _stamp.read = _stamp.read_at = None
        _stamp.changes_here += 1


# What a search shows: the sessions, and the skills of the volunteers signed up at them.
SHOWN_IN_SEARCHES = (SurgerySession, Signup, Volunteer)


@event.listens_for(Session, "after_flush")
def forget_found_on_change(session: Session, flush_context) -> None:
    """A session (or a sign-up, or a volunteer's skills) written by this worker shows as it is
    now in the worker's very next search."""
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, SHOWN_IN_SEARCHES) for row in changed):
        forget_found()


@event.listens_for(Session, "do_orm_execute")
def forget_found_on_update(orm_execute_state) -> None:
    """A bulk UPDATE of sessions (a table taken or freed) clears the kept searches too."""
    if orm_execute_state.is_update or orm_execute_state.is_delete:
        mapper = orm_execute_state.bind_mapper
        if mapper is not None and mapper.class_ is SurgerySession:
            forget_found()
