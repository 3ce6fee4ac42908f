"""The matcher's rules, reasons and optimality, on small hand-made and random problems."""

import math
import os
import random
from dataclasses import replace
from datetime import timedelta

import networkx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surgery.matching import Problem, RequestIn, SessionIn, SignupIn, UnpairedReason, flow, match
from surgery.matching.candidates import find_candidates
from surgery.matching.solve import match_with_figures
from tests.instants import NOW

# A session day a few days after the suite's instant; requests' windows are made around it.
DAY = NOW.date() + timedelta(days=5)
FACEBOOK, NEWSLETTERS, VIDEO = 1, 5, 7


def request(id=1, **changes) -> RequestIn:
    base = RequestIn(
        id=id,
        easting=400_000,
        northing=280_000,
        travel_km=10,
        skills=frozenset({FACEBOOK}),
        level=2,
        earliest=DAY - timedelta(days=4),
        latest=DAY + timedelta(days=26),
        availability=frozenset({"weekdays", "weekday-evenings", "weekends"}),
    )
    return replace(base, **changes)


def session(id=10, **changes) -> SessionIn:
    base = SessionIn(
        id=id, easting=402_000, northing=280_000, day=DAY, slot="weekends", seats_free=5
    )
    return replace(base, **changes)


def signup(id=100, session_id=10, **changes) -> SignupIn:
    base = SignupIn(
        id=id,
        session_id=session_id,
        skills=frozenset({FACEBOOK}),
        levels=frozenset({1, 2, 3, 4}),
        load_free=2,
    )
    return replace(base, **changes)


def solve(requests, sessions, signups):
    return match(Problem(tuple(requests), tuple(sessions), tuple(signups)))


def test_a_request_pairs_with_the_volunteer_at_the_session_in_reach():
    result = solve([request()], [session()], [signup()])
    (pairing,) = result.pairings
    assert (pairing.request_id, pairing.signup_id, pairing.session_id) == (1, 100, 10)
    assert pairing.distance_km == 2.0 and pairing.shared_skills == {FACEBOOK}
    assert result.unpaired == ()


def test_a_pair_people_ruled_out_is_never_proposed_again():
    problem = Problem((request(),), (session(),), (signup(100), signup(101)))
    (first,) = match(problem).pairings
    (second,) = match(replace(problem, ruled_out=frozenset({(1, first.signup_id)}))).pairings
    assert {first.signup_id, second.signup_id} == {100, 101}
    everyone = frozenset({(1, 100), (1, 101)})
    (unpaired,) = match(replace(problem, ruled_out=everyone)).unpaired
    assert unpaired.reason is UnpairedReason.NO_SKILL


def unpaired_reason(requests, sessions, signups):
    (unpaired,) = solve(requests, sessions, signups).unpaired
    return unpaired.reason


def test_too_far_outside_the_dates_or_the_days_is_nothing_in_reach():
    for changed in [
        request(travel_km=1),
        request(latest=DAY - timedelta(days=1)),
        request(availability=frozenset({"weekdays"})),
    ]:
        assert (
            unpaired_reason([changed], [session()], [signup()]) is UnpairedReason.NOTHING_IN_REACH
        )


def test_access_needs_the_venue_lacks():
    needs = request(access_needs=frozenset({"step-free"}))
    assert unpaired_reason([needs], [session()], [signup()]) is UnpairedReason.ACCESS_NOT_MET
    assert solve(
        [needs], [session(access=frozenset({"step-free", "parking"}))], [signup()]
    ).pairings


def test_no_volunteer_with_the_skill_the_level_or_the_safeguarding_check():
    for sessions, signups in [
        ([session()], [signup(skills=frozenset({VIDEO}))]),
        ([session()], [signup(levels=frozenset({4}))]),
        ([session(requires_safeguarding=True)], [signup()]),
        ([session()], []),
    ]:
        assert unpaired_reason([request()], sessions, signups) is UnpairedReason.NO_SKILL
    checked = signup(safeguarding_checked=True)
    assert solve([request()], [session(requires_safeguarding=True)], [checked]).pairings


def test_full_when_seats_or_loads_run_out():
    two = [request(1), request(2)]
    assert [u.reason for u in solve(two, [session(seats_free=1)], [signup()]).unpaired] == [
        UnpairedReason.FULL
    ]
    assert len(solve(two, [session()], [signup(load_free=1)]).pairings) == 1


def test_the_most_requests_are_paired_even_when_that_costs_more_travel():
    # Request 1 could use either session; request 2 only the far one. Pairing 1 at the near one
    # (cheapest for it) and 2 at the far one beats pairing 1 at the far one.
    near, far = (
        session(10, easting=400_500, seats_free=1),
        session(11, easting=405_000, seats_free=1),
    )
    only_far = request(2, easting=409_000, travel_km=5)
    result = solve([request(1), only_far], [near, far], [signup(100, 10), signup(101, 11)])
    assert {(p.request_id, p.session_id) for p in result.pairings} == {(1, 10), (2, 11)}


def test_a_group_that_booked_pairs_only_at_its_session_and_first():
    booked = request(1, booked_session_id=11)
    other = request(2)
    near, far = session(10, easting=400_500), session(11, easting=405_000)
    result = solve([booked, other], [near, far], [signup(100, 10), signup(101, 11, load_free=1)])
    pairs = {p.request_id: p.session_id for p in result.pairings}
    assert pairs == {1: 11, 2: 10}


def test_the_same_input_in_any_order_gives_the_same_pairings():
    requests = [request(i, easting=400_000 + i * 100) for i in range(1, 7)]
    sessions = [session(10), session(11, easting=401_000)]
    signups = [signup(100, 10, load_free=1), signup(101, 11, load_free=1), signup(102, 10)]
    first = solve(requests, sessions, signups)
    again = solve(list(reversed(requests)), list(reversed(sessions)), list(reversed(signups)))
    assert first == again


def brute_force_arcs(problem: Problem):
    """Every (request id, sign-up id) arc with its cost, and why each request without one is
    unpaired, by the rules one pair at a time."""
    weights, arcs, blocked = problem.weights, {}, {}
    signups_at = {
        s.id: [u for u in problem.signups if u.session_id == s.id] for s in problem.sessions
    }
    for r in problem.requests:
        reachable = [
            (s, math.hypot(r.easting - s.easting, r.northing - s.northing) / 1000)
            for s in problem.sessions
            if r.earliest <= s.day <= r.latest
            and s.slot in r.availability
            and r.booked_session_id in (None, s.id)
        ]
        reachable = [(s, km) for s, km in reachable if km <= r.travel_km]
        accessible = [(s, km) for s, km in reachable if r.access_needs <= s.access]
        for s, km in accessible:
            for u in signups_at[s.id]:
                if (
                    u.load_free > 0
                    and u.skills & r.skills
                    and r.level in u.levels
                    and (u.safeguarding_checked or not s.requires_safeguarding)
                ):
                    bonus = min(
                        r.waited_days * weights.wait_bonus_km_per_day, weights.wait_bonus_cap_km
                    )
                    missing = len(r.skills - u.skills) * weights.missing_skill_km
                    arcs[(r.id, u.id)] = (s.id, round((km + missing - bonus) * 1000))
        if not any(key[0] == r.id for key in arcs):
            blocked[r.id] = (
                UnpairedReason.NO_SKILL
                if accessible
                else UnpairedReason.ACCESS_NOT_MET
                if reachable
                else UnpairedReason.NOTHING_IN_REACH
            )
    return arcs, blocked


def reference(problem: Problem, arcs) -> tuple[int, int]:
    """Pairs and cost from networkx's min-cost max flow on these arcs (no booked groups)."""
    seats = {s.id: s.seats_free for s in problem.sessions}
    loads = {u.id: u.load_free for u in problem.signups}
    graph = networkx.DiGraph()
    for (request_id, signup_id), (session_id, cost) in arcs.items():
        r, s, S = ("r", request_id), ("s", signup_id), ("S", session_id)
        graph.add_edge("source", r, capacity=1, weight=0)
        graph.add_edge(r, s, capacity=1, weight=cost)
        graph.add_edge(s, S, capacity=loads[signup_id], weight=0)
        graph.add_edge(S, "sink", capacity=seats[session_id], weight=0)
    if "source" not in graph:
        return 0, 0
    flow = networkx.max_flow_min_cost(graph, "source", "sink")
    return sum(flow["source"].values()), networkx.cost_of_flow(graph, flow)


# Skill 70 and 130 need a second and a third 64-bit word in the masks.
SKILLS = [FACEBOOK, NEWSLETTERS, VIDEO, 70, 130]


@st.composite
def problems(draw):
    sessions = tuple(
        session(
            10 + i,
            easting=400_000 + draw(st.integers(0, 8)) * 1000,
            northing=280_000 + draw(st.integers(-3, 3)) * 1500,
            day=DAY + timedelta(days=draw(st.integers(-5, 5))),
            seats_free=draw(st.integers(0, 3)),
            slot=draw(st.sampled_from(["weekends", "weekdays"])),
            access=frozenset(draw(st.sets(st.sampled_from(["step-free", "hearing-loop"])))),
            requires_safeguarding=draw(st.booleans()),
        )
        for i in range(draw(st.integers(1, 4)))
    )
    signups = tuple(
        signup(
            100 + i,
            draw(st.sampled_from([s.id for s in sessions])),
            skills=frozenset(draw(st.sets(st.sampled_from(SKILLS), min_size=1))),
            levels=frozenset(draw(st.sets(st.integers(1, 4), min_size=1))),
            load_free=draw(st.integers(0, 3)),
            safeguarding_checked=draw(st.booleans()),
        )
        for i in range(draw(st.integers(0, 6)))
    )
    requests = tuple(
        request(
            i + 1,
            easting=400_000 + draw(st.integers(0, 8)) * 1000,
            northing=280_000 + draw(st.integers(-3, 3)) * 1000,
            travel_km=draw(st.integers(1, 8)),
            waited_days=draw(st.integers(0, 90)),
            skills=frozenset(draw(st.sets(st.sampled_from(SKILLS), min_size=1))),
            level=draw(st.integers(1, 4)),
            access_needs=frozenset(
                draw(st.sets(st.sampled_from(["step-free", "hearing-loop"]), max_size=1))
            ),
        )
        for i in range(draw(st.integers(1, 10)))
    )
    return Problem(requests, sessions, signups)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_random_problems_match_the_networkx_optimum_within_capacity(problem):
    arcs, blocked = brute_force_arcs(problem)
    assert_candidates_are(arcs, problem)
    result = match(problem)
    assert (len(result.pairings), result.cost) == reference(problem, arcs)
    by_signup, by_session = {}, {}
    for pairing in result.pairings:
        by_signup[pairing.signup_id] = by_signup.get(pairing.signup_id, 0) + 1
        by_session[pairing.session_id] = by_session.get(pairing.session_id, 0) + 1
    loads = {s.id: s.load_free for s in problem.signups}
    seats = {s.id: s.seats_free for s in problem.sessions}
    assert all(count <= loads[s] for s, count in by_signup.items())
    assert all(count <= seats[s] for s, count in by_session.items())
    assert len({p.request_id for p in result.pairings}) == len(result.pairings)
    reasons = {u.request_id: u.reason for u in result.unpaired}
    assert {i: reasons[i] for i in blocked} == blocked
    assert all(reasons[i] is UnpairedReason.FULL for i in reasons.keys() - blocked.keys())
    assert match(problem) == result


def assert_candidates_are(arcs, problem: Problem) -> None:
    """The arrays hold exactly these arcs and costs, by request, session and sign-up id."""
    found = find_candidates(problem)
    ids = [
        (found.requests.items[r].id, found.signups.items[u].id)
        for r, u in zip(found.request.tolist(), found.signup.tolist(), strict=True)
    ]
    assert ids == sorted(arcs, key=lambda key: (key[0], arcs[key][0], key[1]))
    assert found.cost.tolist() == [arcs[key][1] for key in ids]


def test_a_session_exactly_at_the_edge_of_reach_is_in_reach():
    corner = session(easting=403_000, northing=284_000)  # 5 km away: 3-4-5
    assert solve([request(travel_km=5)], [corner], [signup()]).pairings
    assert (
        unpaired_reason([request(travel_km=4.999)], [corner], [signup()])
        is UnpairedReason.NOTHING_IN_REACH
    )


def test_a_booking_at_a_session_not_in_the_problem_reaches_nothing():
    booked = request(booked_session_id=99)
    assert unpaired_reason([booked], [session()], [signup()]) is UnpairedReason.NOTHING_IN_REACH


def towns(seed: int, n_requests: int) -> Problem:
    """Requests, sessions and sign-ups around six towns 60 km apart; a few groups booked."""
    rng = random.Random(seed)
    places = [(300_000 + 60_000 * (i % 3), 200_000 + 60_000 * (i // 3)) for i in range(6)]

    def near(spread):
        x, y = rng.choice(places)
        return int(rng.gauss(x, spread)), int(rng.gauss(y, spread))

    sessions = [
        session(
            i + 1,
            easting=e,
            northing=n,
            day=DAY + timedelta(days=rng.randrange(-10, 40)),
            slot=rng.choice(["weekends", "weekdays"]),
        )
        for i, (e, n) in enumerate(near(3_000) for _ in range(n_requests // 15))
    ]
    signups = [
        signup(
            i + 1,
            rng.choice(sessions).id,
            skills=frozenset(rng.sample(range(1, 13), 3)),
            load_free=rng.randint(1, 3),
        )
        for i in range(n_requests // 4)
    ]
    requests = [
        request(
            i + 1,
            easting=e,
            northing=n,
            travel_km=rng.choice([2, 5, 7.5, 10]),
            earliest=DAY + timedelta(days=rng.randrange(-5, 20)),
            latest=DAY + timedelta(days=rng.randrange(20, 30)),
            skills=frozenset(rng.sample(range(1, 13), 2)),
            waited_days=rng.randrange(60),
            booked_session_id=rng.choice(sessions).id if rng.random() < 0.03 else None,
        )
        for i, (e, n) in enumerate(near(4_000) for _ in range(n_requests))
    ]
    rng.shuffle(requests)
    return Problem(tuple(requests), tuple(sessions), tuple(signups))


def test_the_grid_finds_every_arc_across_many_cells():
    problem = towns(seed=6, n_requests=900)
    arcs, blocked = brute_force_arcs(problem)
    assert len(arcs) > 1_000
    assert_candidates_are(arcs, problem)
    assert {u.request_id: u.reason for u in match(problem).unpaired if u.request_id in blocked} == (
        blocked
    )


def test_more_processes_give_exactly_the_pairings_of_one():
    problem = towns(seed=3, n_requests=4_000)
    alone, figures = match_with_figures(problem, workers=1)
    assert figures.workers == 1 and figures.parts >= 6 and len(alone.pairings) > 500
    for workers in (2, 3):
        shared, figures = match_with_figures(problem, workers=workers)
        assert figures.workers == workers
        assert shared == alone


def test_small_problems_stay_in_this_process():
    assert match_with_figures(towns(seed=4, n_requests=600))[1].workers == 1


def test_an_error_in_the_second_process_is_raised_here(monkeypatch):
    parent = os.getpid()
    real_solve_part = flow.solve_part

    def fails_over_there(*args):
        if os.getpid() != parent:
            raise ValueError("over there")
        return real_solve_part(*args)

    monkeypatch.setattr(flow, "solve_part", fails_over_there)
    with pytest.raises(ValueError, match="over there"):
        match(towns(seed=5, n_requests=1_000), workers=2)


def test_a_second_process_that_dies_is_an_error_here(monkeypatch):
    parent = os.getpid()
    real_solve_part = flow.solve_part

    def dies_over_there(*args):
        if os.getpid() != parent:
            os._exit(3)
        return real_solve_part(*args)

    monkeypatch.setattr(flow, "solve_part", dies_over_there)
    with pytest.raises(RuntimeError, match="exit code 3"):
        match(towns(seed=5, n_requests=1_000), workers=2)
