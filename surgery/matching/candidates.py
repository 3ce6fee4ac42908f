"""Which request may pair with which sign-up, found through a grid so we never compare all pairs."""

import math
from collections import defaultdict
from dataclasses import dataclass

from surgery.matching.problem import (
    Problem,
    RequestIn,
    SessionIn,
    SignupIn,
    UnpairedReason,
    Weights,
)

CELL_METRES = 5_000


@dataclass(frozen=True)
class Arc:
    request: RequestIn
    signup: SignupIn
    session: SessionIn
    distance_km: float
    shared: frozenset[int]
    cost: int


@dataclass
class Candidates:
    arcs: list[Arc]
    # For a request with no arc, the furthest it got through the rules: what to tell the group.
    blocked: dict[int, UnpairedReason]


def find_candidates(problem: Problem) -> Candidates:
    """Return every eligible (request, sign-up) arc, sorted for deterministic solving."""
    grid = session_grid(problem.sessions)
    signups = defaultdict(list)
    for signup in problem.signups:
        signups[signup.session_id].append(signup)
    arcs, blocked = [], {}
    for request in sorted(problem.requests, key=lambda r: r.id):
        found, reason = arcs_for(request, grid, signups, problem.weights)
        arcs.extend(found)
        if not found:
            blocked[request.id] = reason
    arcs.sort(key=lambda arc: (arc.request.id, arc.signup.id))
    return Candidates(arcs, blocked)


def session_grid(sessions) -> dict[tuple[int, int], list[SessionIn]]:
    grid = defaultdict(list)
    for surgery_session in sorted(sessions, key=lambda s: s.id):
        grid[cell(surgery_session.easting, surgery_session.northing)].append(surgery_session)
    return grid


def cell(easting: int, northing: int) -> tuple[int, int]:
    return easting // CELL_METRES, northing // CELL_METRES


def sessions_near(request: RequestIn, grid) -> list[tuple[SessionIn, float]]:
    """Sessions within the request's travel distance, with their distance in km."""
    reach = math.ceil(request.travel_km * 1000 / CELL_METRES)
    cx, cy = cell(request.easting, request.northing)
    near = []
    for x in range(cx - reach, cx + reach + 1):
        for y in range(cy - reach, cy + reach + 1):
            for surgery_session in grid.get((x, y), ()):
                km = distance_km(request, surgery_session)
                if km <= request.travel_km:
                    near.append((surgery_session, km))
    return near


def distance_km(request: RequestIn, surgery_session: SessionIn) -> float:
    dx = request.easting - surgery_session.easting
    dy = request.northing - surgery_session.northing
    return math.hypot(dx, dy) / 1000


def arcs_for(request, grid, signups, weights) -> tuple[list[Arc], UnpairedReason]:
    """Apply the rules in the order a person would understand the answer."""
    reachable = [
        (s, km)
        for s, km in sessions_near(request, grid)
        if request.earliest <= s.day <= request.latest
        and s.slot in request.availability
        and (request.booked_session_id in (None, s.id))
    ]
    if not reachable:
        return [], UnpairedReason.NOTHING_IN_REACH
    accessible = [(s, km) for s, km in reachable if request.access_needs <= s.access]
    if not accessible:
        return [], UnpairedReason.ACCESS_NOT_MET
    arcs = [
        Arc(
            request,
            signup,
            s,
            km,
            signup.skills & request.skills,
            arc_cost(request, signup, km, weights),
        )
        for s, km in accessible
        for signup in signups.get(s.id, ())
        if helps(signup, s, request)
    ]
    return arcs, UnpairedReason.NO_SKILL


def helps(signup: SignupIn, surgery_session: SessionIn, request: RequestIn) -> bool:
    return (
        signup.load_free > 0
        and bool(signup.skills & request.skills)
        and request.level in signup.levels
        and (signup.safeguarding_checked or not surgery_session.requires_safeguarding)
    )


def arc_cost(request: RequestIn, signup: SignupIn, km: float, weights: Weights) -> int:
    """Cost in metres-equivalent: travel, plus missing skills, less a bonus for waiting."""
    missing = len(request.skills - signup.skills)
    bonus = min(request.waited_days * weights.wait_bonus_km_per_day, weights.wait_bonus_cap_km)
    return round((km + missing * weights.missing_skill_km - bonus) * 1000)
