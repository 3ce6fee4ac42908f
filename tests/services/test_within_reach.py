"""'Within reach' is one rule: the exact straight-line distance against the group's travel
distance, for the finder, booking, "still looking" and the matcher alike (shown rounded)."""

from surgery.extensions import db
from surgery.models import Pairing
from surgery.services import booking, finding
from surgery.services.matching import run_matching
from surgery.services.places import place_of
from surgery.vocabulary import AccessNeed, Availability
from tests.factories import (
    NOW,
    approved_host,
    confirmed_request,
    published_session,
    volunteer_signed_up,
)


def session_metres_away(help_request, metres: int):
    """A session this far from the group, to the north-east (so inside the square a search
    narrows rows with), with a volunteer signed up."""
    created = published_session(approved_host(), seats=2, access=(AccessNeed.STEP_FREE,))
    step = round(metres / 2**0.5)
    created.easting, created.northing = help_request.easting + step, help_request.northing + step
    volunteer_signed_up(created, "Sam Okafor", load=2, travel_km=40)
    return created


def test_a_session_just_past_the_travel_distance_is_out_of_reach_everywhere(app):
    group = confirmed_request("maya@example.org", travel_km=5, availability=tuple(Availability))
    session_metres_away(group, 5_040)

    assert booking.sessions_within_reach(group, NOW) == []
    assert finding.find_sessions(place_of(group), 5, NOW).results == []
    run_matching(NOW, "test")
    assert db.session.scalar(db.select(db.func.count(Pairing.id))) == 0


def test_a_session_just_inside_it_is_in_reach_everywhere_and_shown_rounded(app):
    group = confirmed_request("maya@example.org", travel_km=5, availability=tuple(Availability))
    surgery_session = session_metres_away(group, 4_990)

    [found] = booking.sessions_within_reach(group, NOW)
    assert found.surgery_session == surgery_session and 4.98 < found.distance_km < 5
    assert [f.surgery_session for f in finding.find_sessions(place_of(group), 5, NOW).results]
    run_matching(NOW, "test")
    assert db.session.scalar(db.select(db.func.count(Pairing.id))) == 1
