"""Min-cost maximum flow over arrays of arcs, one independent part at a time (OR-Tools).

Each part is solved on its own, with node numbers and a tie-break of its own, so its answer never
depends on the other parts or on where it ran. Big problems deal the parts into two bins of about
equal size and solve one bin in a forked process: OR-Tools holds the GIL while it solves, so a
second thread would not run alongside it. Small ones stay in this process.
"""

import os
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context

import numpy as np
from ortools.graph.python import min_cost_flow

from surgery.matching.parts import Arcs, arrange, run_starts

# Below this many arcs, starting a process costs more than the second core saves.
PARALLEL_MIN_ARCS = 200_000


@dataclass(frozen=True)
class FlowFigures:
    parts: int = 0
    workers: int = 1


def solve(arcs: Arcs, load: np.ndarray, seats: np.ndarray | None, workers: int | None = None):
    """Return the positions of the arcs chosen (the most pairs, then the least cost) and figures.

    Sign-up i can take load[i] requests; session j, seats[j] (no session limit if seats is None).
    workers: how many processes solve (this one and forked ones); None decides by size.
    """
    usable = load[arcs.signup] > 0
    if seats is not None:
        usable &= seats[arcs.session] > 0
    kept = np.flatnonzero(usable)
    if not len(kept):
        return kept, FlowFigures()
    if workers is None:
        workers = 2 if len(kept) >= PARALLEL_MIN_ARCS and can_fork() else 1
    arrangement = arrange(arcs.request[kept], arcs.session[kept], workers)
    kept = kept[arrangement.order]
    bins = [
        Bin(kept[start:end], part_starts)
        for (start, end), part_starts in zip(arrangement.bins, arrangement.part_starts, strict=True)
    ]
    chosen = solve_bins(arcs, bins, load, seats)
    return np.sort(chosen), FlowFigures(arrangement.parts, len(bins))


@dataclass(frozen=True)
class Bin:
    positions: np.ndarray  # its arcs' positions, part after part
    part_starts: np.ndarray  # where each of its parts starts among them, and their end


def can_fork() -> bool:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) >= 2 and "fork" in get_all_start_methods()


def solve_bins(arcs: Arcs, bins: list[Bin], load, seats) -> np.ndarray:
    """Solve the first bin here and each other one in a forked process, all at the same time.

    A child inherits the arrays through fork (sending them down a pipe would wait for the GIL,
    which OR-Tools holds here); only its answer comes back.
    """
    context = get_context("fork")
    children = []
    try:
        for bin_ in bins[1:]:
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(target=send_solution, args=(sender, arcs, bin_, load, seats))
            child.start()
            sender.close()
            children.append((child, receiver))
        chosen = [solve_bin(arcs, bins[0], load, seats)]
        chosen += [receive(receiver, child) for child, receiver in children]
    finally:
        for child, receiver in children:
            child.terminate()  # nothing to do once it has answered; stops it if we failed first
            child.join()
            receiver.close()
    return np.concatenate(chosen)


def send_solution(sender, arcs: Arcs, bin_: Bin, load, seats) -> None:
    """In a child: solve a bin and send back the positions chosen, or the error."""
    try:
        answer = solve_bin(arcs, bin_, load, seats)
    except Exception as error:  # the parent raises it
        answer = error
    sender.send(answer)
    sender.close()


def receive(receiver, child) -> np.ndarray:
    try:
        answer = receiver.recv()
    except EOFError:
        child.join()
        raise RuntimeError(f"The solver process stopped (exit code {child.exitcode})") from None
    if isinstance(answer, Exception):
        raise answer
    return answer


def solve_bin(arcs: Arcs, bin_: Bin, load, seats) -> np.ndarray:
    """Solve the bin's parts one by one; return the positions of the arcs chosen."""
    mine = arcs.take(bin_.positions)  # each process gathers only its own bin's arcs
    starts, ends = bin_.part_starts[:-1].tolist(), bin_.part_starts[1:].tolist()
    chosen = [
        start + np.flatnonzero(solve_part(mine.slice(start, end), load, seats))
        for start, end in zip(starts, ends, strict=True)
    ]
    return bin_.positions[np.concatenate(chosen)]


def solve_part(arcs: Arcs, load: np.ndarray, seats: np.ndarray | None) -> np.ndarray:
    """Solve one part exactly; mark the arcs chosen."""
    tails, heads, capacities, costs, requests = flow_graph(arcs, load, seats)
    flows = min_cost_max_flow(tails, heads, capacities, costs, supply=requests)
    return flows[: len(arcs)] > 0


def flow_graph(arcs: Arcs, load: np.ndarray, seats: np.ndarray | None):
    """The part as a graph: source → request → sign-up → (session →) sink, its arcs first.

    Nodes are the part's own: 0 the source, 1 the sink, then requests, sign-ups and sessions.
    """
    starts = run_starts(arcs.request)
    request = np.repeat(np.arange(len(starts)), np.diff(starts, append=len(arcs)))
    first_arcs, signup = first_seen_numbers(arcs.signup, len(load))
    signups = arcs.signup[first_arcs]
    request_node = 2 + np.arange(len(starts))
    signup_node = 2 + len(starts) + np.arange(len(signups))
    graph = [
        (request_node[request], signup_node[signup], np.ones(len(arcs), np.int64)),
        (np.zeros_like(request_node), request_node, np.ones(len(starts), np.int64)),
    ]
    if seats is None:
        graph.append((signup_node, np.ones_like(signup_node), load[signups]))
    else:
        signup_sessions = arcs.session[first_arcs]
        first_signups, session = first_seen_numbers(signup_sessions, len(seats))
        session_node = 2 + len(starts) + len(signups) + np.arange(len(first_signups))
        graph.append((signup_node, session_node[session], load[signups]))
        sessions = signup_sessions[first_signups]
        graph.append((session_node, np.ones_like(session_node), seats[sessions]))
    tails, heads, capacities = (np.concatenate(column) for column in zip(*graph, strict=True))
    costs = np.zeros(len(tails), np.int64)
    rank = np.arange(len(arcs)) - starts[request]
    costs[: len(arcs)] = tie_broken(
        arcs.cost, rank, nodes=int(heads.max()) + 1, previous=arcs.previous
    )
    return tails, heads, capacities, costs, len(starts)


def first_seen_numbers(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Number the distinct values 0, 1, … in order of first appearance, without sorting.

    Return where each distinct value first appears, and each value's number. Values lie in
    0 … size − 1.
    """
    position = np.arange(len(values))
    first = np.empty(size, np.int64)
    first[values] = len(values)
    np.minimum.at(first, values, position)
    where = np.flatnonzero(first[values] == position)
    first[values[where]] = np.arange(len(where))
    return where, first[values]


def tie_broken(cost: np.ndarray, rank: np.ndarray, nodes: int, previous: np.ndarray) -> np.ndarray:
    """Costs with explicit tie-breaks, each outweighed by one unit of the one before it: the real
    cost; then keeping the arcs proposed last run (previous); then a request's earliest arc (the
    lowest session id, then sign-up id).

    Proof that the pairs and the real cost stay optimal: the solver pairs the most it can
    whatever the costs, and with K = (previous arcs here) + 1, more than any answer can keep, an
    answer of real cost C keeping k ≤ K − 1 of them costs K·C − k < K·(C + 1) − (K − 1), the least
    any answer of real cost C + 1 or more can cost, so the bonus only chooses among the cheapest.
    (Here every other arc pays the 1 instead, the same thing, as every answer has as many pairs;
    K counts previous arcs, not requests, which is tighter and leaves room under int64.) Likewise
    rank is an arc's position among its request's arcs, so the ranks in any answer sum to less
    than their scale (arcs + 1). This holds per round: which equally good volunteers booked groups
    keep (solve.py pairs them first) can leave a different load for the rest, as any tie-break can.
    """
    lowest, span = int(cost.min()), int(cost.max()) - int(cost.min())
    stay = int(previous.sum()) + 1  # K: more than any solution keeps
    # OR-Tools multiplies costs by (nodes + 1) and refuses those past int64's half: check first,
    # in Python integers, so numpy never wraps around silently. bench/matcher.py's large re-run
    # fits all three: its largest part (420,640 arcs, 16,238 nodes, K = 3,598, costs spanning
    # 32,796) reaches 18 % of the limit. Should a part not fit, the order among equals goes
    # before keeping last run's proposals, which hosts would notice.
    for weight, scale in ((stay, len(cost) + 1), (stay, 1)):
        moved = 1 if weight > 1 else 0  # the unit an arc not proposed last run pays
        largest = (span * weight + moved) * scale + scale - 1
        if (largest + 1) * 2 * (nodes + 1) <= np.iinfo(np.int64).max:
            staged = (cost - lowest) * weight + moved * (~previous)
            return staged * scale + (rank if scale > 1 else 0)
    raise ValueError("The arc costs span too wide a range for the flow solver")


def min_cost_max_flow(tails, heads, capacities, costs, supply: int) -> np.ndarray:
    """Send as much as the arcs allow from node 0 to node 1, at the least cost; return the flows."""
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, costs
    )
    # The solver sends as much of this supply as the arcs allow: at most one per request.
    flow.set_nodes_supplies(np.array([0, 1], np.int32), np.array([supply, -supply], np.int64))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"The flow solver did not finish: status {status}")
    return flow.flows(np.arange(len(tails), dtype=np.int32))
