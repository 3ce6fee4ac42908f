"""Properties of the matching service on random small instances: what hosts locked stays locked,
and no volunteer or session ever takes more groups than it can."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surgery.extensions import db
from surgery.models import FIXED_STATES, Pairing, PairingState, Signup, SurgerySession, Volunteer
from surgery.services import reviewing, sessions, signups
from surgery.services.matching import run_matching
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.vocabulary import AccessNeed
from tests.conftest import empty_tables
from tests.factories import (
    NOW,
    approved_host,
    confirmed_request,
    contact,
    offer_details,
    session_details,
)

instances = st.fixed_dictionaries(
    {
        "seats": st.lists(st.integers(1, 3), min_size=1, max_size=2),
        "loads": st.lists(st.integers(1, 2), min_size=1, max_size=3),
        "first_groups": st.integers(1, 6),
        "later_groups": st.integers(0, 4),
        "lock": st.lists(st.booleans(), min_size=6, max_size=6),
    }
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(instance=instances)
def test_locked_pairings_are_kept_and_no_capacity_is_exceeded(app, instance):
    empty_tables()
    host = approved_host()
    published = []
    for seats in instance["seats"]:
        details = session_details(seats=seats, access=(AccessNeed.STEP_FREE,))
        created = sessions.create_session(host, details, NOW)
        sessions.move_session(host, created, "publish", NOW)
        published.append(created)
    for n, load in enumerate(instance["loads"]):
        email = f"volunteer{n}@example.org"
        submit_volunteer_offer(contact(name=f"Volunteer {n}", email=email), offer_details(), NOW)
        volunteer = db.session.scalar(db.select(Volunteer).where(Volunteer.email == email))
        confirm_volunteer(volunteer, NOW)
        signups.sign_up(volunteer, published[n % len(published)], load, NOW)
    for n in range(instance["first_groups"]):
        confirmed_request(f"first{n}@example.org")
    run_matching(NOW, "test")
    proposed = db.session.scalars(db.select(Pairing).order_by(Pairing.id)).all()
    locked = {}
    for pairing, lock in zip(proposed, instance["lock"], strict=False):
        if lock:
            reviewing.lock(host, pairing, NOW)
            locked[pairing.id] = (pairing.help_request_id, pairing.signup_id, pairing.session_id)
    for n in range(instance["later_groups"]):
        confirmed_request(f"later{n}@example.org")

    run_matching(NOW, "test")

    db.session.expire_all()
    for pairing_id, kept in locked.items():
        pairing = db.session.get(Pairing, pairing_id)
        assert pairing.state is PairingState.LOCKED
        assert (pairing.help_request_id, pairing.signup_id, pairing.session_id) == kept
    live = db.session.scalars(
        db.select(Pairing).where(Pairing.state.in_((PairingState.PROPOSED, *FIXED_STATES)))
    ).all()
    assert len({p.help_request_id for p in live}) == len(live), "nobody is paired twice"
    by_signup = Counter(p.signup_id for p in live)
    assert all(count <= db.session.get(Signup, s).load for s, count in by_signup.items())
    by_session = Counter(p.session_id for p in live)
    for session_id, count in by_session.items():
        surgery_session = db.session.get(SurgerySession, session_id)
        assert count <= surgery_session.seats
        assert surgery_session.seats_taken <= surgery_session.seats
