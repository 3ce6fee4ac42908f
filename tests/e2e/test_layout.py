"""The pages every journey passes: accessible, usable on a phone, fine without JavaScript."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PAGES = [
    "/",
    "/about",
    "/no-such-page",
    "/host/apply",
    "/host/sign-in",
    "/volunteer/lost-link",
    "/lost-link",
    "/privacy",
    "/accessibility",
    "/contact",
    "/sessions",
    "/sessions?postcode=B13&within_km=10",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations(page, base_url, assert_accessible, path):
    page.goto(base_url + path)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_320_pixel_screen_without_sideways_scrolling(browser, base_url, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(base_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0


def test_skip_link_is_the_first_thing_a_keyboard_reaches(page, base_url):
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_pages_work_without_javascript(page_without_javascript, base_url):
    page = page_without_javascript
    page.goto(base_url + "/")
    page.get_by_role("link", name="About this service").click()
    assert page.locator("h1").inner_text() == "About social media surgeries"


def test_about_page_is_reached_from_every_page_footer(page, base_url):
    page.goto(base_url + "/no-such-page")
    page.get_by_role("link", name="Where our place data comes from").click()
    # is_visible() does not wait: once the address was already /about#data before the page had
    # loaded, and the test failed. expect() waits for the page as a reader would.
    expect(page.get_by_text("Contains OS data © Crown copyright")).to_be_visible()
