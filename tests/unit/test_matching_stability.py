"""Proposals that stay put: among equally good answers the matcher keeps last run's proposals,
and that preference never costs a pair or a metre."""

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from surgery.matching import Problem, flow, match
from tests.unit.test_matching import (
    brute_force_arcs,
    problems,
    reference,
    request,
    session,
    signup,
)


def chosen(result) -> set[tuple[int, int]]:
    return {(p.request_id, p.signup_id) for p in result.pairings}


def test_with_a_tie_the_volunteer_proposed_last_run_is_kept_in_any_input_order():
    sam, ola = signup(100), signup(101)  # the same skills, levels and session: a tie
    for signups in ((sam, ola), (ola, sam)):
        problem = Problem((request(),), (session(),), signups)
        assert chosen(match(problem)) == {(1, 100)}  # the lowest sign-up id, by default
        for previous in (100, 101):
            kept = match(replace(problem, proposed_before=frozenset({(1, previous)})))
            assert chosen(kept) == {(1, previous)}


def test_a_cheaper_volunteer_still_wins_over_last_runs_proposal():
    near, far = session(10), session(11, easting=403_000)  # 2 km and 3 km away
    problem = Problem(
        (request(),),
        (near, far),
        (signup(100, 10), signup(101, 11)),
        proposed_before=frozenset({(1, 101)}),
    )
    assert chosen(match(problem)) == {(1, 100)}


def test_only_what_must_move_moves_when_a_group_arrives():
    """Two groups fit either volunteer equally; a third that only Ola can help takes Ola's one
    place, so one proposal moves, and no more than one."""
    video = 7
    sam, ola = signup(100, load_free=2), signup(101, load_free=1, skills=frozenset({1, video}))
    before = Problem((request(1), request(2)), (session(),), (sam, ola))
    for previous in ({(1, 101), (2, 100)}, {(1, 100), (2, 101)}, {(1, 100), (2, 100)}):
        kept = match(replace(before, proposed_before=frozenset(previous)))
        assert chosen(kept) == previous
    arrived = request(3, skills=frozenset({video}))
    after = replace(
        before,
        requests=(*before.requests, arrived),
        proposed_before=frozenset({(1, 101), (2, 100)}),
    )
    assert chosen(match(after)) == {(1, 100), (2, 100), (3, 101)}


@st.composite
def problems_with_a_previous_run(draw):
    problem = draw(problems())
    arcs = sorted(brute_force_arcs(problem)[0])
    previous = draw(st.sets(st.sampled_from(arcs))) if arcs else set()
    return replace(problem, proposed_before=frozenset(previous))


@settings(max_examples=150, deadline=None)
@given(problems_with_a_previous_run())
def test_the_preference_never_changes_the_pairs_or_the_cost(problem):
    plain = match(replace(problem, proposed_before=frozenset()))
    stable = match(problem)
    arcs, _ = brute_force_arcs(problem)
    assert (len(stable.pairings), stable.cost) == (len(plain.pairings), plain.cost)
    assert (len(stable.pairings), stable.cost) == reference(problem, arcs)
    # It keeps the most of last run's proposals an optimum can keep: never fewer than the plain.
    previous = problem.proposed_before
    assert len(chosen(stable) & previous) >= len(chosen(plain) & previous)
    # An optimal answer given back as last run's is kept whole.
    again = match(replace(problem, proposed_before=frozenset(chosen(stable))))
    assert again.pairings == stable.pairings


def test_the_tie_breaks_are_dropped_before_the_costs_could_overflow():
    cost = np.array([0, 10**12, 10**12], np.int64)
    rank = np.array([0, 0, 1])
    previous = np.array([False, True, False])
    fits = flow.tie_broken(cost, rank, nodes=6, previous=previous)
    # Each real unit is worth K = 2 (one previous arc + 1); the rank below that, scaled by 4.
    assert fits.tolist() == [1 * 4 + 0, (10**12 * 2 + 0) * 4 + 0, (10**12 * 2 + 1) * 4 + 1]
    # With a million nodes the rank no longer fits under the bonus: the bonus is kept.
    wide = flow.tie_broken(cost, rank, nodes=10**6, previous=previous)
    assert wide.tolist() == [1, 10**12 * 2, 10**12 * 2 + 1]
