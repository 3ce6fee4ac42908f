"""Hosts manage their own sessions through the pages, and never anyone else's."""

import html
from datetime import timedelta

import pytest

from surgery.extensions import db
from surgery.models import SessionStatus, SurgerySession
from surgery.services import sessions
from tests.factories import (
    NOW,
    PASSWORD,
    TODAY,
    approved_host,
    confirmed_request,
    session_details,
)
from tests.instants import next_clocks_forward
from tests.web.forms import csrf_token, submit
from tests.web.test_query_counts import paired_requests, session_on, volunteers_at


def sign_in_as(client, email):
    submit(client, "/host/sign-in", {"email": email, "password": PASSWORD})


def token(client) -> str:
    return csrf_token(client.get("/host/").get_data(as_text=True))


CLOCKS_FORWARD = next_clocks_forward(TODAY + timedelta(days=1))
SESSION_FORM = {
    "title": "Moseley social media surgery",
    "venue_name": "Moseley Exchange",
    "venue_address": "149-153 Alcester Road, Birmingham",
    "postcode": "b13 8jp",
    "day": CLOCKS_FORWARD.isoformat(),
    "starts": "18:00",
    "ends": "20:00",
    "seats": "6",
    "level_focus": "0",
    "access": ["step-free", "hearing-loop"],
}


def test_a_host_creates_changes_and_publishes_a_session(client):
    approved_host()
    sign_in_as(client, "hana@example.org")
    response = submit(client, "/host/sessions/new", SESSION_FORM)
    assert response.status_code == 302
    created = db.session.scalar(db.select(SurgerySession))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    in_uk_time = f"Sunday {CLOCKS_FORWARD:%-d %B %Y}, 6pm to 8pm"
    assert in_uk_time in page, "shown in UK time after the clocks change"
    assert "Step-free access, A hearing loop" in page

    submit(client, f"/host/sessions/{created.id}/edit", SESSION_FORM | {"seats": "8"})
    client.post(f"/host/sessions/{created.id}/publish", data={"csrf_token": token(client)})
    db.session.expire_all()
    assert (created.seats, created.status) == (8, SessionStatus.PUBLISHED)


def test_a_host_chooses_safeguarding_auto_confirm_and_freeing_unanswered_tables(client):
    approved_host()
    sign_in_as(client, "hana@example.org")
    settings = {"requires_safeguarding": "y", "auto_confirm": "y", "free_unanswered": "y"}
    page = client.get(submit(client, "/host/sessions/new", SESSION_FORM | settings).location)
    text = page.get_data(as_text=True)
    assert "Only those with a safeguarding check" in text
    assert "Agreed as soon as the matcher makes them" in text
    assert "Lose their table a day before" in text
    created = db.session.scalar(db.select(SurgerySession))
    edit = client.get(f"/host/sessions/{created.id}/edit").get_data(as_text=True)
    assert edit.count("checked") >= 3, "the change form shows the settings as they are"
    submit(client, f"/host/sessions/{created.id}/edit", SESSION_FORM)  # all unticked
    db.session.expire_all()
    settings = (created.requires_safeguarding, created.auto_confirm, created.free_unanswered)
    assert settings == (False, False, False)


def test_a_session_form_with_mistakes_keeps_what_was_typed(client):
    approved_host()
    sign_in_as(client, "hana@example.org")
    page = submit(
        client, "/host/sessions/new", SESSION_FORM | {"postcode": "B13 9ZZ", "seats": "0"}
    ).get_data(as_text=True)
    assert "Enter a number of tables from 1 to 100" in page
    assert 'value="Moseley Exchange"' in page


def test_the_venue_postcode_says_a_full_one_is_needed_before_it_is_typed(client):
    approved_host()
    sign_in_as(client, "hana@example.org")
    page = html.unescape(client.get("/host/sessions/new").get_data(as_text=True))
    hint = "The venue's full postcode, like B13 8JP: groups see how far it is from them."
    assert hint in page
    assert 'id="postcode-hint"' in page and 'aria-describedby="postcode-hint' in page


@pytest.fixture
def other_hosts_session(app):
    other = approved_host("ola@example.org")
    return sessions.create_session(other, session_details(title="Ola's surgery"), NOW)


@pytest.mark.parametrize("path", ["", "/edit"])
def test_another_hosts_session_cannot_be_read(client, other_hosts_session, path):
    approved_host()
    sign_in_as(client, "hana@example.org")
    assert client.get(f"/host/sessions/{other_hosts_session.id}{path}").status_code == 404
    assert "Ola&#39;s surgery" not in client.get("/host/").get_data(as_text=True)


@pytest.mark.parametrize("action", ["publish", "cancel", "complete", "co-hosts", "edit"])
def test_another_hosts_session_cannot_be_changed(client, other_hosts_session, action):
    approved_host()
    sign_in_as(client, "hana@example.org")
    data = SESSION_FORM | {"csrf_token": token(client), "email": "hana@example.org"}
    response = client.post(f"/host/sessions/{other_hosts_session.id}/{action}", data=data)
    assert response.status_code == 404
    db.session.expire_all()
    assert other_hosts_session.status is SessionStatus.DRAFT
    assert [host.email for host in other_hosts_session.hosts] == ["ola@example.org"]
    assert other_hosts_session.seats == 6


def test_session_pages_need_signing_in(client, other_hosts_session):
    response = client.get(f"/host/sessions/{other_hosts_session.id}")
    assert response.status_code == 302 and "/host/sign-in" in response.headers["Location"]


def test_a_full_sessions_page_lists_the_ten_groups_waiting_longest(app, client, host):
    full = session_on(host, 0, seats=1)
    volunteers_at([full], 1, load=1)
    paired_requests(host, full, 1, "paired")
    for number in range(12):
        email = f"waiting{number}@example.org"
        confirmed_request(email, access_needs=(), when=NOW - timedelta(days=number))
    submit(client, "/host/sign-in", {"email": "hana@example.org", "password": PASSWORD})
    page = client.get(f"/host/sessions/{full.id}").get_data(as_text=True)
    assert "Could come if a table frees (12)" in page
    assert "These are the 10 who have waited longest, of 12." in page
    listed = page.split('id="could-come"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 10
