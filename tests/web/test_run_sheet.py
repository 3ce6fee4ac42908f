"""On the day: the host checks groups in, adds a walk-in, records outcomes and completes."""

import re
from datetime import timedelta

import pytest

from surgery import clock
from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Booking, HelpRequest, Outcome, RequestStatus, SurgerySession
from surgery.services import booking, sessions
from surgery.services.asking import confirm_help_request, submit_help_request
from tests.factories import PASSWORD, approved_host, contact, request_details, session_details
from tests.web.forms import csrf_token, submit


@pytest.fixture
def day(client):
    host = approved_host()
    surgery_session = sessions.create_session(host, session_details(seats=3), utcnow())
    sessions.move_session(host, surgery_session, "publish", utcnow())
    groups = []
    for email in ("came@example.org", "stayed-away@example.org"):
        help_request = submit_help_request(contact(email=email), request_details(), utcnow())
        confirm_help_request(help_request, utcnow())
        booking.book_place(help_request, surgery_session, utcnow())
        groups.append(help_request.id)
    clock.freeze(surgery_session.starts_at - timedelta(hours=2))  # the morning of the day
    sign_in(client)
    return surgery_session.id, groups


def sign_in(client):
    submit(client, "/host/sign-in", {"email": "hana@example.org", "password": PASSWORD})


def page_token(client, url, prefix=""):
    page = client.get(url).get_data(as_text=True)
    pattern = rf'name="{prefix}csrf_token"[^>]*value="([^"]+)"'
    return re.search(pattern, page).group(1) if prefix else csrf_token(page)


def test_checking_in_recording_outcomes_and_completing(client, day):
    session_id, (came, stayed_away) = day
    url = f"/host/sessions/{session_id}"
    held = db.session.scalar(db.select(Booking).where(Booking.help_request_id == came))
    prefix = f"b{held.id}-"
    data = {
        f"{prefix}csrf_token": page_token(client, url, prefix),
        f"{prefix}attended": "yes",
        f"{prefix}skills": ["1"],
        f"{prefix}note": "Set up their Facebook page.",
    }
    client.post(f"{url}/bookings/{held.id}/outcome", data=data)
    outcome = db.session.scalar(db.select(Outcome))
    assert (outcome.attended, outcome.skills_covered) == (True, [1])

    walk_in = {
        "csrf_token": page_token(client, url),
        "name": "Ray",
        "organisation_name": "Moseley Bowls Club",
        "skills": ["2"],
        "level": "1",
    }
    client.post(f"{url}/walk-ins", data=walk_in)
    assert "Moseley Bowls Club" in client.get(url).get_data(as_text=True)

    clock.freeze(db.session.get(SurgerySession, session_id).starts_at + timedelta(hours=1))
    sign_in(client)  # a sign-in lasts 12 hours at most
    assert "Mark as completed" in client.get(url).get_data(as_text=True)
    submit(client, f"{url}/complete")
    db.session.expire_all()
    statuses = {r.organisation_name: r.status for r in db.session.scalars(db.select(HelpRequest))}
    assert db.session.get(HelpRequest, came).status is RequestStatus.ATTENDED
    assert db.session.get(HelpRequest, stayed_away).status is RequestStatus.NO_SHOW
    assert statuses["Moseley Bowls Club"] is RequestStatus.ATTENDED


def test_another_host_cannot_record_outcomes_or_add_walk_ins(client, day, app):
    session_id, (came, _) = day
    approved_host("ola@example.org")
    other = app.test_client()
    submit(other, "/host/sign-in", {"email": "ola@example.org", "password": PASSWORD})
    token = csrf_token(other.get("/host/").get_data(as_text=True))
    held = db.session.scalar(db.select(Booking).where(Booking.help_request_id == came))
    outcome = other.post(
        f"/host/sessions/{session_id}/bookings/{held.id}/outcome",
        data={"csrf_token": token, f"b{held.id}-attended": "no"},
    )
    walk_in = other.post(
        f"/host/sessions/{session_id}/walk-ins",
        data={"csrf_token": token, "name": "X", "organisation_name": "X"},
    )
    assert (outcome.status_code, walk_in.status_code) == (404, 404)
    assert db.session.scalar(db.select(db.func.count(Outcome.id))) == 0
