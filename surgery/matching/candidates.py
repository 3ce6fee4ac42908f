"""Which request may pair with which sign-up, as arrays, found through a grid of sessions.

No Python object per arc: requests are taken a block at a time, matched to the sessions in the
grid cells within their reach, filtered by the rules, then expanded to those sessions' sign-ups.
"""

from dataclasses import dataclass

import numpy as np

from surgery.matching.columns import (
    WORD_BITS,
    RequestColumns,
    SessionColumns,
    SignupColumns,
    bit_count,
    overlaps,
    to_columns,
    within,
)
from surgery.matching.problem import Problem, UnpairedReason, Weights

CELL_METRES = 5_000
# Requests taken at once: bounds the memory of the request × nearby-session pairs.
BLOCK_REQUESTS = 5_000

# How far a request got through the rules, and what to tell its group if it stays unpaired.
REACHED_NOTHING, REACHED_SESSION, REACHED_ACCESS, REACHED_SIGNUP = range(4)
UNPAIRED_BECAUSE = (
    UnpairedReason.NOTHING_IN_REACH,
    UnpairedReason.ACCESS_NOT_MET,
    UnpairedReason.NO_SKILL,
    UnpairedReason.FULL,
)


@dataclass(frozen=True)
class Candidates:
    """Every eligible (request, sign-up) arc, one array entry each.

    Arcs hold row numbers into the columns, which hold the problem's items sorted by id, and come
    by request, then session, then sign-up: the order the solver's tie-break follows.
    """

    requests: RequestColumns
    sessions: SessionColumns
    signups: SignupColumns
    request: np.ndarray
    signup: np.ndarray
    session: np.ndarray
    cost: np.ndarray  # metres-equivalent, int64
    previous: np.ndarray  # per arc: proposed by the last run (bool)
    reached: np.ndarray  # per request: REACHED_NOTHING … REACHED_SIGNUP


def find_candidates(problem: Problem) -> Candidates:
    """Return every eligible arc, in an order that does not depend on the input's order."""
    requests, sessions, signups = to_columns(problem)
    search = Search(requests, sessions, signups, problem.weights, problem.ruled_out)
    n = len(requests.items)
    found = [
        search.arcs_for(np.arange(i, min(i + BLOCK_REQUESTS, n)))
        for i in range(0, n, BLOCK_REQUESTS)
    ]
    columns = zip(*found, strict=True) if found else [[np.zeros(0, np.int64)]] * 4
    request, signup, session, cost = (np.concatenate(column) for column in columns)
    previous = proposed_before(request, signup, requests, signups, problem.proposed_before)
    return Candidates(
        requests, sessions, signups, request, signup, session, cost, previous, search.reached
    )


def proposed_before(request, signup, requests, signups, pairs) -> np.ndarray:
    """Mark the arcs (row numbers) that are among these (request id, sign-up id) pairs."""
    if not pairs:
        return np.zeros(len(request), np.bool_)
    count = len(signups.items)
    return np.isin(request * count + signup, pair_keys(requests, signups, pairs, count))


class Search:
    """The rules applied to requests a block at a time, noting how far each request got."""

    def __init__(self, requests, sessions, signups, weights: Weights, ruled_out=frozenset()):
        self.requests, self.sessions, self.weights = requests, sessions, weights
        self.grid = SessionGrid(sessions)
        self.helpers = Helpers(signups, sessions)
        self.reached = np.zeros(len(requests.items), np.int8)
        self.signup_count = len(signups.items)
        self.ruled_out = pair_keys(requests, signups, ruled_out, self.signup_count)

    def arcs_for(self, block: np.ndarray):
        """Return (request, sign-up, session, cost) for a block of requests, by request."""
        request, session, km = self.reachable(block)
        self.reached[request] = REACHED_SESSION
        request, session, km = self.accessible(request, session, km)
        self.reached[request] = REACHED_ACCESS
        request, signup, session, km, shared = self.helping(request, session, km)
        self.reached[request] = REACHED_SIGNUP
        requests, weights = self.requests, self.weights
        missing = requests.skill_count[request] - shared
        # The same float operations, in the same order, as the one-arc-at-a-time version did.
        cost_km = km + missing * weights.missing_skill_km - requests.wait_bonus_km[request]
        return request, signup, session, np.rint(cost_km * 1000).astype(np.int64)

    def reachable(self, block: np.ndarray):
        """Return (request, session, km) for the sessions in reach, in dates, days and booking."""
        requests, sessions = self.requests, self.sessions
        request, session = self.grid.pairs_near(block, requests)  # already within the dates
        km = distance_km(requests, sessions, request, session)
        booked = requests.booked[request]
        reachable = np.flatnonzero(
            (km <= requests.travel_km[request])
            & overlaps(requests.availability[request], sessions.slot[session])
            & ((booked == -1) | (booked == session))
        )
        return request[reachable], session[reachable], km[reachable]

    def accessible(self, request, session, km):
        """Keep the pairs whose session has every access feature the request needs."""
        needs, has = self.requests.access_needs[request], self.sessions.access[session]
        kept = np.flatnonzero(within(needs, has))
        return request[kept], session[kept], km[kept]

    def helping(self, request, session, km):
        """Expand pairs to the sign-ups there that take on the level and share a skill.

        Return (request, sign-up, session, km, skills shared), by request, session, sign-up.
        """
        order = np.argsort(request * len(self.sessions.items) + session, kind="stable")
        request, session, km = request[order], session[order], km[order]
        pair, signup = self.helpers.at(session, self.requests.level[request])
        shared = bit_count(self.requests.skills[request][pair] & self.helpers.skills[signup])
        helps = shared > 0
        if len(self.ruled_out):
            key = request[pair] * self.signup_count + signup
            helps &= ~np.isin(key, self.ruled_out)
        helps = np.flatnonzero(helps)
        pair, signup, shared = pair[helps], signup[helps], shared[helps]
        return request[pair], signup, session[pair], km[pair], shared


def pair_keys(requests: RequestColumns, signups: SignupColumns, pairs, signup_count: int):
    """(request id, sign-up id) pairs as one sorted key each, in row numbers."""
    request_row = {item.id: row for row, item in enumerate(requests.items)}
    signup_row = {item.id: row for row, item in enumerate(signups.items)}
    keys = [
        request_row[r] * signup_count + signup_row[s]
        for r, s in pairs
        if r in request_row and s in signup_row
    ]
    return np.array(sorted(keys), np.int64)


def distance_km(requests: RequestColumns, sessions: SessionColumns, request, session):
    """Straight-line km from each request to each session (row numbers, pairwise)."""
    dx = requests.easting[request] - sessions.easting[session]
    dy = requests.northing[request] - sessions.northing[session]
    # The square root of an exact integer is what math.hypot gives; np.hypot differs in the last
    # bit now and then, which could move a session across the edge of someone's reach.
    return np.sqrt(dx * dx + dy * dy) / 1000


class SessionGrid:
    """Sessions sorted by square cell, row by row, then by day, then by id.

    The sessions of one cell within a request's dates are then one slice of that order.
    """

    def __init__(self, sessions: SessionColumns):
        column = sessions.easting // CELL_METRES
        row = sessions.northing // CELL_METRES
        self.first_column, self.columns = span(column)
        self.first_row, self.rows = span(row)
        self.first_day, self.days = span(sessions.day)
        cell = (row - self.first_row) * self.columns + (column - self.first_column)
        keys = cell * self.days + (sessions.day - self.first_day)
        self.session = np.argsort(keys, kind="stable")
        # Most cells are empty, so a row of cells is looked up as a run of the occupied ones.
        occupied = np.bincount(cell, minlength=self.rows * self.columns) > 0
        self.occupied_before = np.concatenate(([0], np.cumsum(occupied)))
        # Where an occupied cell's sessions on each day begin (and, at days, where they end):
        # a request's dates are then two look-ups, not two searches.
        day_keys = np.flatnonzero(occupied)[:, None] * self.days + np.arange(self.days + 1)
        self.day_starts = np.searchsorted(keys[self.session], day_keys).astype(np.int32)

    def pairs_near(self, block: np.ndarray, requests: RequestColumns):
        """Return (request, session) for each session in a request's dates and near its reach.

        Near means in a cell its circle of reach touches: a superset of the sessions in reach.
        """
        # A metre to spare against rounding: the exact distance test comes later.
        reach = requests.travel_km[block] * 1000 + 1
        easting, northing = requests.easting[block], requests.northing[block]
        first_row = np.maximum(cells(northing - reach) - self.first_row, 0)
        last_row = np.minimum(cells(northing + reach) - self.first_row, self.rows - 1)
        owner, row = expand(first_row, np.maximum(last_row - first_row + 1, 0))
        # How near the row's band comes to the request sets how wide the circle is there.
        south, north = (row + self.first_row) * CELL_METRES, northing[owner]
        gap = np.maximum(np.maximum(south - north, north - south - CELL_METRES), 0)
        half_width = np.sqrt(np.maximum(reach[owner] ** 2 - gap.astype(np.float64) ** 2, 0))
        west = np.clip(cells(easting[owner] - half_width) - self.first_column, 0, self.columns)
        east = np.clip(cells(easting[owner] + half_width) - self.first_column, -1, self.columns - 1)
        first = self.occupied_before[row * self.columns + west]
        end = self.occupied_before[row * self.columns + np.maximum(east + 1, west)]
        owner, cell = expand(first, end - first, owner)  # cell: its number among occupied ones
        earliest = np.clip(requests.earliest[block] - self.first_day, 0, self.days)
        after = np.clip(requests.latest[block] + 1 - self.first_day, 0, self.days)
        start = self.day_starts[cell, earliest[owner]]
        end = self.day_starts[cell, after[owner]]
        owner, position = expand(start, np.maximum(end - start, 0), owner)
        return block[owner], self.session[position]


def span(values: np.ndarray) -> tuple[int, int]:
    """The smallest value and how many values lie from it to the largest."""
    if not len(values):
        return 0, 1
    return int(values.min()), int(values.max() - values.min()) + 1


def cells(metres: np.ndarray) -> np.ndarray:
    return np.floor_divide(metres, CELL_METRES).astype(np.int64)


class Helpers:
    """The sign-ups that could help someone, listed under each session and level they take on."""

    def __init__(self, signups: SignupColumns, sessions: SessionColumns):
        known = signups.session >= 0
        safe = np.ones(len(signups.items), np.bool_)
        requires = sessions.requires_safeguarding[signups.session[known]]
        safe[known] = signups.safeguarding_checked[known] | ~requires
        usable = np.flatnonzero(known & safe & (signups.load_free > 0))
        self.level_bits = signups.levels.shape[1] * WORD_BITS
        bit = np.arange(self.level_bits)
        word, shift = bit // WORD_BITS, (bit % WORD_BITS).astype(np.uint64)
        helper, level = np.nonzero((signups.levels[usable][:, word] >> shift) & 1)
        keys = signups.session[usable[helper]] * self.level_bits + level
        # By session and level, then by sign-up id (the row number), for a deterministic order.
        self.signup = usable[helper[np.argsort(keys, kind="stable")]]
        self.count = np.bincount(keys, minlength=len(sessions.items) * self.level_bits)
        self.start = np.cumsum(self.count) - self.count
        self.skills = signups.skills

    def at(self, session: np.ndarray, level: np.ndarray):
        """Return (pair, sign-up) for each sign-up at pair's session that takes on its level."""
        key = session * self.level_bits + level
        pair, position = expand(self.start[key], self.count[key])
        return pair, self.signup[position]


def expand(starts: np.ndarray, counts: np.ndarray, owners: np.ndarray | None = None):
    """Return, for each i, counts[i] rows: (owners[i] or i, starts[i] + 0 … counts[i] − 1)."""
    index = np.repeat(np.arange(len(counts)), counts)
    values = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(len(index))
    return (index if owners is None else owners[index]), values
