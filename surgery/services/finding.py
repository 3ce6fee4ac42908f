"""Find published sessions near a place, nearest first, and say what each offers."""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, and_, cast, event, func
from sqlalchemy.orm import Session, lazyload

from surgery.extensions import db
from surgery.geo import GridPoint, Place, distance_km
from surgery.geo.areas import Town
from surgery.models import SessionStatus, Signup, SurgerySession, Volunteer
from surgery.services.keeping import KeptCopies
from surgery.services.on_offer import skills_from, skills_on_offer_column
from surgery.services.towns import in_town

PAGE_SIZE = 10
WITHIN_CHOICES = (5, 10, 20, 40)
# How long a worker keeps a search's answer (a finder page, an API answer). A change to a session
# made by this worker clears them at once; a change made by another worker moves the sessions'
# stamp, which the worker reads from the database at most once every STAMP_SECONDS (a busy finder
# page need not ask at all).
FOUND_SECONDS = 30
STAMP_SECONDS = 1
FOUND_MOST = 512  # searches kept at once: the oldest go first


@dataclass(frozen=True)
class Found:
    surgery_session: SurgerySession
    distance_km: float  # exact: "within reach" compares this; pages round it when they show it
    # On offer (the skills of the volunteers signed up), on a page of results; None in a whole
    # list (page_size None: booking, a volunteer's sessions near them), which shows no skills.
    skills: list[str] | None


@dataclass(frozen=True)
class FinderPage:
    results: list[Found]
    page: int
    pages: int
    total: int
    next_start: datetime | None  # when the first of them starts, and so leaves the list


def find_sessions(
    place: Place,
    within_km: int,
    now: datetime,
    page: int = 1,
    page_size: int | None = PAGE_SIZE,
    town: Town | None = None,
) -> FinderPage:
    """Return a page of the upcoming published sessions within reach of a place (in a town, if
    one is named), nearest first, then soonest. The database measures, orders and counts them in
    one statement, so only the page's sessions are read, however many are in reach. A page past
    the last comes back empty, with the count."""
    page = max(page, 1)
    point = place.point
    within = in_reach(point, within_km, now, town)
    # The index on the place, status and start holds all the ordering needs: the database finds
    # the page's ids without reading a session's row, then reads just those rows.
    nearest = (
        db.select(
            SurgerySession.id,
            squared_metres_from(point).label("distance"),
            SurgerySession.starts_at,
            func.count().over().label("total"),
            func.min(SurgerySession.starts_at).over().label("next_start"),
        )
        .where(within)
        .order_by("distance", SurgerySession.starts_at, SurgerySession.id)
    )
    paged = page_size is not None
    if paged:
        nearest = nearest.offset((page - 1) * page_size).limit(page_size)
    nearest = nearest.subquery()
    # A page's skills come in the same statement; a whole list would pay a look-up per session.
    skills = [skills_on_offer_column()] if paged else []
    query = (
        db.select(SurgerySession, nearest.c.total, nearest.c.next_start, *skills)
        .join(nearest, nearest.c.id == SurgerySession.id)
        .order_by(nearest.c.distance, nearest.c.starts_at, nearest.c.id)
        .options(lazyload(SurgerySession.hosts))  # no list of sessions shows them
    )
    rows = db.session.execute(query).all()
    if rows:
        total, next_start = rows[0][1], rows[0][2]
    elif page == 1:
        total, next_start = 0, None
    else:  # a page past the last (a link kept while sessions went): how many there are now
        total, next_start = db.session.execute(
            db.select(func.count(), func.min(SurgerySession.starts_at)).where(within)
        ).one()
    pages = max(1, -(-total // page_size)) if paged else 1
    results = [
        Found(row[0], distance_from(point, row[0]), skills_from(row[3]) if paged else None)
        for row in rows
    ]
    return FinderPage(results, page, pages, total, next_start)


def squared_metres_from(point: GridPoint):
    """A session's distance from the point, squared, in metres: exact in integers (64-bit, as a
    40 km square overflows 32), and without a square root, which SQLite may lack. It orders and
    compares as the distance itself does."""
    east = cast(SurgerySession.easting - point.easting, BigInteger)
    north = cast(SurgerySession.northing - point.northing, BigInteger)
    return east * east + north * north


def in_reach(point: GridPoint, within_km: int, now: datetime, town: Town | None):
    """Published sessions still to start within reach of a point: the square around it, which
    the index on the place finds, then the circle."""
    reach = within_km * 1000
    condition = and_(
        SurgerySession.status == SessionStatus.PUBLISHED,
        SurgerySession.starts_at > now,
        SurgerySession.easting.between(point.easting - reach, point.easting + reach),
        SurgerySession.northing.between(point.northing - reach, point.northing + reach),
        squared_metres_from(point) <= reach * reach,
    )
    return condition if town is None else and_(condition, in_town(SurgerySession.district, town))


def distance_from(point: GridPoint, surgery_session: SurgerySession) -> float:
    return distance_km(point, GridPoint(surgery_session.easting, surgery_session.northing))


def public_session(session_id: int) -> SurgerySession | None:
    """Return a session the public may see: one that was published (it may since have been
    held or cancelled), never a draft, nor a draft called off before it was published."""
    surgery_session = db.session.get(SurgerySession, session_id)
    if surgery_session is None or not surgery_session.was_published:
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


def kept_search(key: object, now: datetime, search: Callable[[], tuple[object, FinderPage | None]]):
    """A search's answer from this worker's copy of the same search made in the last
    FOUND_SECONDS, while no session has changed and none in reach has started since; else what
    search() answers, kept if it found something to show (its FinderPage is None when the
    question was wrong: an error page is not kept)."""
    stamp = sessions_stamp(now)
    answer = _kept.get(key, stamp, now)
    if answer is None:
        answer, found = search()
        if found is not None:
            kept_for = now + timedelta(seconds=FOUND_SECONDS)
            _kept.keep(key, stamp, min(kept_for, found.next_start or kept_for), answer)
    return answer


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


def forget_found() -> None:
    """Clear this worker's kept searches, and move its sessions' stamp: the next search reads the
    stamp from the database again."""
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
