"""A group or volunteer moves to a new email address, confirmed at the new address; the old one
stays in use until then, and is told afterwards."""

from datetime import timedelta

import pytest

from surgery import clock
from surgery.extensions import db
from surgery.models import Asker, Notification, NotificationStatus, Volunteer
from surgery.notify import outbox
from surgery.services import email_change, personal_data
from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.errors import InvalidAnswers
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.services.tokens import LinkExpired, LinkNotValid, manage_token
from tests.factories import NOW, contact, offer_details, request_details


@pytest.fixture
def maya(app, mailbox) -> Asker:
    help_request = submit_help_request(contact(), request_details(), NOW)
    asker = confirm_help_request(help_request, NOW)
    mailbox.received.clear()
    return asker


@pytest.fixture
def sam(app, mailbox) -> Volunteer:
    submit_volunteer_offer(
        contact(name="Sam Okafor", email="sam@example.org"), offer_details(), NOW
    )
    volunteer = confirm_volunteer(db.session.scalar(db.select(Volunteer)), NOW)
    mailbox.received.clear()
    return volunteer


def change_link_sent_to(mailbox, address: str) -> str:
    [message] = mailbox.to(address)
    text = mailbox.text_of(message)
    token = text.split("/change-email/", 1)[1].split()[0]
    return token


def test_the_new_address_gets_a_link_and_the_old_one_stays_until_it_is_used(maya, mailbox):
    email_change.request_email_change(maya, "Maya.Patel@Example.net ", NOW)

    token = change_link_sent_to(mailbox, "maya.patel@example.net")
    assert maya.email == "maya@example.org"
    assert mailbox.to("maya@example.org") == []

    changed = email_change.confirm_email_change(token, NOW + timedelta(hours=1))
    assert changed == maya and maya.email == "maya.patel@example.net"
    [notice] = mailbox.to("maya@example.org")
    assert "maya.patel@example.net" not in mailbox.text_of(notice), "the old inbox may be lost"
    assert "changed" in notice["Subject"]


def test_the_private_link_keeps_working_after_the_change(maya, mailbox):
    before = manage_token(maya)
    email_change.request_email_change(maya, "maya.patel@example.net", NOW)
    email_change.confirm_email_change(change_link_sent_to(mailbox, "maya.patel@example.net"), NOW)
    assert manage_token(maya) == before


def test_a_volunteer_changes_address_the_same_way(sam, mailbox):
    email_change.request_email_change(sam, "sam.o@example.net", NOW)
    email_change.confirm_email_change(change_link_sent_to(mailbox, "sam.o@example.net"), NOW)
    db.session.expire_all()
    assert db.session.get(Volunteer, sam.id).email == "sam.o@example.net"
    assert len(mailbox.to("sam@example.org")) == 1


def test_a_link_works_once(maya, mailbox):
    email_change.request_email_change(maya, "maya.patel@example.net", NOW)
    token = change_link_sent_to(mailbox, "maya.patel@example.net")
    email_change.confirm_email_change(token, NOW)
    with pytest.raises(LinkNotValid):
        email_change.confirm_email_change(token, NOW)


def test_a_link_expires(maya, mailbox):
    email_change.request_email_change(maya, "maya.patel@example.net", NOW)
    token = change_link_sent_to(mailbox, "maya.patel@example.net")
    later = NOW + email_change.LINK_LIFETIME + timedelta(minutes=1)
    clock.freeze(later)
    with pytest.raises(LinkExpired):
        email_change.confirm_email_change(token, later)
    assert maya.email == "maya@example.org"


def test_a_made_up_link_is_not_valid(maya):
    with pytest.raises(LinkNotValid):
        email_change.confirm_email_change("x" * 43, NOW)


@pytest.mark.parametrize("address", ["not an address", "maya@example.org", "MAYA@example.org"])
def test_a_bad_or_unchanged_address_is_a_field_error(maya, mailbox, address):
    with pytest.raises(InvalidAnswers) as error:
        email_change.request_email_change(maya, address, NOW)
    assert "email" in error.value.errors
    assert mailbox.received == []


def test_an_address_another_group_uses_is_not_revealed_or_taken(maya, mailbox):
    other = submit_help_request(
        contact(name="Olu Ade", email="olu@example.org"), request_details(), NOW
    ).asker
    mailbox.received.clear()

    email_change.request_email_change(maya, "olu@example.org", NOW)

    [explained] = mailbox.to("olu@example.org")
    text = mailbox.text_of(explained)
    assert "/change-email/" not in text and "already" in text
    assert "Maya" not in text and "maya@example.org" not in text
    assert (maya.email, other.email) == ("maya@example.org", "olu@example.org")


def test_a_group_may_move_to_an_address_that_someone_volunteers_with(maya, sam, mailbox):
    email_change.request_email_change(maya, "sam@example.org", NOW)
    email_change.confirm_email_change(change_link_sent_to(mailbox, "sam@example.org"), NOW)
    assert maya.email == sam.email == "sam@example.org"


def test_an_address_taken_before_the_link_is_used_is_not_overwritten(maya, mailbox):
    email_change.request_email_change(maya, "olu@example.org", NOW)
    token = change_link_sent_to(mailbox, "olu@example.org")
    submit_help_request(contact(name="Olu Ade", email="olu@example.org"), request_details(), NOW)

    with pytest.raises(email_change.AddressTaken):
        email_change.confirm_email_change(token, NOW)
    assert maya.email == "maya@example.org"


def test_a_link_from_before_another_change_no_longer_works(maya, mailbox):
    email_change.request_email_change(maya, "first@example.net", NOW)
    email_change.request_email_change(maya, "second@example.net", NOW)
    first = change_link_sent_to(mailbox, "first@example.net")
    email_change.confirm_email_change(change_link_sent_to(mailbox, "second@example.net"), NOW)
    with pytest.raises(LinkNotValid):
        email_change.confirm_email_change(first, NOW)
    assert maya.email == "second@example.net"


def test_erasing_the_person_kills_their_pending_change(maya, mailbox):
    email_change.request_email_change(maya, "maya.patel@example.net", NOW)
    token = change_link_sent_to(mailbox, "maya.patel@example.net")
    personal_data.erase_person(maya, NOW)
    with pytest.raises(LinkNotValid):
        email_change.confirm_email_change(token, NOW)


def test_messages_still_waiting_go_to_the_new_address(maya, mailbox):
    later = NOW + timedelta(days=1)
    outbox.queue_email(
        outbox.Envelope("maya@example.org"),
        key="test:later",
        template="new_manage_link",
        subject="Due tomorrow",
        due_at=later,
        person=maya,
        manage_url="http://example.org/m",
    )
    db.session.commit()
    email_change.request_email_change(maya, "maya.patel@example.net", NOW)
    email_change.confirm_email_change(change_link_sent_to(mailbox, "maya.patel@example.net"), NOW)

    waiting = db.session.scalar(db.select(Notification).where(Notification.key == "test:later"))
    assert waiting.status is NotificationStatus.PENDING
    assert waiting.recipient == "maya.patel@example.net"


def test_erasing_the_person_forgets_their_old_address_too(maya, mailbox):
    email_change.request_email_change(maya, "maya.patel@example.net", NOW)
    email_change.confirm_email_change(change_link_sent_to(mailbox, "maya.patel@example.net"), NOW)
    assert mailbox.to("maya@example.org"), "the old address was told of the change"

    personal_data.erase_person(maya, NOW)
    db.session.commit()
    holding = db.session.scalars(
        db.select(Notification.key).where(Notification.recipient == "maya@example.org")
    ).all()
    assert holding == [], "the notice to the old address still names it"
