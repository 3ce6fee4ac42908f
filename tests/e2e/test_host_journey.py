"""A host's whole journey in a browser, with the public, a group and a volunteer around it."""

from datetime import datetime, time, timedelta

import icalendar
import pytest

from surgery import clock
from surgery.clock import LONDON, utcnow
from surgery.extensions import db
from surgery.models import Volunteer
from surgery.services import accounts
from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.services.tokens import manage_token
from tests.e2e.walk import Walk
from tests.factories import PASSWORD, TODAY, contact, offer_details, request_details
from tests.web.journeys import link_in

pytestmark = pytest.mark.e2e


def sign_in(walk: Walk, email: str) -> None:
    walk.goto("/host/sign-in")
    walk.fill("Email address", email)
    walk.fill("Password", PASSWORD)
    walk.click("Sign in")


def test_apply_approve_run_a_session_and_sign_out(walk, browser, mailbox, base_url):
    admin_link = accounts.create_admin("root@example.org", "Ada Admin", utcnow())
    admin = accounts.account_for_password_token(admin_link.rsplit("/", 1)[1])
    accounts.set_password(admin, PASSWORD, utcnow())

    walk.goto("/host/apply")
    walk.fill("Your name", "Hana Ito")
    walk.fill("Email address", "hana@example.org")
    walk.fill("Which town or area would you host in?", "Moseley")
    walk.fill("Why would you like to host?", "I run the community hall.")
    walk.click("Send application")
    assert walk.heading() == "Application sent"

    sign_in(walk, "root@example.org")
    walk.goto("/admin/")
    walk.click("Approve Hana Ito")
    assert "You approved Hana Ito's application" in walk.page.content()
    walk.goto("/host/")
    walk.click("Sign out")

    set_password = link_in(
        mailbox.text_of(mailbox.to("hana@example.org")[-1]), "/host/set-password/"
    )
    walk.goto(set_password)
    walk.fill("New password", PASSWORD)
    walk.fill("Type the new password again", PASSWORD)
    walk.click("Set password")
    assert walk.heading() == "Your sessions", "setting the password signs Hana in"

    day = TODAY + timedelta(days=10)
    walk.click("Create a session", role="link")
    walk.fill("Title", "Moseley social media surgery")
    walk.fill("Venue", "Moseley Exchange")
    walk.fill("Venue address", "149-153 Alcester Road, Birmingham")
    walk.fill("Venue postcode", "B13 8JP")
    walk.fill("Date", day.isoformat())
    walk.fill("Start time (UK time)", "18:00")
    walk.fill("End time (UK time)", "20:00")
    walk.fill("Tables for groups", "4")
    walk.tick("Step-free access")
    walk.click("Save")
    walk.click("Publish")
    assert "The session is now published" in walk.page.content()
    session_path = walk.page.url.split(base_url)[1]

    public = browser.new_context().new_page()
    public.goto(f"{base_url}/sessions?postcode=B13+9AE&within_km=5")
    walk.check(public)
    public.get_by_role("link", name="Moseley social media surgery", exact=True).click()
    walk.check(public)
    with public.expect_download() as download:
        public.get_by_role("link", name="Add to calendar").click()
    calendar = icalendar.Calendar.from_ical(open(download.value.path(), "rb").read())
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART").hour == 18 and str(event["SUMMARY"]) == (
        "Moseley social media surgery"
    )

    help_request = submit_help_request(contact(), request_details(postcode="B13 9AE"), utcnow())
    confirm_help_request(help_request, utcnow())
    public.goto(f"{base_url}/manage/{manage_token(help_request.asker)}")
    public.get_by_role("link", name="Choose a session near you and book a place").click()
    walk.check(public)
    public.get_by_role("button", name="Book a place at Moseley social media surgery").click()
    assert "You have a place at Moseley social media surgery" in public.content()

    submit_volunteer_offer(
        contact(name="Sam Okafor", email="sam@example.org"), offer_details(), utcnow()
    )
    sam = confirm_volunteer(db.session.scalar(db.select(Volunteer)), utcnow())
    public.goto(f"{base_url}/volunteer/manage/{manage_token(sam)}/sessions")
    walk.check(public)
    public.get_by_role("button", name="Sign up to help at Moseley social media surgery").click()
    assert "You are signed up to help" in public.content()

    # Check-ins and walk-ins open on the day: an hour before the start, signed in afresh.
    clock.freeze(datetime.combine(day, time(17), LONDON))
    sign_in(walk, "hana@example.org")
    walk.goto(session_path)
    assert "Sam Okafor" in walk.page.content()
    walk.tick("Yes, they came")
    walk.page.get_by_role("group", name="What was covered?").get_by_label("Facebook").check()
    walk.click("Save for Ladywood Food Bank")
    assert "Saved for Ladywood Food Bank" in walk.page.content()
    walk.fill("Their name", "Ray")
    walk.fill("Their group", "Moseley Bowls Club")
    walk.page.get_by_role("group", name="What do they want help with?").get_by_label(
        "Instagram"
    ).check()
    walk.tick("Eye-opener")
    walk.click("Check them in")
    assert "Moseley Bowls Club is checked in" in walk.page.content()

    cookies = walk.page.context.cookies()
    walk.goto("/host/")
    walk.click("Sign out")
    copied = browser.new_context()
    copied.add_cookies(cookies)
    stale = copied.new_page()
    stale.goto(f"{base_url}/host/")
    assert "/host/sign-in" in stale.url, "a cookie copied before signing out no longer works"
