"""The pages behind the follow-through emails: still coming?, the follow-ups, unsubscribing."""

from urllib.parse import urlsplit

import pytest

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Booking, FollowUp, GotGoing, RequestStatus
from surgery.services import booking, sessions
from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.tokens import manage_token, unsubscribe_url
from tests.factories import approved_host, contact, request_details, session_details
from tests.web.forms import csrf_token


@pytest.fixture
def booked(app):
    host = approved_host()
    surgery_session = sessions.create_session(host, session_details(seats=1), utcnow())
    sessions.move_session(host, surgery_session, "publish", utcnow())
    help_request = submit_help_request(contact(), request_details(), utcnow())
    confirm_help_request(help_request, utcnow())
    held = booking.book_place(help_request, surgery_session, utcnow())
    return f"/manage/{manage_token(help_request.asker)}", held


def test_still_coming_yes_keeps_the_table_and_a_get_changes_nothing(client, booked):
    manage, held = booked
    url = f"{manage}/bookings/{held.id}/still-coming"
    page = client.get(url)
    assert page.status_code == 200 and "Are you still coming?" in page.get_data(as_text=True)
    assert held.coming_confirmed_at is None
    token = csrf_token(page.get_data(as_text=True))
    answer = client.post(url, data={"csrf_token": token, "answer": "yes"}, follow_redirects=True)
    assert "We look forward to seeing you" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert held.coming_confirmed_at is not None


def test_still_coming_no_gives_the_table_up(client, booked):
    manage, held = booked
    url = f"{manage}/bookings/{held.id}/still-coming"
    token = csrf_token(client.get(url).get_data(as_text=True))
    answer = client.post(url, data={"csrf_token": token, "answer": "no"}, follow_redirects=True)
    assert "Your table will go to another group" in answer.get_data(as_text=True)
    db.session.expire_all()
    assert booking.active_booking(held.help_request) is None
    assert held.surgery_session.seats_taken == 0


def test_another_groups_booking_is_not_found(client, booked, app):
    _, held = booked
    other = submit_help_request(contact(email="x@example.org"), request_details(), utcnow())
    confirm_help_request(other, utcnow())
    url = f"/manage/{manage_token(other.asker)}/bookings/{held.id}/still-coming"
    assert client.get(url).status_code == 404


def test_the_follow_up_form_shows_on_get_and_records_only_on_post(client, booked):
    manage, held = booked
    held.help_request.status = RequestStatus.ATTENDED
    db.session.commit()
    url = f"{manage}/requests/{held.help_request_id}/follow-up/week"
    page = client.get(url)
    assert "Did you get going with what you wanted to do?" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(FollowUp)) is None
    token = csrf_token(page.get_data(as_text=True))
    missing = client.post(url, data={"csrf_token": token})
    assert missing.status_code == 400
    assert "Choose yes, partly or not yet" in missing.get_data(as_text=True)
    sent = client.post(url, data={"csrf_token": token, "got_going": "partly", "line": "A page"})
    assert "Thank you" in sent.get_data(as_text=True)
    answer = db.session.scalar(db.select(FollowUp))
    assert (answer.got_going, answer.line) == (GotGoing.PARTLY, "A page")


def test_the_later_follow_up_asks_for_a_scale_and_a_story(client, booked):
    manage, held = booked
    held.help_request.status = RequestStatus.ATTENDED
    db.session.commit()
    url = f"{manage}/requests/{held.help_request_id}/follow-up/quarter"
    token = csrf_token(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, "change_scale": "4", "story": "Twice the volunteers."}
    client.post(url, data=data | {"may_share_story": "y"})
    answer = db.session.scalar(db.select(FollowUp))
    assert (answer.change_scale, answer.may_share_story) == (4, True)


def test_no_follow_up_before_the_group_came(client, booked):
    manage, held = booked
    assert client.get(f"{manage}/requests/{held.help_request_id}/follow-up/week").status_code == 404


def test_one_click_unsubscribe_is_a_plain_post_and_a_get_changes_nothing(client, booked, app):
    _, held = booked
    asker = held.help_request.asker
    url = urlsplit(unsubscribe_url(asker)).path
    page = client.get(url)
    assert page.status_code == 200 and "Stop these emails?" in page.get_data(as_text=True)
    db.session.expire_all()
    assert asker.unsubscribed_at is None
    # What a mail app sends (RFC 8058): a new connection, no cookie, no form token.
    response = app.test_client().post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    assert asker.unsubscribed_at is not None
    assert client.post(url[:-2] + "xx").status_code == 404, "a forged token unsubscribes nobody"
    assert db.session.scalar(db.select(Booking.status)).value == "booked", "bookings stay"


def test_still_coming_takes_only_yes_or_no(client, booked):
    manage, held = booked
    url = f"{manage}/bookings/{held.id}/still-coming"
    token = csrf_token(client.get(url).get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token}).status_code == 400
    assert client.post(url, data={"csrf_token": token, "answer": "maybe"}).status_code == 400
    assert booking.active_booking(held.help_request) is not None
