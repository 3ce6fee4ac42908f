"""Benchmark the pure matcher on seeded national data, against networkx and a greedy baseline.

    .venv/bin/python bench/matcher.py --scale small|medium|large

Requests cluster around 60 real postcode districts (from the postcode index); sessions and sign-ups
follow them. Times the candidate search and the solve; at small and medium scale, solves the same
arcs with networkx's max_flow_min_cost as the reference optimum; always runs a greedy baseline
(oldest request first, cheapest slot with room). The database load and store are not in these
figures yet. The last line is one JSON object.
"""

import argparse
import json
import random
import resource
import sqlite3
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import networkx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from surgery.matching import Problem, RequestIn, SessionIn, SignupIn, match  # noqa: E402
from surgery.matching.candidates import find_candidates  # noqa: E402

SCALES = {
    "small": (500, 30, 150),
    "medium": (10_000, 600, 3_000),
    "large": (100_000, 5_000, 25_000),
}
SLOTS = ["weekdays", "weekday-evenings", "weekends"]
ACCESS = ["step-free", "hearing-loop", "quiet-space", "device-to-borrow", "parking"]
START = date(2027, 1, 4)


def towns(seed: int) -> list[tuple[int, int]]:
    """Sixty real districts, chosen among the well-populated ones."""
    index = sqlite3.connect(REPO / ".cache" / "postcodes.sqlite3")
    rows = index.execute(
        "SELECT easting, northing FROM districts WHERE postcodes > 1000"
    ).fetchall()
    return random.Random(seed).sample(sorted(rows), 60)


def near(rng, town, spread_m):
    return int(rng.gauss(town[0], spread_m)), int(rng.gauss(town[1], spread_m))


def generate(scale: str, seed: int = 7) -> Problem:
    n_requests, n_sessions, n_signups = SCALES[scale]
    rng, places = random.Random(seed), towns(seed)
    sessions = []
    for i in range(n_sessions):
        e, n = near(rng, rng.choice(places), 3_000)
        sessions.append(
            SessionIn(
                id=i + 1,
                easting=e,
                northing=n,
                day=START + timedelta(days=rng.randrange(60)),
                slot=rng.choice(SLOTS),
                seats_free=rng.randint(3, 8),
                access=frozenset(rng.sample(ACCESS, rng.randint(1, 4))),
            )
        )
    signups = [
        SignupIn(
            id=i + 1,
            session_id=rng.randrange(n_sessions) + 1,
            skills=frozenset(rng.sample(range(1, 13), rng.randint(2, 4))),
            levels=frozenset(rng.sample(range(1, 5), rng.randint(2, 3))),
            load_free=rng.randint(1, 3),
        )
        for i in range(n_signups)
    ]
    requests = []
    for i in range(n_requests):
        e, n = near(rng, rng.choice(places), 4_000)
        earliest = START + timedelta(days=rng.randrange(40))
        requests.append(
            RequestIn(
                id=i + 1,
                easting=e,
                northing=n,
                travel_km=rng.choice([2, 5, 5, 10, 10, 20]),
                skills=frozenset(rng.sample(range(1, 13), rng.randint(1, 3))),
                level=rng.randint(1, 4),
                earliest=earliest,
                latest=earliest + timedelta(days=rng.randint(7, 45)),
                availability=frozenset(rng.sample(SLOTS, rng.randint(1, 3))),
                access_needs=frozenset(rng.sample(ACCESS, 1))
                if rng.random() < 0.1
                else frozenset(),
                waited_days=rng.randrange(60),
            )
        )
    return Problem(tuple(requests), tuple(sessions), tuple(signups))


def reference(arcs) -> tuple[int, int]:
    """The optimum by networkx on the same arcs: source → request → sign-up → session → sink."""
    graph = networkx.DiGraph()
    for arc in arcs:
        r, s, session = ("r", arc.request.id), ("s", arc.signup.id), ("S", arc.session.id)
        graph.add_edge("source", r, capacity=1, weight=0)
        graph.add_edge(r, s, capacity=1, weight=arc.cost)
        graph.add_edge(s, session, capacity=arc.signup.load_free, weight=0)
        graph.add_edge(session, "sink", capacity=arc.session.seats_free, weight=0)
    flow = networkx.max_flow_min_cost(graph, "source", "sink")
    return sum(flow["source"].values()), networkx.cost_of_flow(graph, flow)


def greedy(arcs) -> tuple[int, int]:
    """Oldest request first, each to its cheapest arc that still has room."""
    by_request = {}
    for arc in arcs:
        by_request.setdefault(arc.request.id, []).append(arc)
    load, seats, matched, cost = {}, {}, 0, 0
    for options in sorted(
        by_request.values(), key=lambda a: (-a[0].request.waited_days, a[0].request.id)
    ):
        for arc in sorted(options, key=lambda a: (a.cost, a.signup.id)):
            if (
                load.get(arc.signup.id, arc.signup.load_free) > 0
                and seats.get(arc.session.id, arc.session.seats_free) > 0
            ):
                load[arc.signup.id] = load.get(arc.signup.id, arc.signup.load_free) - 1
                seats[arc.session.id] = seats.get(arc.session.id, arc.session.seats_free) - 1
                matched, cost = matched + 1, cost + arc.cost
                break
    return matched, cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="small")
    scale = parser.parse_args().scale
    problem = generate(scale)
    started = time.perf_counter()
    arcs = find_candidates(problem).arcs
    candidates_s = time.perf_counter() - started
    started = time.perf_counter()
    result = match(problem)
    total_s = time.perf_counter() - started
    solve_s = total_s - candidates_s  # match() repeats the candidate search, then solves
    ref = reference(arcs) if scale in ("small", "medium") else (None, None)
    greedy_matched, greedy_cost = greedy(arcs)
    figures = {
        "scale": scale,
        "requests": len(problem.requests),
        "arcs": len(arcs),
        "matched": len(result.pairings),
        "cost": result.cost,
        "seconds_total": round(total_s, 3),
        "seconds_candidates": round(candidates_s, 3),
        "seconds_solve": round(solve_s, 3),
        "reference_matched": ref[0],
        "reference_cost": ref[1],
        "greedy_matched": greedy_matched,
        "greedy_cost": greedy_cost,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(f"{scale}: {figures['requests']:,} requests, {figures['arcs']:,} candidate arcs")
    print(
        f"  matcher: {figures['matched']:,} paired, cost {figures['cost']:,} "
        f"in {total_s:.3f} s ({candidates_s:.3f} s candidates, {solve_s:.3f} s solving)"
    )
    if ref[0] is not None:
        print(f"  networkx reference: {ref[0]:,} paired, cost {ref[1]:,}")
    print(f"  greedy baseline: {greedy_matched:,} paired, cost {greedy_cost:,}")
    print(f"  peak memory {figures['peak_rss_mb']} MB (database load and store not included)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
