"""Where next: groups still waiting with no session in their reach, by district and skill, the
volunteers near them who could help (services/inviting.py invites them).

"Within reach" is the one rule the finder, booking and "still looking" use: the exact straight-line
distance (geo.distance_km) against the group's travel distance, and the session's day in the
group's dates (booking.in_window). A group counts here exactly when "still looking" would say we
have nothing for it.

A district's point is the centre (mean grid point) of the groups waiting there, not the postcode
index's centre of the district: it is where the demand is, and it needs no look-up that could fail.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from surgery.clock import london_date
from surgery.extensions import db
from surgery.geo import GridPoint, distance_km
from surgery.models import (
    Booking,
    BookingStatus,
    HelpRequest,
    RequestStatus,
    SessionStatus,
    Skill,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)
from surgery.models.requests import help_request_skills
from surgery.services.booking import in_window


@dataclass(frozen=True)
class UnmetRow:
    """Groups waiting in one district for one skill; no names, no words of theirs."""

    district: str
    skill: str
    groups: int
    longest_wait_days: int
    median_wait_days: float


@dataclass(frozen=True)
class District:
    """A district with groups waiting: how many (each once), where, and the skills they ask."""

    name: str
    groups: int
    point: GridPoint
    skill_ids: frozenset[int]


@dataclass(frozen=True)
class UnmetDemand:
    rows: list[UnmetRow]  # most groups waiting first
    districts: list[District]  # most groups waiting first

    def district(self, name: str) -> District | None:
        return next((d for d in self.districts if d.name == name), None)

    def rows_in(self, district: str) -> list[UnmetRow]:
        return [row for row in self.rows if row.district == district]


@dataclass(frozen=True)
class Helper:
    """A volunteer who could help in a district: what a host may see, never how to reach them."""

    volunteer_id: int
    first_name: str
    skills: tuple[str, ...]  # those asked in the district, in the skill list's order
    levels: tuple[int, ...]
    distance_km: float


def unmet_demand(now: datetime) -> UnmetDemand:
    """Return open groups, dates not yet passed, with no place and no upcoming session in reach."""
    sessions = SessionGrid(upcoming_rows(now))
    waiting = [r for r in still_waiting(now) if not sessions.any_in_reach(r)]
    skills = skills_asked([r.id for r in waiting])
    return UnmetDemand(rows_of(waiting, skills, now), districts_of(waiting, skills))


def still_waiting(now: datetime):
    """The waiting groups as plain rows: a national list is thousands, read in one query."""
    booked = db.select(Booking.help_request_id).where(Booking.status == BookingStatus.BOOKED)
    query = db.select(
        HelpRequest.id,
        HelpRequest.district,
        HelpRequest.easting,
        HelpRequest.northing,
        HelpRequest.travel_km,
        HelpRequest.earliest_date,
        HelpRequest.latest_date,
        HelpRequest.confirmed_at,
    ).where(
        HelpRequest.status == RequestStatus.OPEN,
        HelpRequest.confirmed_at.is_not(None),
        HelpRequest.latest_date >= london_date(now),
        HelpRequest.id.not_in(booked),
    )
    return db.session.execute(query.order_by(HelpRequest.id)).all()


def upcoming_rows(now: datetime):
    query = db.select(
        SurgerySession.id, SurgerySession.easting, SurgerySession.northing, SurgerySession.starts_at
    ).where(SurgerySession.status == SessionStatus.PUBLISHED, SurgerySession.starts_at > now)
    return db.session.execute(query).all()


class SessionGrid:
    """Upcoming sessions in 10 km squares, so each group measures only the sessions in the
    squares its travel distance could reach (thousands of groups by hundreds of sessions)."""

    SQUARE = 10_000

    def __init__(self, sessions):
        self.squares = defaultdict(list)
        for s in sessions:
            self.squares[s.easting // self.SQUARE, s.northing // self.SQUARE].append(s)

    def near(self, point: GridPoint, metres: int):
        (west, south), (east, north) = (
            ((point.easting + d) // self.SQUARE, (point.northing + d) // self.SQUARE)
            for d in (-metres, metres)
        )
        for x in range(west, east + 1):
            for y in range(south, north + 1):
                yield from self.squares.get((x, y), ())

    def any_in_reach(self, group) -> bool:
        """The finder's rule (the exact distance against the travel distance) and booking's
        (the session's day in the group's dates), as booking.sessions_within_reach applies them."""
        point = GridPoint(group.easting, group.northing)
        return any(
            distance_km(point, GridPoint(s.easting, s.northing)) <= group.travel_km
            and in_window(group, s)
            for s in self.near(point, group.travel_km * 1000)
        )


def skills_asked(request_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Each request's skills as (id, name), in the skill list's order."""
    wanted = set(request_ids)
    query = (
        db.select(help_request_skills.c.help_request_id, Skill.id, Skill.name)
        .join(Skill, Skill.id == help_request_skills.c.skill_id)
        .join(HelpRequest, HelpRequest.id == help_request_skills.c.help_request_id)
        .where(HelpRequest.status == RequestStatus.OPEN)
        .order_by(Skill.position, Skill.id)
    )
    skills = defaultdict(list)
    for request_id, skill_id, name in db.session.execute(query):
        if request_id in wanted:
            skills[request_id].append((skill_id, name))
    return skills


def rows_of(waiting, skills: dict, now: datetime) -> list[UnmetRow]:
    waits = defaultdict(list)
    for group in waiting:
        days = max((now - group.confirmed_at).days, 0)
        for _, name in skills[group.id]:
            waits[group.district, name].append(days)
    rows = [
        UnmetRow(district, skill, len(days), max(days), float(statistics.median(days)))
        for (district, skill), days in waits.items()
    ]
    return sorted(rows, key=lambda r: (-r.groups, -r.longest_wait_days, r.district, r.skill))


def districts_of(waiting, skills: dict) -> list[District]:
    by_district = defaultdict(list)
    for group in waiting:
        by_district[group.district].append(group)
    districts = [
        District(
            name=name,
            groups=len(groups),
            point=GridPoint(
                round(statistics.fmean(g.easting for g in groups)),
                round(statistics.fmean(g.northing for g in groups)),
            ),
            skill_ids=frozenset(skill_id for g in groups for skill_id, _ in skills[g.id]),
        )
        for name, groups in by_district.items()
    ]
    return sorted(districts, key=lambda d: (-d.groups, d.name))


def helpers_for(district: District) -> list[Helper]:
    """Return active volunteers whose travel distance reaches the district and who offer a skill
    asked there, nearest first."""
    point, reach = district.point, Volunteer.travel_km * 1000
    query = db.select(Volunteer).where(
        Volunteer.status == VolunteerStatus.ACTIVE,
        Volunteer.email.is_not(None),
        Volunteer.unsubscribed_at.is_(None),  # asked not to be invited
        # A square around the district narrows the rows; the exact distance decides.
        Volunteer.easting.between(point.easting - reach, point.easting + reach),
        Volunteer.northing.between(point.northing - reach, point.northing + reach),
    )
    helpers = []
    for volunteer in db.session.scalars(query):
        km = distance_km(GridPoint(volunteer.easting, volunteer.northing), point)
        shared = tuple(s.name for s in volunteer.skills if s.id in district.skill_ids)
        if km <= volunteer.travel_km and shared:
            levels = tuple(sorted(volunteer.levels))
            helpers.append(Helper(volunteer.id, volunteer.first_name, shared, levels, km))
    return sorted(helpers, key=lambda h: (h.distance_km, h.volunteer_id))
