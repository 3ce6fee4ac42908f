"""A group walks in on the day: the form behaves like every other, and may pair them at once."""

import re
from datetime import timedelta

import pytest

from surgery import clock
from surgery.extensions import db
from surgery.models import (
    Booking,
    BookingStatus,
    HelpRequest,
    Notification,
    Pairing,
    PairingState,
    RequestStatus,
)
from surgery.services import booking, on_the_day, sessions
from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.errors import InvalidAnswers
from surgery.services.on_the_day import WalkIn
from surgery.vocabulary import Level
from tests.factories import (
    NOW,
    PASSWORD,
    contact,
    published_session,
    request_details,
    skill_ids,
    volunteer_signed_up,
)
from tests.web.forms import csrf_token, submit


@pytest.fixture
def surgery_session(client, host):
    created = published_session(host, seats=3)
    clock.freeze(created.starts_at - timedelta(hours=2))  # walk-ins come on the day
    submit(client, "/host/sign-in", {"email": "hana@example.org", "password": PASSWORD})
    return created


def walk_in_form(client, session_id: int) -> str:
    """The walk-in part of the run sheet."""
    page = client.get(f"/host/sessions/{session_id}").get_data(as_text=True)
    return page.split('id="walk-in"', 1)[1]


def the_request(organisation: str) -> HelpRequest | None:
    return db.session.scalar(db.select(HelpRequest).filter_by(organisation_name=organisation))


def post_walk_in(client, session_id: int, **answers):
    url = f"/host/sessions/{session_id}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(f"{url}/walk-ins", data={"csrf_token": token, **answers})


def test_a_walk_in_with_mistakes_shows_a_summary_and_keeps_what_was_typed(client, surgery_session):
    response = post_walk_in(client, surgery_session.id, name="Ray Smith", level="1")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = page.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert '<a href="#organisation_name">Enter their group&#39;s name</a>' in summary
    assert '<a href="#skills-0">Choose at least one thing</a>' in summary
    assert 'id="organisation_name-error"' in page and 'id="skills-error"' in page
    assert 'value="Ray Smith"' in page, "the name typed is kept"
    assert re.search(r'<input checked id="level-0" name="level"[^>]* value="1">', page)
    assert db.session.scalar(db.select(db.func.count(Booking.id))) == 0


def test_a_walk_in_when_every_table_is_taken_says_so_beside_the_form(client, surgery_session):
    for number in range(surgery_session.seats):
        email = f"group{number}@example.org"
        help_request = submit_help_request(contact(email=email), request_details(), NOW)
        confirm_help_request(help_request, NOW)
        booking.book_place(help_request, surgery_session, NOW)
    response = post_walk_in(
        client,
        surgery_session.id,
        name="Ray Smith",
        organisation_name="Moseley Bowls Club",
        skills=[str(skill_ids("Facebook")[0])],
        level="1",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<a href="#organisation_name">Every table is taken at this session</a>' in page
    assert 'id="organisation_name-error"' in page and 'value="Moseley Bowls Club"' in page
    db.session.expire_all()
    assert surgery_session.seats_taken == surgery_session.seats, "nothing half done"


def test_a_walk_in_is_paired_with_a_volunteer_who_has_room(client, host, surgery_session):
    sam = volunteer_signed_up(surgery_session, "Sam Okafor", load=2)
    lucy = volunteer_signed_up(surgery_session, "Lucy Chen", load=1)
    first = WalkIn("Ray", "Moseley Bowls Club", skill_ids("Facebook"), Level.EYE_OPENER, lucy.id)
    on_the_day.add_walk_in(host, surgery_session, first, clock.utcnow())

    form = walk_in_form(client, surgery_session.id)
    assert "Sam Okafor" in form and "can take 2 more groups" in form
    assert "Lucy Chen" not in form, "her groups fill her load"
    messages_before = db.session.scalar(db.select(db.func.count(Notification.id)))
    response = post_walk_in(
        client,
        surgery_session.id,
        name="Jo Bloggs",
        organisation_name="Kings Heath Choir",
        skills=[str(i) for i in skill_ids("Facebook", "Instagram")],
        level="2",
        volunteer=str(sam.id),
    )
    assert response.status_code == 302
    db.session.expire_all()
    choir = the_request("Kings Heath Choir")
    pairing = db.session.scalar(db.select(Pairing).filter_by(help_request_id=choir.id))
    assert (pairing.signup_id, pairing.state, pairing.distance_km) == (
        sam.id,
        PairingState.CONFIRMED,
        0,
    )
    assert pairing.shared_skills == list(skill_ids("Facebook"))
    assert choir.status is RequestStatus.MATCHED
    held = db.session.scalar(db.select(Booking).filter_by(help_request_id=choir.id))
    assert held.status is BookingStatus.BOOKED and held.outcome.attended
    assert db.session.scalar(db.select(db.func.count(Notification.id))) == messages_before
    assert "can take 1 more group" in walk_in_form(client, surgery_session.id)
    card = client.get(f"/host/sessions/{surgery_session.id}").get_data(as_text=True)
    assert "Agreed in the room: they walked in" in card, "not 'the group has been told'"


def test_a_volunteer_with_no_room_left_is_refused_beside_the_choice(client, host, surgery_session):
    lucy = volunteer_signed_up(surgery_session, "Lucy Chen", load=1)
    first = WalkIn("Ray", "Moseley Bowls Club", skill_ids("Facebook"), Level.EYE_OPENER, lucy.id)
    on_the_day.add_walk_in(host, surgery_session, first, clock.utcnow())
    response = post_walk_in(
        client,
        surgery_session.id,
        name="Jo Bloggs",
        organisation_name="Kings Heath Choir",
        skills=[str(skill_ids("Facebook")[0])],
        level="2",
        volunteer=str(lucy.id),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<a href="#volunteer-0">{on_the_day.NO_ROOM}</a>' in page
    assert 'id="volunteer-error"' in page
    assert 'value="Kings Heath Choir"' in page
    assert the_request("Kings Heath Choir") is None
    with pytest.raises(InvalidAnswers, match="volunteer"):
        again = WalkIn("Jo", "Choir", skill_ids("Facebook"), Level.EYE_OPENER, lucy.id)
        on_the_day.add_walk_in(host, surgery_session, again, clock.utcnow())


def test_a_checked_in_walk_in_is_not_a_group_that_could_come(client, host, surgery_session):
    volunteer_signed_up(surgery_session, "Sam Okafor", load=1)
    walk_in = WalkIn("Ray", "Moseley Bowls Club", skill_ids("Facebook"), Level.FIRST_STEPS)
    on_the_day.add_walk_in(host, surgery_session, walk_in, clock.utcnow())
    page = client.get(f"/host/sessions/{surgery_session.id}").get_data(as_text=True)
    assert "Could come if a table frees" not in page, "the walk-in has its table here"


def test_no_walk_ins_at_a_cancelled_session(host, surgery_session):
    sessions.move_session(host, surgery_session, "cancel", NOW)
    walk_in = WalkIn("Ray", "Moseley Bowls Club", skill_ids("Facebook"), Level.FIRST_STEPS)
    with pytest.raises(InvalidAnswers):
        on_the_day.add_walk_in(host, surgery_session, walk_in, clock.utcnow())


def test_check_ins_and_walk_ins_open_on_the_day(client, host, surgery_session):
    clock.freeze(surgery_session.starts_at - timedelta(days=3))
    submit(client, "/host/sign-in", {"email": "hana@example.org", "password": PASSWORD})
    page = client.get(f"/host/sessions/{surgery_session.id}").get_data(as_text=True)
    assert 'id="walk-in"' not in page and "Check them in" not in page
    early = WalkIn("Ray", "Moseley Bowls Club", skill_ids("Facebook"), Level.EYE_OPENER)
    with pytest.raises(InvalidAnswers) as refused:
        on_the_day.add_walk_in(host, surgery_session, early, clock.utcnow())
    assert refused.value.errors["organisation_name"] == on_the_day.NOT_YET
