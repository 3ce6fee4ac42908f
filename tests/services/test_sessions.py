from datetime import UTC, datetime, time, timedelta

import pytest

from surgery.extensions import db
from surgery.models import AuditEvent, Notification, SessionStatus, Volunteer
from surgery.services import booking, sessions, signups
from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.errors import InvalidAnswers
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from tests.factories import (
    NOW,
    TODAY,
    admin_account,
    approved_host,
    contact,
    offer_details,
    request_details,
    session_details,
)
from tests.instants import next_clocks_back, next_clocks_forward

CLOCKS_FORWARD = next_clocks_forward(TODAY + timedelta(days=1))
CLOCKS_BACK = next_clocks_back(TODAY + timedelta(days=1))
DAY = timedelta(days=1)


@pytest.fixture
def host(app):
    return approved_host()


def test_a_new_session_is_a_draft_hosted_by_its_creator(host):
    created = sessions.create_session(host, session_details(), NOW)
    assert created.status is SessionStatus.DRAFT
    assert created.hosts == [host]
    assert created.district == "B13"
    assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.action.like("%session")))


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (CLOCKS_FORWARD - DAY, 18),  # the Saturday before the clocks go forward: GMT
        (CLOCKS_FORWARD, 17),  # clocks forward at 1am: BST, an hour ahead of UTC
        (CLOCKS_BACK - DAY, 17),  # still BST
        (CLOCKS_BACK, 18),  # clocks back at 2am: GMT again
    ],
)
def test_uk_times_are_stored_in_utc_across_the_clock_change(host, day, utc_hour):
    created = sessions.create_session(host, session_details(day=day), NOW)
    assert created.starts_at == datetime.combine(day, time(utc_hour), tzinfo=UTC)


def test_a_time_the_clocks_skip_is_refused(host):
    details = session_details(day=CLOCKS_FORWARD, starts=time(1, 30), ends=time(3, 0))
    with pytest.raises(InvalidAnswers) as error:
        sessions.create_session(host, details, NOW)
    assert "clocks go forward" in error.value.errors["starts"]


def test_an_end_before_the_start_or_a_past_date_is_refused(host):
    with pytest.raises(InvalidAnswers) as error:
        sessions.create_session(host, session_details(ends=time(17, 0)), NOW)
    assert "after the start time" in error.value.errors["ends"]
    with pytest.raises(InvalidAnswers) as error:
        sessions.create_session(host, session_details(day=TODAY - DAY), NOW)
    assert "today or later" in error.value.errors["day"]


def test_publishing_cancelling_and_completing_follow_the_rules(host):
    created = sessions.create_session(host, session_details(), NOW)
    with pytest.raises(ValueError):
        sessions.move_session(host, created, "complete", NOW)
    sessions.move_session(host, created, "publish", NOW)
    assert created.status is SessionStatus.PUBLISHED and created.sequence == 1
    sessions.move_session(host, created, "cancel", NOW)
    with pytest.raises(ValueError):
        sessions.move_session(host, created, "publish", NOW)


def test_changing_a_session_raises_its_calendar_sequence(host):
    created = sessions.create_session(host, session_details(), NOW)
    sessions.update_session(host, created, session_details(seats=8), NOW)
    assert created.seats == 8 and created.sequence == 1


def test_a_host_sees_only_their_own_sessions_and_an_admin_sees_all(host):
    other = approved_host("ola@example.org")
    mine = sessions.create_session(host, session_details(), NOW)
    theirs = sessions.create_session(other, session_details(title="Theirs"), NOW)
    assert sessions.hosted_by(host) == [mine] and sessions.others_sessions_for(host) == []
    assert sessions.session_for(host, theirs.id) is None
    admin = admin_account()
    assert sessions.hosted_by(admin) == []
    assert {s.id for s in sessions.others_sessions_for(admin)} == {mine.id, theirs.id}
    assert sessions.session_for(admin, theirs.id) is theirs


def test_a_co_host_shares_the_session(host):
    other = approved_host("ola@example.org")
    shared = sessions.create_session(host, session_details(), NOW)
    sessions.add_co_host(host, shared, "OLA@example.org", NOW)
    assert sessions.session_for(other, shared.id) is shared
    with pytest.raises(InvalidAnswers):
        sessions.add_co_host(host, shared, "nobody@example.org", NOW)


def test_a_session_is_completed_only_once_it_has_started(host):
    created = sessions.create_session(host, session_details(), NOW)
    sessions.move_session(host, created, "publish", NOW)
    with pytest.raises(ValueError, match="cannot be marked as completed before it starts"):
        sessions.move_session(host, created, "complete", created.starts_at - timedelta(minutes=1))
    assert created.status is SessionStatus.PUBLISHED
    assert sessions.moves_allowed(created, NOW) == ["cancel"]
    assert sessions.moves_allowed(created, created.starts_at) == ["complete", "cancel"]
    sessions.move_session(host, created, "complete", created.starts_at)
    assert created.status is SessionStatus.COMPLETED
    assert sessions.moves_allowed(created, created.starts_at) == []


def test_cancelling_tells_booked_and_waiting_groups_and_volunteers_why(host):
    created = sessions.create_session(host, session_details(seats=1), NOW)
    sessions.move_session(host, created, "publish", NOW)
    for name, email in (("Maya Patel", "maya@example.org"), ("Ali Khan", "ali@example.org")):
        help_request = submit_help_request(contact(name=name, email=email), request_details(), NOW)
        confirm_help_request(help_request, NOW)
        booking.book_place(help_request, created, NOW)  # Ali waits: there is one table
    sam_offer = contact(name="Sam Okafor", email="sam@example.org")
    submit_volunteer_offer(sam_offer, offer_details(), NOW)
    sam = confirm_volunteer(db.session.scalar(db.select(Volunteer)), NOW)
    signups.sign_up(sam, created, 1, NOW)
    assert sessions.who_will_be_told(created) == (2, 1)

    sessions.move_session(host, created, "cancel", NOW, reason="The venue has flooded.")
    told = {
        n.recipient: n.body_text
        for n in db.session.scalars(db.select(Notification).filter_by(kind="session_cancelled"))
    }
    assert set(told) == {"maya@example.org", "ali@example.org", "sam@example.org"}
    assert all("The venue has flooded." in body for body in told.values())
    assert told["ali@example.org"].startswith("Hello Ali,")
    assert told["sam@example.org"].startswith("Hello Sam,")
