"""A group asks; a host runs the matcher, swaps, locks and drops; the group sees each step."""

from datetime import time, timedelta
from types import SimpleNamespace

import pytest

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Volunteer
from surgery.services import sessions, signups
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.vocabulary import AccessNeed, Level
from tests.e2e.test_host_journey import sign_in
from tests.e2e.test_intake_journeys import ask_for_help, confirm_from_email
from tests.e2e.walk import Walk
from tests.factories import TODAY, approved_host, contact, offer_details, session_details
from tests.web.journeys import link_in

pytestmark = pytest.mark.e2e


def saturday_session_with_two_volunteers():
    """A Saturday morning session near Ladywood, with step-free access and two volunteers."""
    host = approved_host()
    day = TODAY + timedelta(days=7)
    day += timedelta(days=(5 - day.weekday()) % 7)
    details = session_details(
        title="Edgbaston social media surgery",
        postcode="B15 2TT",
        day=day,
        starts=time(10, 0),
        ends=time(12, 0),
        access=(AccessNeed.STEP_FREE,),
    )
    surgery_session = sessions.create_session(host, details, utcnow())
    sessions.move_session(host, surgery_session, "publish", utcnow())
    for name in ("Sam Okafor", "Lucy Chen"):
        email = f"{name.split()[0].lower()}@example.org"
        offer = offer_details(levels=(Level.FIRST_STEPS,))
        submit_volunteer_offer(contact(name=name, email=email), offer, utcnow())
        volunteer = db.session.scalar(db.select(Volunteer).where(Volunteer.email == email))
        signups.sign_up(confirm_volunteer(volunteer, utcnow()), surgery_session, 1, utcnow())
    return surgery_session


def pairing_card(host_page) -> str:
    return " ".join(host_page.locator("#pairings ~ ul li").first.inner_text().split())


def test_a_host_reviews_the_matchers_pairing_and_the_group_sees_its_volunteer(
    walk, browser, base_url, mailbox
):
    ask_for_help(walk, "B16 8AB")
    confirm_from_email(walk, mailbox, "maya@example.org")
    group_page = walk.page.url
    surgery_session = saturday_session_with_two_volunteers()

    host = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    host_walk = Walk(SimpleNamespace(page=host, javascript=True), base_url, walk.check)
    sign_in(host_walk, "hana@example.org")
    host_walk.goto(f"/host/sessions/{surgery_session.id}")
    host_walk.click("Run the matcher for this session now")
    assert "The matcher proposed 1 pairing for this session." in host.content()
    assert "Ladywood Food Bank with Sam Okafor" in pairing_card(host)
    assert not mailbox.to("maya@example.org")[1:], "a proposal is not sent to the group"

    host.get_by_label("Swap volunteer for Ladywood Food Bank").select_option(label="Lucy Chen")
    host_walk.click("Swap")
    assert "Volunteer swapped." in host.content()
    assert "Ladywood Food Bank with Lucy Chen" in pairing_card(host)

    host_walk.click("Lock Ladywood Food Bank")
    assert "Pairing locked: the matcher will keep it." in host.content()
    email = mailbox.to("maya@example.org")[-1]
    assert email["Subject"] == "Your place at Edgbaston social media surgery"
    assert "Your volunteer: Lucy" in mailbox.text_of(email)

    walk.goto(link_in(mailbox.text_of(email), "/manage/"))
    assert "You have a place at" in walk.page.content()
    assert "Your volunteer is Lucy" in walk.page.locator("main").inner_text()

    host_walk.goto(f"/host/sessions/{surgery_session.id}")
    host_walk.click("Drop Ladywood Food Bank", role="link")
    assert "May the matcher propose Ladywood Food Bank at this session again" in host.content()
    host_walk.click("Yes, drop this pairing")
    assert "Pairing dropped. The group can be paired again at another session." in host.content()
    walk.goto(group_page)
    assert "Looking for a volunteer and a session near you" in walk.page.content()
    assert "You have a place" not in walk.page.content(), "the table the pairing gave is freed"
