"""Pair as many requests as possible at the least total cost: min-cost maximum flow (OR-Tools).

Groups that booked a place hold their table already, so they are paired first, at their own
session; everyone else is then paired with the volunteers' remaining load and the free tables.
Each independent part of the graph (towns rarely connect) is solved on its own (flow.py), after
the candidate arcs are found as arrays (candidates.py). Python objects are made only for the
answer: the pairings and the unpaired requests.
"""

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import repeat, starmap

import numpy as np

from surgery.matching import flow
from surgery.matching.candidates import (
    UNPAIRED_BECAUSE,
    Candidates,
    distance_km,
    find_candidates,
)
from surgery.matching.parts import Arcs
from surgery.matching.problem import MatchResult, Pairing, Problem, Unpaired


@dataclass(frozen=True)
class MatchFigures:
    """How big the problem was and where the time went, for benchmarks and logs."""

    arcs: int
    parts: int  # independent parts solved, over both rounds
    workers: int  # processes that solved them (1: this one only)
    seconds_candidates: float
    seconds_solve: float


def match(problem: Problem, workers: int | None = None) -> MatchResult:
    """Return the pairings and, for every request left unpaired, the reason why.

    workers: how many processes solve, this one and forked ones; None decides by size (two for
    a national run on two cores or more, else one).
    """
    return match_with_figures(problem, workers)[0]


def match_with_figures(
    problem: Problem, workers: int | None = None
) -> tuple[MatchResult, MatchFigures]:
    """Match, and say how big the problem was and how long each step took."""
    started = time.perf_counter()
    with cyclic_gc_paused():
        candidates = find_candidates(problem)
        found = time.perf_counter()
        chosen, rounds = choose(candidates, workers)
        result = MatchResult(pairings(candidates, chosen), unpaired(candidates, chosen))
    figures = MatchFigures(
        arcs=len(candidates.request),
        parts=sum(r.parts for r in rounds),
        workers=max(r.workers for r in rounds),
        seconds_candidates=found - started,
        seconds_solve=time.perf_counter() - found,
    )
    return result, figures


@contextmanager
def cyclic_gc_paused():
    """Pause the cyclic garbage collector, which would otherwise walk the whole heap again and
    again while a national run makes its hundreds of thousands of (acyclic) objects."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def choose(candidates: Candidates, workers: int | None):
    """Return the positions of the arcs chosen, booked groups first, and each round's figures."""
    c = candidates
    arcs = Arcs(c.request, c.signup, c.session, c.cost, c.previous)
    booked = c.requests.booked[c.request] != -1
    load = c.signups.load_free.copy()
    # Booked groups hold their table already: they need a volunteer, not a seat.
    first, first_round = solve_among(arcs, np.flatnonzero(booked), load, None, workers)
    np.subtract.at(load, c.signup[first], 1)
    rest, second_round = solve_among(
        arcs, np.flatnonzero(~booked), load, c.sessions.seats_free, workers
    )
    return np.sort(np.concatenate([first, rest])), [first_round, second_round]


def solve_among(arcs: Arcs, positions: np.ndarray, load, seats, workers):
    """Solve over the arcs at these positions; return the positions chosen, and figures."""
    if len(positions) == len(arcs):  # spare a copy of every arc when nobody booked
        return flow.solve(arcs, load, seats, workers)
    chosen, figures = flow.solve(arcs.take(positions), load, seats, workers)
    return positions[chosen], figures


def pairings(candidates: Candidates, chosen: np.ndarray) -> tuple[Pairing, ...]:
    """One Pairing per chosen arc, by request id (arcs are already in that order)."""
    c = candidates
    request, signup, session = c.request[chosen], c.signup[chosen], c.session[chosen]
    requests_skills = [c.requests.items[r].skills for r in request.tolist()]
    signups_skills = [c.signups.items[u].skills for u in signup.tolist()]
    km = distance_km(c.requests, c.sessions, request, session).tolist()
    # Positional, in the fields' order, and looped in C: a national run makes tens of thousands.
    return tuple(
        starmap(
            Pairing,
            zip(
                c.requests.id[request].tolist(),
                c.signups.id[signup].tolist(),
                c.sessions.id[session].tolist(),
                map(round, km, repeat(2)),
                map(frozenset.intersection, requests_skills, signups_skills),
                c.cost[chosen].tolist(),
                strict=True,
            ),
        )
    )


def unpaired(candidates: Candidates, chosen: np.ndarray) -> tuple[Unpaired, ...]:
    """Each request without a pairing, by id, with the furthest rule it passed."""
    paired = np.zeros(len(candidates.requests.items), np.bool_)
    paired[candidates.request[chosen]] = True
    ids = candidates.requests.id[~paired].tolist()
    reasons = map(UNPAIRED_BECAUSE.__getitem__, candidates.reached[~paired].tolist())
    return tuple(starmap(Unpaired, zip(ids, reasons, strict=True)))
