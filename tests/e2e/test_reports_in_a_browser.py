"""The reports page in a browser: accessible, and readable on a 320 pixel wide phone."""

from pathlib import Path

import pytest

from surgery.services import accounts
from tests.factories import NOW, PASSWORD
from tests.report_world import build_world

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots/reports")


@pytest.fixture
def world(base_url):
    built = build_world()
    token = accounts.password_url(built.admin).rsplit("/", 1)[1]
    accounts.set_password(accounts.account_for_password_token(token), PASSWORD, NOW)
    return built


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/host/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("email", ["hana@example.org", "root@example.org"])
def test_the_reports_pass_axe_and_fit_a_320_pixel_screen(browser, base_url, world, email, axe):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, base_url, email)
    page.goto(base_url + "/host/reports")
    assert page.locator("h1").inner_text() == "Reports"
    page.get_by_text("What the columns mean").first.click()
    results = axe.run(page)
    problems = [violation["id"] for violation in results.response["violations"]]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{email.split('@')[0]}-320.png"), full_page=True)
    # The wide table scrolls inside its own region, which a keyboard can reach and scroll.
    region = page.get_by_role("region", name="Each session, earliest first")
    region.focus()
    page.keyboard.press("ArrowRight")
    scrolled = page.wait_for_function(
        "element => element.scrollLeft > 0", arg=region.element_handle(), timeout=3000
    ).json_value()
    context.close()
    assert not problems, problems
    assert overflow <= 0
    assert scrolled is True


def test_the_reports_page_at_desktop_width(page, base_url, world, assert_accessible):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base_url, "root@example.org")
    page.goto(base_url + "/host/reports")
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "admin-1280.png"), full_page=True)
    cells = page.locator("table.report").first.locator("tbody tr").count()
    assert cells == 4
