"""The problem as numpy columns, one row per request, session or sign-up, in id order.

Sets become bitmasks: one row of 64-bit words per set, one bit per value the problem mentions, so
"shares a skill" or "has every access need" is a few vectorised bit operations per pair.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from operator import attrgetter

import numpy as np

from surgery.matching.problem import Problem, RequestIn, SessionIn, SignupIn

WORD_BITS = 64


@dataclass(frozen=True)
class RequestColumns:
    items: tuple[RequestIn, ...]
    id: np.ndarray
    easting: np.ndarray
    northing: np.ndarray
    travel_km: np.ndarray
    earliest: np.ndarray  # proleptic ordinal days
    latest: np.ndarray
    availability: np.ndarray  # bitmask of slots
    access_needs: np.ndarray  # bitmask of access features
    skills: np.ndarray  # bitmask of skills
    skill_count: np.ndarray
    level: np.ndarray  # the bit of the request's level in the sign-ups' level masks
    booked: np.ndarray  # row of the booked session; -1 for none, -2 for one not in the problem
    wait_bonus_km: np.ndarray


@dataclass(frozen=True)
class SessionColumns:
    items: tuple[SessionIn, ...]
    id: np.ndarray
    easting: np.ndarray
    northing: np.ndarray
    day: np.ndarray
    slot: np.ndarray  # bitmask with the session's one slot, as in requests' availability
    access: np.ndarray
    seats_free: np.ndarray
    requires_safeguarding: np.ndarray


@dataclass(frozen=True)
class SignupColumns:
    items: tuple[SignupIn, ...]
    id: np.ndarray
    session: np.ndarray  # row of the sign-up's session; -1 for one not in the problem
    skills: np.ndarray
    levels: np.ndarray
    load_free: np.ndarray
    safeguarding_checked: np.ndarray


def to_columns(problem: Problem) -> tuple[RequestColumns, SessionColumns, SignupColumns]:
    """Return the problem's requests, sessions and sign-ups as columns, each sorted by id."""
    requests = tuple(sorted(problem.requests, key=attrgetter("id")))
    sessions = tuple(sorted(problem.sessions, key=attrgetter("id")))
    signups = tuple(sorted(problem.signups, key=attrgetter("id")))
    session_row = {s.id: row for row, s in enumerate(sessions)}
    # Each pair of lists shares one numbering of its values: skills asked for and offered, say.
    skills = encode(values(requests, "skills"), values(signups, "skills"))
    slots = encode(values(requests, "availability"), [frozenset([s.slot]) for s in sessions])
    access = encode(values(requests, "access_needs"), values(sessions, "access"))
    signup_levels = values(signups, "levels")
    level_bit = numbered([frozenset(values(requests, "level")), *set(signup_levels)])
    return (
        request_columns(requests, skills[0], slots[0], access[0], level_bit, session_row, problem),
        session_columns(sessions, slots[1], access[1]),
        SignupColumns(
            items=signups,
            id=column(signups, "id", np.int64),
            session=rows_of(values(signups, "session_id"), session_row, missing=-1),
            skills=skills[1],
            levels=bitmasks(signup_levels, set(signup_levels), level_bit),
            load_free=np.maximum(column(signups, "load_free", np.int64), 0),
            safeguarding_checked=column(signups, "safeguarding_checked", np.bool_),
        ),
    )


def request_columns(requests, skills, availability, access_needs, level_bit, session_row, problem):
    levels = values(requests, "level")
    booked = rows_of(values(requests, "booked_session_id"), {None: -1, **session_row}, missing=-2)
    waited_days = column(requests, "waited_days", np.float64)
    weights = problem.weights
    return RequestColumns(
        items=requests,
        id=column(requests, "id", np.int64),
        easting=column(requests, "easting", np.int64),
        northing=column(requests, "northing", np.int64),
        travel_km=column(requests, "travel_km", np.float64),
        earliest=ordinals(values(requests, "earliest")),
        latest=ordinals(values(requests, "latest")),
        availability=availability,
        access_needs=access_needs,
        skills=skills,
        skill_count=np.fromiter(map(len, values(requests, "skills")), np.int64, len(requests)),
        level=np.fromiter(map(level_bit.__getitem__, levels), np.int64, len(requests)),
        booked=booked,
        # The same float operations as min(days × per day, cap) in Python, so costs do not move.
        wait_bonus_km=np.minimum(
            waited_days * weights.wait_bonus_km_per_day, weights.wait_bonus_cap_km
        ),
    )


def session_columns(sessions, slot, access) -> SessionColumns:
    return SessionColumns(
        items=sessions,
        id=column(sessions, "id", np.int64),
        easting=column(sessions, "easting", np.int64),
        northing=column(sessions, "northing", np.int64),
        day=ordinals(values(sessions, "day")),
        slot=slot,
        access=access,
        seats_free=np.maximum(column(sessions, "seats_free", np.int64), 0),
        requires_safeguarding=column(sessions, "requires_safeguarding", np.bool_),
    )


def rows_of(ids: list, row_of: dict, missing: int) -> np.ndarray:
    """The row of each id, or `missing` for an id not in row_of."""
    return np.fromiter(map(row_of.get, ids, repeat(missing)), np.int64, len(ids))


def values(items: Sequence, name: str) -> list:
    return list(map(attrgetter(name), items))


def column(items: Sequence, name: str, dtype) -> np.ndarray:
    return np.fromiter(map(attrgetter(name), items), dtype, len(items))


def ordinals(days: list[date]) -> np.ndarray:
    return np.fromiter(map(date.toordinal, days), np.int64, len(days))


def encode(*families: list[frozenset]) -> list[np.ndarray]:
    """Bitmasks for lists of sets whose values share one numbering (skills of both sides, say)."""
    distinct = [set(family) for family in families]
    bit_of = numbered([members for sets in distinct for members in sets])
    return [bitmasks(f, d, bit_of) for f, d in zip(families, distinct, strict=True)]


def numbered(sets: Iterable[frozenset]) -> dict:
    """Give each value a bit, in sorted order so the numbering does not depend on input order."""
    return {value: bit for bit, value in enumerate(sorted(frozenset().union(*sets)))}


def bitmasks(sets: Sequence[frozenset], distinct: set[frozenset], bit_of: dict) -> np.ndarray:
    """One row of 64-bit words per set, with the bit of each of its values set."""
    words = max(1, -(-len(bit_of) // WORD_BITS))
    # Items share few distinct sets, so each distinct set is encoded once.
    as_int = {members: sum(1 << bit_of[value] for value in members) for members in distinct}
    masks = np.empty((len(sets), words), np.uint64)
    for word in range(words):
        shift, keep = word * WORD_BITS, (1 << WORD_BITS) - 1
        word_of = {members: (number >> shift) & keep for members, number in as_int.items()}
        masks[:, word] = np.fromiter(map(word_of.__getitem__, sets), np.uint64, len(sets))
    return masks


def overlaps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each row of a shares a bit with the same row of b."""
    if a.shape[1] == 1:  # the usual case, and much faster without the reduction
        return (a[:, 0] & b[:, 0]) != 0
    return (a & b).any(axis=1)


def within(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each row of a has only bits that the same row of b has."""
    if a.shape[1] == 1:
        return (a[:, 0] & ~b[:, 0]) == 0
    return ~(a & ~b).any(axis=1)


def bit_count(a: np.ndarray) -> np.ndarray:
    """How many bits each row has."""
    if a.shape[1] == 1:
        return np.bitwise_count(a[:, 0])
    return np.bitwise_count(a).sum(axis=1, dtype=np.int64)
