"""What the matcher is given, read from the database as plain rows in a few queries.

Rows are read as tuples, not ORM objects, so a national run stays a matter of seconds.
"""

import functools
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import ColumnElement, DateTime, Text, and_, cast, func, type_coerce, union_all
from sqlalchemy.orm import aliased

from surgery.clock import LONDON, london_date
from surgery.database import among
from surgery.extensions import db
from surgery.matching import RequestIn, SessionIn, SignupIn
from surgery.models import (
    FIXED_STATES,
    Booking,
    BookingStatus,
    HelpRequest,
    Pairing,
    PairingState,
    RequestStatus,
    SessionStatus,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)
from surgery.models.requests import help_request_skills
from surgery.models.volunteers import volunteer_skills
from surgery.vocabulary import Availability


class UpcomingSession(NamedTuple):
    """A session ahead as the matcher reads it: a national run reads thousands, and a row costs a
    fraction of a loaded SurgerySession (and of its hosts, which the matcher does not need)."""

    id: int
    easting: int
    northing: int
    starts_at: datetime
    seats: int
    seats_taken: int
    access: frozenset[str]
    requires_safeguarding: bool
    auto_confirm: bool

    # The model's own rule, so a row and a loaded session cannot disagree.
    seats_left = property(SurgerySession.seats_left.fget)


def upcoming_sessions(
    now: datetime, session_id: int | None, lead_time: timedelta
) -> list[UpcomingSession]:
    query = db.select(
        SurgerySession.id,
        SurgerySession.easting,
        SurgerySession.northing,
        SurgerySession.starts_at,
        SurgerySession.seats,
        SurgerySession.seats_taken,
        as_text(SurgerySession.access),
        SurgerySession.requires_safeguarding,
        SurgerySession.auto_confirm,
    ).where(
        SurgerySession.status == SessionStatus.PUBLISHED,
        SurgerySession.starts_at > now + lead_time,
    )
    if session_id is not None:
        query = query.where(SurgerySession.id == session_id)
    return [
        session._replace(access=choices(session.access))
        for session in map(UpcomingSession._make, plain_rows(query))
    ]


def surgery_sessions(sessions: list[UpcomingSession]) -> list[SurgerySession]:
    """These sessions loaded, in the same order."""
    if not sessions:
        return []
    query = db.select(SurgerySession).where(among(SurgerySession.id, [s.id for s in sessions]))
    loaded = {surgery_session.id: surgery_session for surgery_session in db.session.scalars(query)}
    return [loaded[s.id] for s in sessions]


def plain_rows(query) -> list:
    """The rows of a query of columns, through the session's connection: the session would pass
    each row through its ORM loading, which costs a national run tenths of a second a table."""
    db.session.flush()  # as the session would before a query, so the rows include its changes
    return db.session.connection().execute(query).all()


def fixed_requests() -> set[int]:
    """Requests whose pairing a host agreed: the matcher leaves them as they are."""
    query = db.select(Pairing.help_request_id).where(Pairing.state.in_(FIXED_STATES))
    return set(db.session.scalars(query))


def proposed_elsewhere(scope: list[int]) -> set[int]:
    """Requests with a proposal at a session this run leaves alone, so nobody is paired twice."""
    query = db.select(Pairing.help_request_id).where(
        Pairing.state == PairingState.PROPOSED, ~among(Pairing.session_id, scope)
    )
    return set(db.session.scalars(query))


class Proposed(NamedTuple):
    """A live proposal as stored."""

    id: int
    signup_id: int
    session_id: int
    cost: int
    distance_km: float
    shared_skills: frozenset


def proposed_here(scope: list[int]) -> dict[int, Proposed]:
    """The live proposals at these sessions, which this run replaces, by request. Agreed
    pairings are fixed, so they are not among them."""
    query = db.select(
        Pairing.help_request_id,
        Pairing.id,
        Pairing.signup_id,
        Pairing.session_id,
        Pairing.cost,
        Pairing.distance_km,
        as_text(Pairing.shared_skills),
    ).where(Pairing.state == PairingState.PROPOSED, among(Pairing.session_id, scope))
    return {
        request: Proposed(*row[:-1], choices(row[-1]))
        for request, *row in db.session.execute(query).tuples()
    }


def as_text(column):
    """A JSON list column as its stored text: a national run reads a handful of distinct values
    hundreds of thousands of times, and decoding each once (below) saves seconds."""
    return cast(column, Text)


@functools.cache
def choices(stored: str) -> frozenset:
    return frozenset(json.loads(stored))


@functools.cache
def skill_set(folded: str | None) -> frozenset[int]:
    return frozenset(map(int, folded.split(","))) if folded else frozenset()


def ruled_out(scope: list[int]) -> frozenset[tuple[int, int]]:
    """(request, sign-up) pairs not to propose again at these sessions: those a host dropped; a
    group with every volunteer at a session where the host said "not here again"; and a group
    with every volunteer at a session where it gave up its place."""
    dropped = db.select(Pairing.help_request_id, Pairing.signup_id).where(
        Pairing.state == PairingState.DECLINED, among(Pairing.session_id, scope)
    )
    not_here_again = (
        db.select(Pairing.help_request_id, Signup.id)
        .join(Signup, Signup.session_id == Pairing.session_id)
        .where(Pairing.not_here_again, among(Pairing.session_id, scope))
    )
    gave_up = (
        db.select(Booking.help_request_id, Signup.id)
        .join(Signup, Signup.session_id == Booking.session_id)
        .where(Booking.status == BookingStatus.CANCELLED, among(Booking.session_id, scope))
    )
    return frozenset(db.session.execute(union_all(dropped, not_here_again, gave_up)).tuples())


def request_inputs(now: datetime, taken: set[int]) -> tuple[list[RequestIn], dict[int, str]]:
    """Open requests not already taken, each with the session it booked; and their districts."""
    is_open = HelpRequest.status == RequestStatus.OPEN
    booked = dict(
        db.session.execute(
            db.select(Booking.help_request_id, Booking.session_id)
            .join(HelpRequest, HelpRequest.id == Booking.help_request_id)
            .where(Booking.status == BookingStatus.BOOKED, is_open)
        ).all()
    )
    return read_requests(now, is_open, taken, booked)


def requests_that_could_come(
    surgery_session: SurgerySession, now: datetime
) -> tuple[list[RequestIn], dict[int, str]]:
    """Open requests whose travel distance could reach the session's square and whose days and
    times hold its start, with no pairing proposed or agreed anywhere and no place booked (a
    group with a place pairs only where it booked), with their districts. The database leaves the
    rest out, so a national table is not read; the matcher's rules decide among these."""
    reach, here = HelpRequest.travel_km * 1000, surgery_session
    day = london_date(surgery_session.starts_at)
    slot = Availability.of_start(surgery_session.starts_at.astimezone(LONDON))
    # Each request's own square cannot use an index; the square of the farthest-travelling open
    # request can (both indexed on status), and holds every request's own.
    others = aliased(HelpRequest)
    farthest = (
        db.select(func.max(others.travel_km) * 1000)
        .where(others.status == RequestStatus.OPEN)
        .scalar_subquery()
    )
    paired = (
        db.select(Pairing.id)
        .where(
            Pairing.help_request_id == HelpRequest.id,
            Pairing.state.in_((*FIXED_STATES, PairingState.PROPOSED)),
        )
        .correlate(HelpRequest)
    )
    booked = (
        db.select(Booking.id)
        .where(Booking.help_request_id == HelpRequest.id, Booking.status == BookingStatus.BOOKED)
        .correlate(HelpRequest)
    )
    could = and_(
        HelpRequest.status == RequestStatus.OPEN,
        HelpRequest.easting.between(here.easting - farthest, here.easting + farthest),
        HelpRequest.northing.between(here.northing - farthest, here.northing + farthest),
        HelpRequest.easting.between(here.easting - reach, here.easting + reach),
        HelpRequest.northing.between(here.northing - reach, here.northing + reach),
        HelpRequest.earliest_date <= day,
        HelpRequest.latest_date >= day,
        as_text(HelpRequest.availability).contains(f'"{slot.value}"', autoescape=True),
        ~paired.exists(),
        ~booked.exists(),
    )
    return read_requests(now, could, set(), booked={})


def read_requests(
    now: datetime, condition: ColumnElement[bool], taken: set[int], booked: dict[int, int]
) -> tuple[list[RequestIn], dict[int, str]]:
    """The requests meeting a condition, but those taken, each with the session it booked (from
    `booked`, by request); and their districts."""
    # One row per request, its skills folded into one text ("1,5"): a national run reads a few
    # hundred distinct sets a hundred thousand times, and parses each once (skill_set below).
    skill_ids = func.aggregate_strings(cast(help_request_skills.c.skill_id, Text), ",")
    # As the driver gives it, not through the column's type: its conversion of each row costs a
    # national run a fifth of a second (SQLite's naive values are UTC; see aware below).
    since = type_coerce(
        func.coalesce(HelpRequest.confirmed_at, HelpRequest.created_at), DateTime(timezone=True)
    )
    rows = plain_rows(
        db.select(
            HelpRequest.id,
            HelpRequest.easting,
            HelpRequest.northing,
            HelpRequest.travel_km,
            HelpRequest.level,
            HelpRequest.earliest_date,
            HelpRequest.latest_date,
            as_text(HelpRequest.availability),
            as_text(HelpRequest.access_needs),
            since,
            HelpRequest.district,
            skill_ids,
        )
        .outerjoin(help_request_skills)
        .where(condition)
        .group_by(HelpRequest.id)
    )
    requests, districts = [], {}
    for (
        request_id,
        easting,
        northing,
        travel_km,
        level,
        earliest,
        latest,
        availability,
        access_needs,
        since,
        district,
        skills,
    ) in rows:
        if request_id in taken:
            continue
        districts[request_id] = district
        # Positional, in the fields' order: keywords cost a national run some 0.06 s more.
        requests.append(
            RequestIn(
                request_id,
                easting,
                northing,
                travel_km,
                skill_set(skills),
                level,
                earliest,
                latest,
                choices(availability),
                choices(access_needs),
                max((now - aware(since)).days, 0),  # waited_days
                booked.get(request_id),  # booked_session_id
            )
        )
    return requests, districts


def aware(moment: datetime) -> datetime:
    """The moment with its zone: SQLite hands datetimes back without one, and they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def session_inputs(sessions: list[UpcomingSession] | list[SurgerySession]):
    """Sessions with the tables left: agreed pairings and bookings both hold one."""
    for s in sessions:
        starts = s.starts_at.astimezone(LONDON)
        yield SessionIn(
            id=s.id,
            easting=s.easting,
            northing=s.northing,
            day=starts.date(),
            slot=Availability.of_start(starts),
            seats_free=s.seats_left,
            access=frozenset(s.access),
            requires_safeguarding=s.requires_safeguarding,
        )


def signup_inputs(scope: list[int]):
    """Active sign-ups at these sessions, with the load their agreed pairings leave.

    The query starts from the sign-ups at these sessions (indexed); filtering on the volunteers'
    status in SQL instead leads SQLite to scan every volunteer against the whole list. Skills
    come folded into one text per sign-up, as for requests.
    """
    held = Counter(
        db.session.scalars(
            db.select(Pairing.signup_id).where(
                among(Pairing.session_id, scope), Pairing.state.in_(FIXED_STATES)
            )
        )
    )
    skill_ids = func.aggregate_strings(cast(volunteer_skills.c.skill_id, Text), ",")
    rows = plain_rows(
        db.select(
            Signup.id,
            Signup.session_id,
            Signup.load,
            Volunteer.status,
            as_text(Volunteer.levels),
            Volunteer.safeguarding_checked_at,
            skill_ids,
        )
        .select_from(Signup)
        .join(Volunteer, Volunteer.id == Signup.volunteer_id)
        .outerjoin(volunteer_skills, volunteer_skills.c.volunteer_id == Volunteer.id)
        .where(among(Signup.session_id, scope), Signup.status == SignupStatus.ACTIVE)
        .group_by(Signup.id, Volunteer.id)
    )
    for signup_id, session_id, load, status, levels, checked_at, skills in rows:
        if status is not VolunteerStatus.ACTIVE:
            continue
        yield SignupIn(
            id=signup_id,
            session_id=session_id,
            skills=skill_set(skills),
            levels=choices(levels),
            load_free=max(load - held[signup_id], 0),
            safeguarding_checked=checked_at is not None,
        )


def signup_input(signup: Signup, load_free: int) -> SignupIn:
    """A sign-up already loaded with its volunteer and their skills (a host's page has them), as
    the matcher takes it, with the room given."""
    volunteer = signup.volunteer
    return SignupIn(
        id=signup.id,
        session_id=signup.session_id,
        skills=frozenset(skill.id for skill in volunteer.skills),
        levels=frozenset(volunteer.levels),
        load_free=load_free,
        safeguarding_checked=volunteer.safeguarding_checked_at is not None,
    )
