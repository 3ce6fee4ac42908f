"""Pair as many requests as possible at the least total cost: min-cost maximum flow (OR-Tools).

Groups that booked a place hold their table already, so they are paired first, at their own
session; everyone else is then paired with the volunteers' remaining load and the free tables.
Each independent part of the graph (towns rarely connect) is solved on its own.
"""

from collections import defaultdict

from ortools.graph.python import min_cost_flow

from surgery.matching.candidates import Arc, find_candidates
from surgery.matching.problem import MatchResult, Pairing, Problem, Unpaired, UnpairedReason


def match(problem: Problem) -> MatchResult:
    """Return the pairings and, for every request left unpaired, the reason why."""
    candidates = find_candidates(problem)
    load_left = {signup.id: signup.load_free for signup in problem.signups}
    booked = [arc for arc in candidates.arcs if arc.request.booked_session_id is not None]
    chosen = solve(booked, load_left, seats=None)
    for arc in chosen:
        load_left[arc.signup.id] -= 1
    seats = {surgery_session.id: surgery_session.seats_free for surgery_session in problem.sessions}
    unbooked = [arc for arc in candidates.arcs if arc.request.booked_session_id is None]
    chosen += solve(unbooked, load_left, seats)
    paired = {arc.request.id for arc in chosen}
    unpaired = tuple(
        Unpaired(request.id, candidates.blocked.get(request.id, UnpairedReason.FULL))
        for request in sorted(problem.requests, key=lambda r: r.id)
        if request.id not in paired
    )
    pairings = tuple(sorted((as_pairing(arc) for arc in chosen), key=lambda p: p.request_id))
    return MatchResult(pairings, unpaired)


def as_pairing(arc: Arc) -> Pairing:
    return Pairing(
        request_id=arc.request.id,
        signup_id=arc.signup.id,
        session_id=arc.session.id,
        distance_km=round(arc.distance_km, 2),
        shared_skills=arc.shared,
        cost=arc.cost,
    )


def solve(arcs: list[Arc], load_left: dict[int, int], seats: dict[int, int] | None) -> list[Arc]:
    """Solve each connected part of these arcs exactly and return the arcs chosen."""
    chosen = []
    for part in components(arcs):
        chosen += solve_part(part, load_left, seats)
    return chosen


def components(arcs: list[Arc]) -> list[list[Arc]]:
    """Split arcs into parts that share no request and no session (union-find)."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for arc in arcs:
        parent[find(("r", arc.request.id))] = find(("s", arc.session.id))
    parts = defaultdict(list)
    for arc in arcs:
        parts[find(("s", arc.session.id))].append(arc)
    return sorted(parts.values(), key=lambda part: (part[0].request.id, part[0].signup.id))


def solve_part(arcs: list[Arc], load_left: dict[int, int], seats) -> list[Arc]:
    """Min-cost max flow: source → request → sign-up → (session →) sink."""
    flow = min_cost_flow.SimpleMinCostFlow()
    ids = NodeIds()
    source, sink = ids("source", 0), ids("sink", 0)
    lowest = min(arc.cost for arc in arcs)
    # Explicit tie-break: among equal costs, each request prefers its lower sign-up ids. A tie term
    # is the arc's rank among its request's options, so their sum over any solution stays below
    # the scale and never outweighs one unit of real cost (and costs stay in the solver's range).
    scale = len(arcs) + 1
    ranks = option_ranks(arcs)
    arc_handles = []
    for arc, rank in zip(arcs, ranks, strict=True):
        request, signup = ids("request", arc.request.id), ids("signup", arc.signup.id)
        arc_handles.append(
            flow.add_arc_with_capacity_and_unit_cost(
                request, signup, 1, (arc.cost - lowest) * scale + rank
            )
        )
    for request_id in {arc.request.id for arc in arcs}:
        flow.add_arc_with_capacity_and_unit_cost(source, ids("request", request_id), 1, 0)
    for signup_id, session_id in {(arc.signup.id, arc.session.id) for arc in arcs}:
        capacity = max(load_left[signup_id], 0)
        target = sink if seats is None else ids("session", session_id)
        flow.add_arc_with_capacity_and_unit_cost(ids("signup", signup_id), target, capacity, 0)
    if seats is not None:
        for session_id in {arc.session.id for arc in arcs}:
            capacity = max(seats.get(session_id, 0), 0)
            flow.add_arc_with_capacity_and_unit_cost(ids("session", session_id), sink, capacity, 0)
    # The solver sends as much of this supply as the arcs allow: at most one per request.
    requests = len({arc.request.id for arc in arcs})
    flow.set_node_supply(source, requests)
    flow.set_node_supply(sink, -requests)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"The flow solver did not finish: status {status}")
    return [arc for arc, handle in zip(arcs, arc_handles, strict=True) if flow.flow(handle)]


def option_ranks(arcs: list[Arc]) -> list[int]:
    """Each arc's position among the arcs of the same request (arcs arrive sorted by request)."""
    ranks, seen = [], {}
    for arc in arcs:
        ranks.append(seen.get(arc.request.id, 0))
        seen[arc.request.id] = ranks[-1] + 1
    return ranks


class NodeIds:
    """Dense node numbers for the solver, given out in first-seen order."""

    def __init__(self):
        self.numbers: dict[tuple[str, int], int] = {}

    def __call__(self, kind: str, key: int) -> int:
        return self.numbers.setdefault((kind, key), len(self.numbers))
