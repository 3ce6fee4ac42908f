"""The matcher's rules, reasons and optimality, on small hand-made and random problems."""

from dataclasses import replace
from datetime import date

import networkx
from hypothesis import given, settings
from hypothesis import strategies as st

from surgery.matching import Problem, RequestIn, SessionIn, SignupIn, UnpairedReason, match
from surgery.matching.candidates import find_candidates

DAY = date(2026, 12, 5)
FACEBOOK, NEWSLETTERS, VIDEO = 1, 5, 7


def request(id=1, **changes) -> RequestIn:
    base = RequestIn(
        id=id,
        easting=400_000,
        northing=280_000,
        travel_km=10,
        skills=frozenset({FACEBOOK}),
        level=2,
        earliest=date(2026, 12, 1),
        latest=date(2026, 12, 31),
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


def unpaired_reason(requests, sessions, signups):
    (unpaired,) = solve(requests, sessions, signups).unpaired
    return unpaired.reason


def test_too_far_outside_the_dates_or_the_days_is_nothing_in_reach():
    for changed in [
        request(travel_km=1),
        request(latest=date(2026, 12, 4)),
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


def reference(problem: Problem) -> tuple[int, int]:
    """Pairs and cost from networkx's min-cost max flow on the same arcs (no booked groups)."""
    graph = networkx.DiGraph()
    for arc in find_candidates(problem).arcs:
        r, s, S = ("r", arc.request.id), ("s", arc.signup.id), ("S", arc.session.id)
        graph.add_edge("source", r, capacity=1, weight=0)
        graph.add_edge(r, s, capacity=1, weight=arc.cost)
        graph.add_edge(s, S, capacity=arc.signup.load_free, weight=0)
        graph.add_edge(S, "sink", capacity=arc.session.seats_free, weight=0)
    if "source" not in graph:
        return 0, 0
    flow = networkx.max_flow_min_cost(graph, "source", "sink")
    return sum(flow["source"].values()), networkx.cost_of_flow(graph, flow)


@st.composite
def problems(draw):
    sessions = tuple(
        session(
            10 + i,
            easting=400_000 + draw(st.integers(0, 8)) * 1000,
            seats_free=draw(st.integers(0, 3)),
            slot=draw(st.sampled_from(["weekends", "weekdays"])),
        )
        for i in range(draw(st.integers(1, 4)))
    )
    signups = tuple(
        signup(
            100 + i,
            draw(st.sampled_from([s.id for s in sessions])),
            skills=frozenset(
                draw(st.sets(st.sampled_from([FACEBOOK, NEWSLETTERS, VIDEO]), min_size=1))
            ),
            load_free=draw(st.integers(0, 3)),
        )
        for i in range(draw(st.integers(0, 6)))
    )
    requests = tuple(
        request(
            i + 1,
            easting=400_000 + draw(st.integers(0, 8)) * 1000,
            travel_km=draw(st.integers(1, 8)),
            waited_days=draw(st.integers(0, 90)),
            skills=frozenset(
                draw(st.sets(st.sampled_from([FACEBOOK, NEWSLETTERS, VIDEO]), min_size=1))
            ),
        )
        for i in range(draw(st.integers(1, 10)))
    )
    return Problem(requests, sessions, signups)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_random_problems_match_the_networkx_optimum_within_capacity(problem):
    result = match(problem)
    assert (len(result.pairings), result.cost) == reference(problem)
    by_signup, by_session = {}, {}
    for pairing in result.pairings:
        by_signup[pairing.signup_id] = by_signup.get(pairing.signup_id, 0) + 1
        by_session[pairing.session_id] = by_session.get(pairing.session_id, 0) + 1
    loads = {s.id: s.load_free for s in problem.signups}
    seats = {s.id: s.seats_free for s in problem.sessions}
    assert all(count <= loads[s] for s, count in by_signup.items())
    assert all(count <= seats[s] for s, count in by_session.items())
    assert len({p.request_id for p in result.pairings}) == len(result.pairings)
    assert match(problem) == result
