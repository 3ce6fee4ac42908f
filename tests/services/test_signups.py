from datetime import timedelta

import pytest

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Notification, SignupStatus, Volunteer
from surgery.services import sessions, signups
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.services.signups import SignupRefused
from tests.factories import NOW, approved_host, contact, offer_details, session_details


@pytest.fixture
def published(app):
    host = approved_host()
    created = sessions.create_session(host, session_details(), utcnow())
    sessions.move_session(host, created, "publish", utcnow())
    return created


def volunteer(email="sam@example.org", confirm=True) -> Volunteer:
    submit_volunteer_offer(contact(email=email), offer_details(), utcnow())
    found = db.session.scalar(db.select(Volunteer).where(Volunteer.email == email))
    return confirm_volunteer(found, utcnow()) if confirm else found


def test_a_volunteer_signs_up_and_the_session_offers_their_skills(published):
    sam = volunteer()
    assert [f.surgery_session for f in signups.sessions_near_volunteer(sam, utcnow())] == [
        published
    ]
    signup = signups.sign_up(sam, published, 2, utcnow())
    assert signup.load == 2
    assert signups.skills_on_offer(published) == ["Facebook", "Blogging and websites"]
    assert signups.who_is_coming(published).volunteers == [signup]


def test_withdrawing_and_signing_up_again_reuses_the_sign_up(published):
    sam = volunteer()
    first = signups.sign_up(sam, published, 1, utcnow())
    signups.withdraw_signup(first, NOW)
    assert signups.skills_on_offer(published) == []
    again = signups.sign_up(sam, published, 3, utcnow())
    assert again.id == first.id and again.status is SignupStatus.ACTIVE and again.load == 3


@pytest.mark.parametrize("load", [0, 4])
def test_a_load_outside_one_to_three_is_refused(published, load):
    with pytest.raises(SignupRefused):
        signups.sign_up(volunteer(), published, load, utcnow())


def test_an_unconfirmed_volunteer_cannot_sign_up(published):
    with pytest.raises(SignupRefused):
        signups.sign_up(volunteer(confirm=False), published, 1, utcnow())


def test_withdrawing_tells_the_hosts_each_time(published, mailbox):
    sam = volunteer()
    signup = signups.sign_up(sam, published, 1, NOW)
    mailbox.received.clear()
    signups.withdraw_signup(signup, NOW)
    signups.sign_up(sam, published, 1, NOW + timedelta(minutes=5))
    signups.withdraw_signup(signup, NOW + timedelta(minutes=10))

    (host,) = published.hosts
    keys = db.session.scalars(
        db.select(Notification.key)
        .where(Notification.kind == "volunteer_withdrew")
        .order_by(Notification.id)
    ).all()
    assert keys == [
        f"volunteer-withdrew:signup:{signup.id}:{moment:%Y%m%dT%H%M%S}:host:{host.id}"
        for moment in (NOW, NOW + timedelta(minutes=10))
    ]
    told = mailbox.to("hana@example.org")
    subject = f"Maya Patel can no longer help at {published.title}"
    assert [message["Subject"] for message in told] == [subject, subject]
    assert mailbox.text_of(told[0]).startswith("Hello Hana,")


def test_a_session_that_is_over_cannot_be_withdrawn_from_and_no_host_is_told(published, mailbox):
    """It is on the volunteer's record of sessions they gave."""
    signup = signups.sign_up(volunteer(), published, 1, NOW)
    mailbox.received.clear()
    with pytest.raises(signups.SignupRefused, match="That session is over"):
        signups.withdraw_signup(signup, published.ends_at + timedelta(hours=1))
    assert signup.status is SignupStatus.ACTIVE
    assert mailbox.to("hana@example.org") == []
