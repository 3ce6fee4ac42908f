"""Where next in a real browser on a 320 px phone: the table, the chart and an invitation, each
page checked by axe-core and kept as a screenshot in /tmp/shots/where/ to look at."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.e2e.walk import Walk
from tests.web.test_where_next_pages import invitations, world

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots/where")


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def sideways_scroll(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_a_host_sees_where_next_and_invites_a_volunteer_on_a_small_phone(
    phone, base_url, assert_accessible, mailbox
):
    world()
    walk = Walk(SimpleNamespace(page=phone, javascript=True), base_url, assert_accessible)
    SHOTS.mkdir(parents=True, exist_ok=True)
    walk.goto("/host/sign-in")
    walk.fill("Email address", "hana@example.org")
    walk.fill("Password", "correct horse battery staple")
    walk.click("Sign in")

    walk.goto("/host/where-next")
    assert walk.heading() == "Where next"
    assert sideways_scroll(phone) == 0
    chart = phone.locator("figure.chart svg")
    assert chart.get_attribute("role") == "img"
    assert chart.bounding_box()["width"] <= 320
    phone.screenshot(path=SHOTS / "where-next-320.png", full_page=True)

    walk.click("Invite")  # nothing chosen: the error summary, checked by axe-core too
    assert "Choose at least one volunteer to invite" in phone.locator(".error-summary").inner_text()
    phone.screenshot(path=SHOTS / "nothing-chosen-320.png", full_page=True)

    walk.tick("Priya")
    walk.tick("Moseley social media surgery")
    walk.click("Invite")
    assert "Invited Priya to Moseley social media surgery" in phone.content()
    assert sideways_scroll(phone) == 0
    phone.screenshot(path=SHOTS / "invited-320.png", full_page=True)
    assert [n.recipient for n in invitations()] == ["priya@example.org"]
    invited = [m for m in mailbox.to("priya@example.org") if m["Subject"].startswith("Could")]
    assert [m["Subject"] for m in invited] == ["Could you help at Moseley social media surgery?"]


def test_inviting_works_without_javascript(page_without_javascript, base_url, assert_accessible):
    world()
    phone = page_without_javascript
    walk = Walk(SimpleNamespace(page=phone, javascript=False), base_url, assert_accessible)
    walk.goto("/host/sign-in")
    walk.fill("Email address", "hana@example.org")
    walk.fill("Password", "correct horse battery staple")
    walk.click("Sign in")
    walk.goto("/host/where-next?district=WV1")
    walk.tick("Lee")
    walk.tick("Moseley social media surgery")
    walk.click("Invite")
    assert "Not invited (the session is further than they travel): Lee." in phone.content()
    assert invitations() == []
