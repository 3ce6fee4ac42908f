"""Benchmark the pure matcher on seeded national data, against networkx and a greedy baseline.

    .venv/bin/python bench/matcher.py --scale small|medium|large

Requests cluster around 60 real postcode districts (from the postcode index); sessions and sign-ups
follow them. Times the candidate search and the solve; at small and medium scale, solves the same
arcs with networkx's max_flow_min_cost as the reference optimum; always runs a greedy baseline
(oldest request first, cheapest slot with room). Then, end to end, it loads the same data into a
fresh database (SQLite in a temporary folder, or a scratch database created on the PostgreSQL
server of --database-url, vacuumed and analysed as a live one would be, and dropped afterwards) and
times the matching service from the database rows to the stored pairings (seconds_end_to_end), then
its next run with nothing changed.

Stability: the matcher is run again with its own proposals as last run's, once with nothing
changed (moved_no_change, target 0) and once after 1 % more requests (moved_after_1pct and its
share of the earlier proposals, target under 1 %; the same re-run without the preference for
last run's proposals is given beside it). The last line is one JSON object.

Memory: peak_rss_mb is the peak, while the matcher runs (before the baselines), of the memory of
this process plus any solver process it forks, sampled every 20 ms from a separate process as the
sum of their proportional set sizes (pages shared after the fork count once), and never less than
this process's exact peak RSS, peak_rss_main_mb. Both include the generated problem itself.
"""

import argparse
import gc
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from matching_db import time_end_to_end  # noqa: E402  (beside this file)

from surgery.matching import Problem, RequestIn, SessionIn, SignupIn, match  # noqa: E402
from surgery.matching.candidates import Candidates, find_candidates  # noqa: E402
from surgery.matching.solve import match_with_figures  # noqa: E402
from surgery.services.matching import churn  # noqa: E402

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
        day = START + timedelta(days=rng.randrange(60))
        # As a real session's start time would give it: weekends, or weekday day or evening.
        slot = "weekends" if day.weekday() >= 5 else rng.choice(SLOTS[:2])
        sessions.append(
            SessionIn(
                id=i + 1,
                easting=e,
                northing=n,
                day=day,
                slot=slot,
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
    requests = new_requests(rng, places, range(1, n_requests + 1))
    return Problem(tuple(requests), tuple(sessions), tuple(signups))


def new_requests(rng, places, ids) -> list[RequestIn]:
    requests = []
    for i in ids:
        e, n = near(rng, rng.choice(places), 4_000)
        earliest = START + timedelta(days=rng.randrange(40))
        requests.append(
            RequestIn(
                id=i,
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
    return requests


def with_more_requests(problem: Problem, share: float, seed: int = 8) -> Problem:
    """The problem with share × its requests more, drawn as the first ones were."""
    first = max(r.id for r in problem.requests) + 1
    count = max(1, round(len(problem.requests) * share))
    added = new_requests(random.Random(seed), towns(7), range(first, first + count))
    return replace(problem, requests=(*problem.requests, *added))


def stability(problem: Problem, result) -> dict:
    """Re-run with the proposals just made as last run's: with no change, and with 1 % more
    requests (with and without the preference for last run's proposals)."""
    before = {p.request_id: (p.signup_id, p.session_id) for p in result.pairings}
    previous = frozenset((request, signup) for request, (signup, _) in before.items())
    started = time.perf_counter()
    same = match(replace(problem, proposed_before=previous))
    seconds_rerun = time.perf_counter() - started
    no_change = churn(before, same.pairings)
    grown = with_more_requests(problem, 0.01)
    kept = match(replace(grown, proposed_before=previous))
    plain = match(grown)
    after, without = churn(before, kept.pairings), churn(before, plain.pairings)
    return {
        "seconds_rerun": round(seconds_rerun, 3),
        "moved_no_change": no_change["moved"] + no_change["dropped"],
        "rerun_same_pairs_and_cost": (len(same.pairings), same.cost)
        == (len(result.pairings), result.cost),
        "requests_added": len(grown.requests) - len(problem.requests),
        "moved_after_1pct": after["moved"],
        "dropped_after_1pct": after["dropped"],
        "moved_after_1pct_share": round(after["moved"] / max(len(before), 1), 5),
        "moved_after_1pct_without_preference": without["moved"],
        "dropped_after_1pct_without_preference": without["dropped"],
        "after_1pct_same_pairs_and_cost": (len(kept.pairings), kept.cost)
        == (len(plain.pairings), plain.cost),
    }


def reference(candidates: Candidates) -> tuple[int, int]:
    """The optimum by networkx on the same arcs: source → request → sign-up → session → sink."""
    import networkx  # only the small scales need it

    c, graph = candidates, networkx.DiGraph()
    for r, u, s, cost in zip(*arc_lists(c), strict=True):
        graph.add_edge("source", ("r", r), capacity=1, weight=0)
        graph.add_edge(("r", r), ("s", u), capacity=1, weight=cost)
        graph.add_edge(("s", u), ("S", s), capacity=int(c.signups.load_free[u]), weight=0)
        graph.add_edge(("S", s), "sink", capacity=int(c.sessions.seats_free[s]), weight=0)
    flow = networkx.max_flow_min_cost(graph, "source", "sink")
    return sum(flow["source"].values()), networkx.cost_of_flow(graph, flow)


def greedy(candidates: Candidates) -> tuple[int, int]:
    """Oldest request first, each to its cheapest arc that still has room."""
    c = candidates
    waited = np.fromiter((r.waited_days for r in c.requests.items), np.int64)
    # Rows are in id order, so ties go to the lower request id, then the lower sign-up id.
    order = np.lexsort((c.signup, c.cost, c.request, -waited[c.request]))
    load, seats = c.signups.load_free.tolist(), c.sessions.seats_free.tolist()
    paired, matched, total = set(), 0, 0
    for r, u, s, cost in zip(*arc_lists(c, order), strict=True):
        if r not in paired and load[u] > 0 and seats[s] > 0:
            load[u], seats[s] = load[u] - 1, seats[s] - 1
            paired.add(r)
            matched, total = matched + 1, total + cost
    return matched, total


def arc_lists(c: Candidates, order=slice(None)) -> list[list[int]]:
    """Request, sign-up and session rows and costs of the arcs, as lists, in this order."""
    return [values[order].tolist() for values in (c.request, c.signup, c.session, c.cost)]


# Sums the proportional set size (PSS) of a process and its descendants every 20 ms until its
# stdin closes, then prints the peak in kB. PSS splits the pages a forked worker shares with its
# parent between them, so the sum counts each page once.
SAMPLER = """
import os, select, sys
root, me, peak = int(sys.argv[1]), os.getpid(), 0
def tree(pid):
    yield pid
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as children:
            for child in children.read().split():
                yield from tree(int(child))
def pss(pid):
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        return next(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
while not select.select([sys.stdin], [], [], 0.02)[0]:
    try:
        peak = max(peak, sum(pss(pid) for pid in tree(root) if pid != me))
    except (OSError, StopIteration):  # a process ended while we read it
        pass
print(peak)
"""


class PeakMemory:
    """The peak memory of this process and any it forks while the block runs, in MB.

    Sampled from another process: a thread here could not run while OR-Tools holds the GIL.
    Never less than this process's own exact peak RSS (which misses forked workers).
    """

    def __enter__(self):
        self.sampler = subprocess.Popen(
            [sys.executable, "-c", SAMPLER, str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        return self

    def __exit__(self, *exc):
        sampled_kb = int(self.sampler.communicate("")[0] or 0)
        self.own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.peak_mb = max(sampled_kb / 1024, self.own_mb)


def cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for (a forked solver)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument(
        "--database-url", help="an empty database for the end-to-end run (default: SQLite)"
    )
    arguments = parser.parse_args()
    scale = arguments.scale
    problem = generate(scale)
    gc.collect()
    # The matcher first, alone, so the baselines below weigh nothing in its memory figure.
    with PeakMemory() as memory:
        started, cpu_started = time.perf_counter(), cpu_seconds()
        result, matched = match_with_figures(problem)
        total_s, cpu_s = time.perf_counter() - started, cpu_seconds() - cpu_started
    candidates = find_candidates(problem)
    ref = reference(candidates) if scale in ("small", "medium") else (None, None)
    greedy_matched, greedy_cost = greedy(candidates)
    figures = {
        "scale": scale,
        "requests": len(problem.requests),
        "arcs": matched.arcs,
        "components": matched.parts,
        "workers": matched.workers,
        "matched": len(result.pairings),
        "cost": result.cost,
        "seconds_total": round(total_s, 3),
        "seconds_candidates": round(matched.seconds_candidates, 3),
        "seconds_solve": round(matched.seconds_solve, 3),
        "seconds_cpu": round(cpu_s, 3),
        "reference_matched": ref[0],
        "reference_cost": ref[1],
        "greedy_matched": greedy_matched,
        "greedy_cost": greedy_cost,
        "peak_rss_mb": round(memory.peak_mb, 1),
        "peak_rss_main_mb": round(memory.own_mb, 1),
    }
    figures |= stability(problem, result)
    a_month_before = datetime(START.year, START.month, START.day, 9, tzinfo=UTC) - timedelta(30)
    figures |= time_end_to_end(problem, a_month_before, arguments.database_url)
    report(figures)


def report(figures: dict) -> None:
    print(
        f"{figures['scale']}: {figures['requests']:,} requests, {figures['arcs']:,} candidate arcs"
    )
    print(
        f"  matcher: {figures['matched']:,} paired, cost {figures['cost']:,} "
        f"in {figures['seconds_total']:.3f} s ({figures['seconds_candidates']:.3f} s candidates, "
        f"{figures['seconds_solve']:.3f} s solving {figures['components']} parts "
        f"in {figures['workers']} process(es); {figures['seconds_cpu']:.3f} s of CPU)"
    )
    if figures["reference_matched"] is not None:
        print(
            f"  networkx reference: {figures['reference_matched']:,} paired, "
            f"cost {figures['reference_cost']:,}"
        )
    print(
        f"  greedy baseline: {figures['greedy_matched']:,} paired, cost {figures['greedy_cost']:,}"
    )
    print(
        f"  peak memory {figures['peak_rss_mb']} MB with any forked solver (main process "
        f"alone {figures['peak_rss_main_mb']} MB)"
    )
    print(
        f"  re-run with nothing changed: {figures['moved_no_change']} of "
        f"{figures['matched']:,} proposals moved (same pairs and cost: "
        f"{figures['rerun_same_pairs_and_cost']}) in {figures['seconds_rerun']:.3f} s"
    )
    print(
        f"  re-run after {figures['requests_added']:,} new requests: "
        f"{figures['moved_after_1pct']} moved ({figures['moved_after_1pct_share']:.3%}), "
        f"{figures['dropped_after_1pct']} dropped; without the preference "
        f"{figures['moved_after_1pct_without_preference']} moved, "
        f"{figures['dropped_after_1pct_without_preference']} dropped (same pairs and cost: "
        f"{figures['after_1pct_same_pairs_and_cost']})"
    )
    print(
        f"  end to end on {figures['end_to_end_database']}, database rows to stored pairings: "
        f"{figures['end_to_end_stored']:,} pairings stored in "
        f"{figures['seconds_end_to_end']:.3f} s; the next run with nothing changed "
        f"{figures['seconds_end_to_end_rerun']:.3f} s, churn {figures['end_to_end_rerun_churn']}"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
