"""A group changes its email address and gets its lost link again, in a browser on a phone."""

import pytest

from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.tokens import manage_url
from tests.factories import NOW, contact, request_details
from tests.web.journeys import link_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def maya(base_url, mailbox):
    asker = confirm_help_request(submit_help_request(contact(), request_details(), NOW), NOW)
    mailbox.received.clear()
    return manage_url(asker)


def test_a_group_changes_its_email_address(walk, mailbox, maya):
    walk.goto(maya)
    walk.click("Change your email address", role="link")
    assert walk.heading() == "Change your email address"
    walk.fill("Your new email address", "maya.patel@example.net")
    walk.click("Send the link")
    assert walk.heading() == "Check your new email address"

    walk.goto(link_in(mailbox.text_of(mailbox.to("maya.patel@example.net")[-1]), "/change-email/"))
    assert walk.heading() == "Confirm your new email address"
    walk.click("Use this email address")
    assert walk.heading() == "Your requests for help"
    assert "Your email address is now maya.patel@example.net" in walk.page.content()


def test_a_group_gets_its_lost_link_from_the_footer(walk, mailbox, maya):
    walk.goto("/")
    walk.click("Contact us", role="link")
    walk.click("Get it again by email", role="link")
    walk.fill("Email address", "maya@example.org")
    walk.click("Send me the link")
    assert walk.heading() == "Check your email"
    walk.goto(link_in(mailbox.text_of(mailbox.to("maya@example.org")[-1]), "/manage/"))
    assert walk.heading() == "Your requests for help"
