"""Ask for help and offer to help as people would: in a browser, on a phone, confirming by email."""

import json
from datetime import timedelta

import pytest

from tests.e2e.walk import Walk
from tests.factories import TODAY
from tests.web.journeys import link_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def walk(visitor, base_url, assert_accessible):
    return Walk(visitor, base_url, assert_accessible)


def ask_for_help(walk: Walk, postcode: str) -> None:
    walk.goto("/")
    walk.click("Ask for help", role="link")
    walk.click("Start now", role="button")
    walk.fill("Your name", "Maya Patel")
    walk.fill("Email address", "maya@example.org")
    walk.click("Continue")
    walk.fill("Name of your group or organisation", "Ladywood Food Bank")
    walk.tick("Charity")
    walk.click("Continue")
    walk.fill("What is your postcode?", postcode)
    walk.click("Continue")
    walk.tick("Facebook")
    walk.click("Continue")
    walk.tick("First steps")
    walk.click("Continue")
    walk.fill("What do you want to achieve?", "Start a Facebook page for our food bank.")
    walk.click("Continue")
    walk.tick("Up to 5 km")
    walk.click("Continue")
    walk.fill("The first date you could come", (TODAY + timedelta(days=3)).isoformat())
    walk.fill("The last date you could come", (TODAY + timedelta(days=40)).isoformat())
    walk.tick("Weekends")
    walk.click("Continue")
    walk.tick("Step-free access")
    walk.click("Continue")
    walk.tick("Yes, email me after the session to ask how I got on")
    walk.click("Continue")
    assert walk.heading() == "Check your answers before sending"
    walk.click("Send")
    assert walk.heading() == "Check your email"


def confirm_from_email(walk: Walk, mailbox, address: str) -> None:
    text = mailbox.text_of(mailbox.to(address)[-1])
    walk.goto(link_in(text, "/confirm/"))
    assert walk.heading() == "Confirm your email address"
    walk.click("Confirm my email address")
    assert "Thank you. Your email address is confirmed." in walk.page.content()


@pytest.mark.parametrize("postcode", ["b16 8ab", "B16"])
def test_a_group_asks_confirms_changes_downloads_withdraws_and_deletes(walk, mailbox, postcode):
    ask_for_help(walk, postcode)
    confirm_from_email(walk, mailbox, "maya@example.org")
    assert walk.heading() == "Your requests for help"
    assert "Looking for a volunteer and a session near you" in walk.page.content()

    walk.click("Change this request", role="link")
    walk.fill("What do you want to achieve?", "A Facebook page and a newsletter.")
    walk.click("Save changes")
    assert "Your request has been updated." in walk.page.content()
    assert "A Facebook page and a newsletter." in walk.page.content()

    with walk.page.expect_download() as download:
        walk.page.get_by_role("link", name="Download everything we hold about you").click()
    data = json.loads(open(download.value.path()).read())
    assert data["requests"][0]["goal"] == "A Facebook page and a newsletter."

    walk.click("Withdraw this request", role="link")
    walk.click("Yes, withdraw this request")
    assert "Withdrawn" in walk.page.content()

    walk.click("Delete everything we hold about you", role="link")
    walk.click("Yes, delete my details")
    assert walk.heading() == "Your details have been deleted"


def test_a_mistake_is_shown_at_the_top_and_beside_the_field(walk):
    walk.goto("/ask/postcode")
    walk.fill("What is your postcode?", "B15 9ZZ")
    walk.click("Continue")
    summary = walk.page.locator(".error-summary")
    assert "We couldn't find B15 9ZZ" in summary.inner_text()
    if walk.javascript:
        focused = walk.page.evaluate("document.activeElement.className")
        assert focused == "error-summary", "a screen reader hears the problem first"
    summary.get_by_role("link").click()
    assert walk.page.evaluate("document.activeElement.id") == "postcode"


def test_a_volunteer_offers_confirms_changes_pauses_and_deletes(walk, mailbox):
    walk.goto("/")
    walk.click("Volunteer", role="link")
    walk.click("Start now", role="button")
    walk.fill("Your name", "Sam Okafor")
    walk.fill("Email address", "sam@example.org")
    walk.click("Continue")
    walk.fill("What is your postcode?", "B15 2TT")
    walk.click("Continue")
    walk.tick("Blogging and websites")
    walk.click("Continue")
    walk.tick("Eye-opener")
    walk.tick("Planning")
    walk.click("Continue")
    walk.tick("Up to 10 km")
    walk.click("Continue")
    walk.tick("Weekday evenings, from 6pm")
    walk.click("Continue")
    walk.fill("Tell groups a little about yourself", "I build websites for charities.")
    walk.click("Continue")
    walk.click("Send")
    confirm_from_email(walk, mailbox, "sam@example.org")
    assert walk.heading() == "Your volunteering"

    walk.click("Change your details", role="link")
    walk.tick("Video")
    walk.click("Save changes")
    assert "Blogging and websites, Video" in walk.page.content()
    walk.click("Stop offering help for now", role="link")
    assert walk.heading() == "Stop offering help for now?"
    walk.click("Yes, stop offering help for now")
    assert "Not offering help at the moment" in walk.page.content()
    walk.click("Start offering help again")
    assert "Offering help" in walk.page.content()

    walk.click("Delete everything we hold about you", role="link")
    walk.click("Yes, delete my details")
    assert walk.heading() == "Your details have been deleted"
