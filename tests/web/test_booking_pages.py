"""A group books a place from its private page, and gives it up."""

import pytest

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import BookingStatus, SurgerySession
from surgery.services import sessions
from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.booking import active_booking
from surgery.services.tokens import manage_token
from tests.factories import approved_host, contact, request_details, session_details
from tests.web.forms import csrf_token, submit


@pytest.fixture
def setting(app):
    host = approved_host()
    surgery_session = sessions.create_session(host, session_details(seats=1), utcnow())
    sessions.move_session(host, surgery_session, "publish", utcnow())
    help_request = submit_help_request(contact(), request_details(), utcnow())
    confirm_help_request(help_request, utcnow())
    return f"/manage/{manage_token(help_request.asker)}", help_request, surgery_session


def test_booking_a_place_from_the_private_page(client, setting):
    manage, help_request, surgery_session = setting
    choose = client.get(f"{manage}/requests/{help_request.id}/sessions").get_data(as_text=True)
    assert "Moseley social media surgery" in choose and "1 of 1 tables free" in choose
    token = csrf_token(choose)
    book = f"{manage}/requests/{help_request.id}/book/{surgery_session.id}"
    page = client.post(book, data={"csrf_token": token}, follow_redirects=True)
    assert "You have a place at Moseley social media surgery" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SurgerySession, surgery_session.id).seats_left == 0


def test_giving_up_a_place(client, setting):
    manage, help_request, surgery_session = setting
    choose = client.get(f"{manage}/requests/{help_request.id}/sessions").get_data(as_text=True)
    token = csrf_token(choose)
    client.post(
        f"{manage}/requests/{help_request.id}/book/{surgery_session.id}", data={"csrf_token": token}
    )
    held = active_booking(help_request)
    submit(client, f"{manage}/bookings/{held.id}/cancel")
    db.session.expire_all()
    assert held.status is BookingStatus.CANCELLED
    assert db.session.get(SurgerySession, surgery_session.id).seats_left == 1


def test_nobody_else_can_book_or_cancel_for_a_group(client, setting):
    manage, help_request, surgery_session = setting
    stranger = submit_help_request(contact(email="x@example.org"), request_details(), utcnow())
    stranger_manage = f"/manage/{manage_token(stranger.asker)}"
    token = csrf_token(client.get(f"{stranger_manage}/new-link").get_data(as_text=True))
    response = client.post(
        f"{stranger_manage}/requests/{help_request.id}/book/{surgery_session.id}",
        data={"csrf_token": token},
    )
    assert response.status_code == 404


def test_a_group_asks_for_its_booking_link_from_the_session_page(client, mailbox, setting):
    manage, help_request, surgery_session = setting
    mailbox.received.clear()
    page = client.get(f"/sessions/{surgery_session.id}").get_data(as_text=True)
    known = client.post(
        f"/sessions/{surgery_session.id}/links",
        data={"csrf_token": csrf_token(page), "email": "maya@example.org"},
    )
    unknown = client.post(
        f"/sessions/{surgery_session.id}/links",
        data={"csrf_token": csrf_token(page), "email": "who@example.org"},
    )
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    (message,) = mailbox.to("maya@example.org")
    assert f"{manage}/requests/{help_request.id}/sessions" in mailbox.text_of(message)
    assert mailbox.text_of(message).startswith("Hello Maya,")
    assert mailbox.to("who@example.org") == []
