"""The hourly run keeps earlier proposals where nothing better exists, and says how many moved."""

from datetime import timedelta

import pytest

from surgery.extensions import db
from surgery.models import MatchRun, Pairing, PairingState
from surgery.services.matching import run_matching
from surgery.vocabulary import AccessNeed
from tests.factories import (
    NOW,
    approved_host,
    confirmed_request,
    published_session,
    skill_ids,
    volunteer_signed_up,
)


@pytest.fixture
def moseley(app):
    """A session with three volunteers, each as good as the others for a Facebook group; only
    Ola also knows video."""
    surgery_session = published_session(approved_host(), seats=6, access=(AccessNeed.STEP_FREE,))
    return {
        "session": surgery_session,
        "sam": volunteer_signed_up(surgery_session, "Sam Okafor", load=1),
        "ola": volunteer_signed_up(
            surgery_session, "Ola Bello", load=1, skill_ids=skill_ids("Facebook", "Video")
        ),
        "tom": volunteer_signed_up(surgery_session, "Tom Reyes", load=1),
    }


def proposals() -> dict[int, int]:
    """Each proposed group's request id and its volunteer's sign-up id."""
    query = db.select(Pairing.help_request_id, Pairing.signup_id).where(
        Pairing.state == PairingState.PROPOSED
    )
    return dict(db.session.execute(query).all())


def propose_by_hand(chosen: dict[int, int]) -> None:
    """Make the stored proposals these, as an earlier run with other ties might have left them."""
    for pairing in db.session.scalars(db.select(Pairing)):
        pairing.signup_id = chosen[pairing.help_request_id]
    db.session.commit()


def test_a_second_run_with_nothing_new_moves_nothing(moseley):
    a, b = confirmed_request("a@example.org"), confirmed_request("b@example.org")
    first = run_matching(NOW, "test")
    assert first.churn == {"before": 0, "kept": 0, "moved": 0, "dropped": 0, "new": 2}
    # Not what the tie-break alone would choose: the lowest sign-ups, Sam's and Ola's.
    earlier = {a.id: moseley["tom"].id, b.id: moseley["ola"].id}
    propose_by_hand(earlier)

    again = run_matching(NOW, "test")

    assert proposals() == earlier
    assert again.churn == {"before": 2, "kept": 2, "moved": 0, "dropped": 0, "new": 0}
    stored = db.session.get(MatchRun, again.id)
    assert stored.churn["moved"] == 0 and stored.churn_summary == (
        "Kept 2 of 2 earlier proposals; 0 moved, 0 dropped; 0 new."
    )


def test_a_new_group_moves_only_the_proposal_it_must(moseley):
    a, b = confirmed_request("a@example.org"), confirmed_request("b@example.org")
    run_matching(NOW, "test")
    propose_by_hand({a.id: moseley["ola"].id, b.id: moseley["tom"].id})
    # Only Ola can help with video, so a moves to the one volunteer left free, Sam.
    video = confirmed_request("video@example.org", skill_ids=skill_ids("Video"))

    run = run_matching(NOW, "test")

    assert proposals() == {
        a.id: moseley["sam"].id,
        b.id: moseley["tom"].id,
        video.id: moseley["ola"].id,
    }
    assert run.churn == {"before": 2, "kept": 1, "moved": 1, "dropped": 0, "new": 1}


def test_a_group_out_of_dates_is_a_dropped_proposal_and_a_confirmed_one_is_not_churn(moseley):
    a, b = confirmed_request("a@example.org"), confirmed_request("b@example.org")
    run_matching(NOW, "test")
    pairing_of_a = db.session.scalar(db.select(Pairing).where(Pairing.help_request_id == a.id))
    pairing_of_a.state = PairingState.CONFIRMED
    b.latest_date = b.earliest_date  # days before the session now
    db.session.commit()

    run = run_matching(NOW, "test")

    assert proposals() == {}
    assert run.churn == {"before": 1, "kept": 0, "moved": 0, "dropped": 1, "new": 0}


def test_a_kept_proposal_stays_the_same_row_brought_up_to_date(moseley):
    confirmed_request("a@example.org")
    run_matching(NOW, "test")
    first = db.session.scalar(db.select(Pairing))
    first_id, first_cost, first_proposed = first.id, first.cost, first.created_at

    next_day = run_matching(NOW + timedelta(days=1), "test")

    (pairing,) = db.session.scalars(db.select(Pairing)).all()
    assert (pairing.id, pairing.created_at) == (first_id, first_proposed)
    assert pairing.match_run_id == next_day.id
    assert pairing.cost == first_cost - 50  # a day's more waiting: 0.05 km
    assert next_day.churn == {"before": 1, "kept": 1, "moved": 0, "dropped": 0, "new": 0}
