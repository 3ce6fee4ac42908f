"""Towns in queries: which rows are in a town, and which towns have public sessions."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from surgery.extensions import db
from surgery.geo.areas import Town, town_of
from surgery.models import SessionStatus, Signup, SurgerySession

DIGITS = "0123456789"


def in_town(district_column, town: Town) -> ColumnElement[bool]:
    """True for districts of the town's area: "B1" is in B, "BA1" is not."""
    area = town.slug.upper()
    after_area = func.substr(district_column, len(area) + 1, 1)
    return and_(
        func.substr(district_column, 1, len(area)) == area,
        after_area.in_(list(DIGITS)),
    )


def area_of_district(district_column) -> ColumnElement[str]:
    """The postcode area of a district column, in SQL: its one or two leading letters (what
    surgery.geo.areas.area_of says in Python; tests/services/test_reports.py holds them alike)."""
    second = func.substr(district_column, 2, 1)
    return case(
        (second.in_(list(DIGITS)), func.substr(district_column, 1, 1)),
        else_=func.substr(district_column, 1, 2),
    )


def towns_with_sessions() -> list[Town]:
    """Every town that has had or will have a published or completed session, by name."""
    districts = db.session.scalars(
        select(SurgerySession.district)
        .where(SurgerySession.status.in_((SessionStatus.PUBLISHED, SessionStatus.COMPLETED)))
        .distinct()
    )
    return sorted({town for district in districts if (town := town_of(district))})


def upcoming_sessions(now: datetime, town: Town | None = None) -> Select:
    """Published sessions still to start, in a town if one is named, soonest first."""
    query = select(SurgerySession).where(
        SurgerySession.status == SessionStatus.PUBLISHED, SurgerySession.starts_at > now
    )
    if town is not None:
        query = query.where(in_town(SurgerySession.district, town))
    return query.order_by(SurgerySession.starts_at, SurgerySession.id)


def upcoming_page(
    now: datetime, town: Town | None, offset: int, limit: int
) -> tuple[list[SurgerySession], int]:
    """One window of the upcoming sessions, and how many there are in all."""
    query = upcoming_sessions(now, town)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    window = db.session.scalars(query.offset(offset).limit(limit))
    return list(window), total or 0


def upcoming_by_town(now: datetime) -> dict[Town, int]:
    """How many published sessions are still to start in each town that has had any."""
    counts = dict.fromkeys(towns_with_sessions(), 0)
    districts = db.session.scalars(
        upcoming_sessions(now).with_only_columns(SurgerySession.district)
    )
    for district in districts:
        if (town := town_of(district)) is not None:
            counts[town] += 1
    return counts


def sessions_last_changed(
    now: datetime, town: Town | None = None, session_ids: Iterable[int] = ()
) -> datetime | None:
    """When a list of upcoming sessions (in a town) last changed: a session edited, published or
    cancelled, one starting (it leaves the list), or a volunteer signing up, withdrawing or
    signing up again at one of `session_ids` (their skills are shown)."""
    in_place = [in_town(SurgerySession.district, town)] if town is not None else []
    edited = select(func.max(SurgerySession.updated_at)).where(*in_place)
    started = select(func.max(SurgerySession.starts_at)).where(
        *in_place,
        SurgerySession.status == SessionStatus.PUBLISHED,
        SurgerySession.starts_at <= now,
    )
    latest = [edited, started]
    ids = list(session_ids)
    if ids:
        latest.append(select(func.max(Signup.updated_at)).where(Signup.session_id.in_(ids)))
    # One statement, each its own indexed look-up: an API page is asked for often.
    times = db.session.execute(select(*(query.scalar_subquery() for query in latest))).one()
    return max((moment for moment in times if moment is not None), default=None)


def last_signup_change(session_ids: Iterable[int]) -> datetime | None:
    """When a volunteer last signed up, withdrew or signed up again at one of these sessions."""
    ids = list(session_ids)
    if not ids:
        return None
    return db.session.scalar(select(func.max(Signup.updated_at)).where(Signup.session_id.in_(ids)))
