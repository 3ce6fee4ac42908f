"""Cancelled and completed sessions say so, and a host confirms before cancelling or completing."""

from datetime import timedelta

import pytest

from surgery import clock
from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Booking, BookingStatus, RequestStatus, SessionStatus
from surgery.services import booking, on_the_day, sessions
from surgery.services.asking import confirm_help_request, submit_help_request
from tests.factories import (
    NOW,
    PASSWORD,
    contact,
    published_session,
    request_details,
    volunteer_signed_up,
)
from tests.web.forms import csrf_token, submit

GROUPS = [
    ("Maya Patel", "maya@example.org", "Ladywood Food Bank"),
    ("Ali Khan", "ali@example.org", "Moseley Bowls Club"),
    ("Zoe Hart", "zoe@example.org", "Kings Heath Choir"),  # the session is full: she waits
]


@pytest.fixture
def full_session(client, host):
    """A published session with two tables: two groups booked, one waiting, one volunteer."""
    surgery_session = published_session(host, seats=2)
    for name, email, organisation in GROUPS:
        details = request_details(organisation_name=organisation)
        help_request = submit_help_request(contact(name=name, email=email), details, NOW)
        confirm_help_request(help_request, NOW)
        booking.book_place(help_request, surgery_session, NOW)
    volunteer_signed_up(surgery_session, "Sam Okafor", load=1)
    sign_in(client)
    return surgery_session


def sign_in(client) -> None:
    """Sign in (again: a sign-in lasts 12 hours at most, and these tests move the clock on)."""
    submit(client, "/host/sign-in", {"email": "hana@example.org", "password": PASSWORD})


def page(client, url: str) -> str:
    return client.get(url).get_data(as_text=True)


def booking_of(organisation: str) -> Booking:
    return db.session.scalar(
        db.select(Booking).join(Booking.help_request).filter_by(organisation_name=organisation)
    )


def test_a_cancelled_session_says_so_and_offers_no_tables(client, host, full_session):
    sessions.move_session(host, full_session, "cancel", NOW, reason="The hall has flooded.")
    hosts_page = page(client, f"/host/sessions/{full_session.id}")
    assert "This session was cancelled" in hosts_page
    assert "Every table is taken" not in hosts_page
    assert "Groups with a place" not in hosts_page
    assert "Someone walked in?" not in hosts_page
    assert "Cancel this session" not in hosts_page
    public = page(client, f"/sessions/{full_session.id}")
    assert "This session has been cancelled" in public
    assert "Tables free" not in public
    assert "Book a place" not in public and "Email me the link" not in public


def test_a_completed_session_says_it_has_taken_place(client, host, full_session):
    clock.freeze(full_session.ends_at)
    sessions.move_session(host, full_session, "complete", full_session.ends_at)
    sign_in(client)
    public = page(client, f"/sessions/{full_session.id}")
    assert "This session has taken place" in public
    assert "Tables free" not in public
    assert "Book a place" not in public and "Email me the link" not in public
    hosts_page = page(client, f"/host/sessions/{full_session.id}")
    assert "This session has taken place" in hosts_page
    assert "Mark as completed" not in hosts_page and "Cancel this session" not in hosts_page
    assert "Someone walked in?" not in hosts_page


def test_cancelling_asks_why_and_says_who_will_be_told(client, full_session):
    session_url = f"/host/sessions/{full_session.id}"
    assert f'href="{session_url}/cancel"' in page(client, session_url)
    confirm = page(client, f"{session_url}/cancel")
    assert "3 groups and 1 volunteer will be told" in confirm

    empty = submit(client, f"{session_url}/cancel", {"reason": "  "}).get_data(as_text=True)
    assert "There is a problem" in empty and 'href="#reason"' in empty
    assert 'id="reason-error"' in empty and "Enter why you are cancelling" in empty
    too_long = "The hall has flooded. " * 30
    kept = submit(client, f"{session_url}/cancel", {"reason": too_long}).get_data(as_text=True)
    assert "must be 500 characters or fewer" in kept
    assert too_long.strip() in kept, "what was typed is kept"
    db.session.expire_all()
    assert full_session.status is SessionStatus.PUBLISHED


def test_the_reason_reaches_everyone_told_by_name(client, full_session, mailbox):
    session_url = f"/host/sessions/{full_session.id}"
    reason = "The hall has flooded. Sorry!"
    response = submit(client, f"{session_url}/cancel", {"reason": reason})
    assert response.status_code == 302
    db.session.expire_all()
    assert full_session.status is SessionStatus.CANCELLED
    for name, email, _ in [*GROUPS, ("Sam Okafor", "sam@example.org", "")]:
        [message] = [m for m in mailbox.to(email) if m["Subject"].startswith("Cancelled:")]
        text = mailbox.text_of(message)
        assert f"Hello {name.split()[0]}," in text
        assert reason in text
        assert "The hall has flooded. Sorry!" in mailbox.html_of(message)


def test_completing_before_the_start_is_refused(client, host, full_session):
    session_url = f"/host/sessions/{full_session.id}"
    assert "Mark as completed" not in page(client, session_url)
    for method in (client.get, client.post):
        data = {"csrf_token": csrf_token(page(client, session_url))}
        response = method(f"{session_url}/complete", data=data, follow_redirects=True)
        assert "cannot be marked as completed before it starts" in response.get_data(as_text=True)
    with pytest.raises(ValueError, match="before it starts"):
        sessions.move_session(host, full_session, "complete", NOW)
    db.session.expire_all()
    assert full_session.status is SessionStatus.PUBLISHED


def test_completing_after_the_start_says_who_will_be_marked_as_not_come(client, host, full_session):
    session_url = f"/host/sessions/{full_session.id}"
    came = booking_of("Ladywood Food Bank")
    clock.freeze(full_session.starts_at + timedelta(minutes=30))
    on_the_day.record_outcome(host, came, True, (), "", utcnow())
    sign_in(client)
    assert f'href="{session_url}/complete"' in page(client, session_url)
    confirm = page(client, f"{session_url}/complete")
    assert "1 group will be marked as not having come" in confirm
    assert "Moseley Bowls Club" in confirm and "Ladywood Food Bank" not in confirm

    assert submit(client, f"{session_url}/complete").status_code == 302
    db.session.expire_all()
    assert full_session.status is SessionStatus.COMPLETED
    assert came.help_request.status is RequestStatus.ATTENDED
    assert booking_of("Moseley Bowls Club").help_request.status is RequestStatus.NO_SHOW
    assert booking_of("Kings Heath Choir").status is BookingStatus.WAITING
