"""A published evening session near Moseley with one table, a host and a volunteer signed up."""

import pytest

from surgery import clock
from surgery.extensions import db
from surgery.models import Volunteer
from surgery.notify import outbox
from surgery.services import follow_through, sessions, signups
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.vocabulary import AccessNeed
from tests.factories import NOW, approved_host, contact, offer_details, session_details


@pytest.fixture
def host(app):
    return approved_host()


@pytest.fixture
def surgery_session(host):
    created = sessions.create_session(
        host, session_details(seats=1, access=(AccessNeed.STEP_FREE,)), NOW
    )
    sessions.move_session(host, created, "publish", NOW)
    return created


@pytest.fixture
def sam(surgery_session):
    offer = contact(name="Sam Okafor", email="sam@example.org")
    submit_volunteer_offer(offer, offer_details(), NOW)
    volunteer = confirm_volunteer(db.session.scalar(db.select(Volunteer)), NOW)
    return signups.sign_up(volunteer, surgery_session, 2, NOW)


@pytest.fixture
def tick(app, mailbox):
    """Run the scheduler's two jobs at a moment; return what reached the SMTP server, as
    (to, subject)."""

    def at(moment) -> list[tuple[str, str]]:
        clock.freeze(moment)
        before = len(mailbox.received)
        follow_through.create_due_messages(moment)
        outbox.deliver_due(moment)
        return [(m["To"], m["Subject"]) for m in mailbox.received[before:]]

    return at
