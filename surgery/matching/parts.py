"""Split the arcs into independent parts (no request or session in common) and deal them into bins.

Requests join sessions, so parts are found on sessions alone (there are only thousands) by
propagating the smallest label across each request's sessions until nothing changes.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Arcs:
    """Arcs grouped by request: row numbers of request, sign-up and session, and the cost."""

    request: np.ndarray
    signup: np.ndarray
    session: np.ndarray
    cost: np.ndarray
    previous: np.ndarray  # proposed by the last run (bool)

    def __len__(self) -> int:
        return len(self.request)

    def take(self, positions: np.ndarray) -> "Arcs":
        return Arcs(*(values[positions] for values in vars(self).values()))

    def slice(self, start: int, end: int) -> "Arcs":
        return Arcs(*(values[start:end] for values in vars(self).values()))


@dataclass(frozen=True)
class Arrangement:
    """Arc positions bin by bin and part by part; within a part, still by request."""

    order: np.ndarray
    bins: list[tuple[int, int]]  # each bin's (start, end) in order
    part_starts: list[np.ndarray]  # per bin, where each of its parts starts, and the bin's end
    parts: int


def arrange(request: np.ndarray, session: np.ndarray, n_bins: int) -> Arrangement:
    """Find the parts of these arcs (grouped by request) and deal them, largest first, to bins."""
    starts = run_starts(request)
    lengths = np.diff(starts, append=len(request))
    label = session_labels(request, session)[session[starts]]
    _, part = np.unique(label, return_inverse=True)  # parts numbered by their smallest session
    sizes = np.bincount(part, weights=lengths).astype(np.int64)
    bin_of_part = balanced_bins(sizes, n_bins)
    # Whole requests move, stably, so each part keeps its arcs by request, session and sign-up.
    runs = np.lexsort((part, bin_of_part[part]))
    begins = np.cumsum(lengths[runs]) - lengths[runs]
    order = np.repeat(starts[runs] - begins, lengths[runs]) + np.arange(len(request))
    first_runs = run_starts(part[runs])
    part_bin = bin_of_part[part[runs][first_runs]]
    bins, part_starts = bin_spans(begins[first_runs], part_bin, len(request))
    return Arrangement(order, bins, part_starts, len(sizes))


def bin_spans(part_begins: np.ndarray, part_bin: np.ndarray, end: int):
    """Each bin's (start, end) in the arranged order, and where its parts start within it."""
    part_ends = np.append(part_begins[1:], end)
    spans, part_starts = [], []
    for b in np.unique(part_bin).tolist():
        begins, ends = part_begins[part_bin == b], part_ends[part_bin == b]
        spans.append((int(begins[0]), int(ends[-1])))
        part_starts.append(np.append(begins, ends[-1]) - begins[0])
    return spans, part_starts


def session_labels(request: np.ndarray, session: np.ndarray) -> np.ndarray:
    """Label each session with the smallest session joined to it through shared requests."""
    sessions = int(session.max()) + 1
    # One arc per (request, session) is enough; arcs come by request, then session.
    first = run_starts(request * sessions + session)
    request, session = request[first], session[first]
    starts = run_starts(request)
    lengths = np.diff(starts, append=len(request))
    label = np.arange(sessions)
    while True:
        least = np.repeat(np.minimum.reduceat(label[session], starts), lengths)
        joined = label.copy()
        np.minimum.at(joined, session, least)
        joined = joined[joined]  # a label's own label is as small or smaller: jump to it
        if np.array_equal(joined, label):
            return label
        label = joined


def balanced_bins(sizes: np.ndarray, n_bins: int) -> np.ndarray:
    """Return each part's bin: largest part first, each to the lightest bin so far."""
    bin_of_part = np.zeros(len(sizes), np.int64)
    loads = [0] * n_bins
    for part in np.argsort(-sizes, kind="stable").tolist():
        lightest = loads.index(min(loads))
        bin_of_part[part] = lightest
        loads[lightest] += int(sizes[part])
    return bin_of_part


def run_starts(values: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts."""
    if not len(values):
        return np.zeros(0, np.int64)
    return np.flatnonzero(np.diff(values, prepend=values[0] - 1))
