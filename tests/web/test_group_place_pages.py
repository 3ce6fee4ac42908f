"""A group's private page says what its request holds; changing or giving it up asks first."""

import pytest

from surgery.extensions import db
from surgery.models import Booking, BookingStatus, HelpRequest, RequestStatus
from surgery.services import booking
from surgery.services.asking import place_of_request
from surgery.services.tokens import manage_token
from surgery.vocabulary import AccessNeed
from surgery.web.helpers import when
from surgery.web.public.manage import request_changed
from tests.factories import (
    NOW,
    agreed_pairing_for,
    confirmed_request,
    published_session,
    volunteer_signed_up,
)
from tests.web.forms import csrf_token, submit
from tests.web.journeys import ask_answers

MOSELEY = "Moseley social media surgery"
GIVES_UP = "Changing where or when you can come, or the help you need, gives up your place at"


@pytest.fixture
def surgery_session(host):
    """A published evening session near Moseley with one table and Sam signed up to help."""
    step_free = (AccessNeed.STEP_FREE,)  # as the groups ask
    created = published_session(host, seats=1, access=step_free)
    volunteer_signed_up(created, "Sam Okafor", load=2)
    return created


def manage_link(help_request: HelpRequest) -> str:
    return f"/manage/{manage_token(help_request.asker)}"


def booked(surgery_session, email="maya@example.org") -> HelpRequest:
    help_request = confirmed_request(email)
    booking.book_place(help_request, surgery_session, NOW)
    return help_request


def test_a_group_with_a_table_is_not_told_it_is_still_looking(client, surgery_session):
    page = client.get(manage_link(booked(surgery_session))).get_data(as_text=True)
    assert f"You have a place at {MOSELEY}. We will tell you who your volunteer is." in page
    assert "Looking for a volunteer and a session near you" not in page


def test_a_group_on_a_waiting_list_is_told_so(client, surgery_session):
    booked(surgery_session)
    waiting = booked(surgery_session, "ravi@example.org")
    page = client.get(manage_link(waiting)).get_data(as_text=True)
    assert f"On the waiting list at {MOSELEY}" in page
    assert "You have a place" not in page and "Looking for a volunteer" not in page


def test_a_paired_group_is_told_its_place_and_its_volunteer(client, host, surgery_session):
    help_request = agreed_pairing_for(host, surgery_session)
    page = client.get(manage_link(help_request)).get_data(as_text=True)
    assert f"You have a place at {MOSELEY} with Sam" in page
    assert "Booked at a session" not in page


def test_a_group_with_nothing_yet_is_told_we_are_looking(client, surgery_session):
    page = client.get(manage_link(confirmed_request("maya@example.org"))).get_data(as_text=True)
    assert "Looking for a volunteer and a session near you" in page


def edit_form(**changes) -> dict:
    answers = ask_answers()
    form = {
        **answers["group"],
        **answers["when"],
        "postcode": "EH1 1YZ",
        "skills": ["1"],
        "level": "2",
        "goal": "A newsletter for the whole street.",
        "travel_km": "2",
    }
    return form | changes


def test_changing_a_booked_request_says_what_happens_and_needs_a_tick(client, surgery_session):
    help_request = booked(surgery_session)
    url = f"{manage_link(help_request)}/requests/{help_request.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert f"{GIVES_UP} {MOSELEY}." in page

    refused = submit(client, url, edit_form())
    assert refused.status_code == 200
    page = refused.get_data(as_text=True)
    assert "There is a problem" in page
    assert f"Tick the box to give up your place at {MOSELEY} and change your request" in page
    assert "A newsletter for the whole street." in page, "what was typed is kept"
    db.session.expire_all()
    assert help_request.postcode == "B13 9AE" and booking.active_booking(help_request)

    response = submit(client, url, edit_form(give_up_place="y"), follow=True)
    assert f"You have given up your place at {MOSELEY}" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (help_request.postcode, help_request.travel_km) == ("EH1 1YZ", 2)
    assert booking.active_booking(help_request) is None


def test_a_paired_group_can_change_its_request_once_it_gives_the_place_up(
    client, host, surgery_session
):
    help_request = agreed_pairing_for(host, surgery_session)
    manage = client.get(manage_link(help_request)).get_data(as_text=True)
    assert "Change this request" in manage
    url = f"{manage_link(help_request)}/requests/{help_request.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert f"{GIVES_UP} {MOSELEY} with Sam." in page

    submit(client, url, edit_form(give_up_place="y"))
    db.session.expire_all()
    assert help_request.status is RequestStatus.OPEN and help_request.postcode == "EH1 1YZ"


def test_a_request_holding_nothing_changes_without_a_question(client, surgery_session):
    help_request = confirmed_request("maya@example.org")
    url = f"{manage_link(help_request)}/requests/{help_request.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "gives up your place" not in page and "give_up_place" not in page
    assert submit(client, url, edit_form()).status_code == 302
    db.session.expire_all()
    assert help_request.postcode == "EH1 1YZ"


def test_giving_up_a_place_asks_first_naming_the_session_and_its_date(client, surgery_session):
    help_request = booked(surgery_session)
    held = booking.active_booking(help_request)
    confirm = f"{manage_link(help_request)}/bookings/{held.id}/cancel"
    assert confirm in client.get(manage_link(help_request)).get_data(as_text=True)

    page = client.get(confirm).get_data(as_text=True)
    assert "Are you sure you want to give up your place?" in page
    assert MOSELEY in page and when(surgery_session.starts_at, surgery_session.ends_at) in page
    assert "Yes, give up my place" in page
    db.session.expire_all()
    assert held.status is BookingStatus.BOOKED, "showing the question changes nothing"

    response = submit(client, confirm, follow=True)
    assert "You have given up your place" in response.get_data(as_text=True)
    db.session.expire_all()
    assert held.status is BookingStatus.CANCELLED


def test_leaving_a_waiting_list_is_called_that(client, surgery_session):
    booked(surgery_session)
    waiting = booked(surgery_session, "ravi@example.org")
    held = booking.active_booking(waiting)
    page = client.get(f"{manage_link(waiting)}/bookings/{held.id}/cancel").get_data(as_text=True)
    assert "Are you sure you want to leave the waiting list?" in page
    assert "Yes, leave the waiting list" in page and MOSELEY in page
    assert "give up your place" not in page.lower()

    response = submit(client, f"{manage_link(waiting)}/bookings/{held.id}/cancel", follow=True)
    assert "You have left the waiting list" in response.get_data(as_text=True)
    db.session.expire_all()
    assert held.status is BookingStatus.CANCELLED


def test_nobody_else_can_see_or_give_up_a_groups_place(client, surgery_session):
    held = booking.active_booking(booked(surgery_session))
    stranger = manage_link(confirmed_request("x@example.org"))
    assert client.get(f"{stranger}/bookings/{held.id}/cancel").status_code == 404
    token = csrf_token(client.get(f"{stranger}/new-link").get_data(as_text=True))
    client.post(f"{stranger}/bookings/{held.id}/cancel", data={"csrf_token": token})
    assert db.session.get(Booking, held.id).status is BookingStatus.BOOKED


def test_changing_only_notes_says_nothing_about_giving_up_the_place(client, surgery_session):
    help_request = booked(surgery_session)
    held = place_of_request(help_request)
    same_place = request_changed(held, place_of_request(help_request))
    assert same_place == "Your request has been updated."
    lost = request_changed(held, place_of_request(confirmed_request("ravi@example.org")))
    assert lost == f"Your request has been updated. You have given up your place at {MOSELEY}."
