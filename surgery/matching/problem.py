"""What the matcher is given and what it gives back."""

import enum
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class RequestIn:
    id: int
    easting: int
    northing: int
    travel_km: float
    skills: frozenset[int]
    level: int
    earliest: date
    latest: date
    availability: frozenset[str]
    access_needs: frozenset[str] = frozenset()
    waited_days: int = 0
    # A group that booked a place itself holds a table there and pairs only at that session.
    booked_session_id: int | None = None


@dataclass(frozen=True)
class SessionIn:
    id: int
    easting: int
    northing: int
    day: date
    slot: str  # when it starts, in the askers' words: weekdays, weekday-evenings or weekends
    seats_free: int  # tables left for groups that have not booked, after fixed pairings
    access: frozenset[str] = frozenset()
    requires_safeguarding: bool = False


@dataclass(frozen=True)
class SignupIn:
    id: int
    session_id: int
    skills: frozenset[int]
    levels: frozenset[int]
    load_free: int  # groups this volunteer can still take there, after fixed pairings
    safeguarding_checked: bool = False


@dataclass(frozen=True)
class Weights:
    """Cost = travel km + a penalty per wanted skill the volunteer lacks − a bonus for waiting."""

    missing_skill_km: float = 5.0
    wait_bonus_km_per_day: float = 0.05
    wait_bonus_cap_km: float = 3.0


@dataclass(frozen=True)
class Problem:
    requests: tuple[RequestIn, ...]
    sessions: tuple[SessionIn, ...]
    signups: tuple[SignupIn, ...]
    weights: Weights = field(default_factory=Weights)
    # (request id, sign-up id) pairs people ruled out: a host dropped the pairing, or the group
    # gave up its place at that session. The matcher never proposes them again.
    ruled_out: frozenset[tuple[int, int]] = frozenset()
    # (request id, sign-up id) pairs proposed by the last run. Among equally good answers the
    # matcher keeps as many of them as it can, so a host's list does not reshuffle every hour.
    proposed_before: frozenset[tuple[int, int]] = frozenset()


class UnpairedReason(enum.StrEnum):
    NOTHING_IN_REACH = "There are no sessions within reach in your dates yet."
    ACCESS_NOT_MET = "The sessions within reach do not have the access you need."
    NO_SKILL = "No volunteer with that skill is signed up to a session within reach."
    FULL = "The sessions within reach are full."


@dataclass(frozen=True)
class Pairing:
    request_id: int
    signup_id: int
    session_id: int
    distance_km: float
    shared_skills: frozenset[int]
    cost: int  # in metres-equivalent, the unit the solver minimised


@dataclass(frozen=True)
class Unpaired:
    request_id: int
    reason: UnpairedReason


@dataclass(frozen=True)
class MatchResult:
    pairings: tuple[Pairing, ...]
    unpaired: tuple[Unpaired, ...]

    @property
    def cost(self) -> int:
        return sum(pairing.cost for pairing in self.pairings)
