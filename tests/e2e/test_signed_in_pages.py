"""Every page a signed-in host or admin reaches, in a browser on a 320 px wide phone: accessible
(axe-core), no sideways scrolling, and HTML the Nu HTML Checker finds no error in."""

import json
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.factories import PASSWORD
from tests.web.test_navigation import busy_network

pytestmark = pytest.mark.e2e

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules/vnu-jar/build/dist/vnu.jar"
PHONE = {"width": 320, "height": 640}
# What hosts and admins read to decide: the reports and where to hold sessions next.
REPORTS = ("/host/reports", "/host/where-next")


class SignedIn:
    """A host or an admin in a 320 px wide browser, keeping the HTML of every page they reach."""

    def __init__(self, browser, base_url: str, email: str, assert_accessible):
        self.context = browser.new_context(viewport=PHONE)
        self.context.set_default_timeout(10_000)
        self.page: Page = self.context.new_page()
        self.base_url, self.assert_accessible = base_url, assert_accessible
        self.pages: dict[str, str] = {}  # what each page was called: its HTML, as served
        self.goto("/host/sign-in", check=False)
        self.page.get_by_label("Email address", exact=True).fill(email)
        self.page.get_by_label("Password", exact=True).fill(PASSWORD)
        self.click("Sign in", "signed in")

    def goto(self, path: str, check: bool = True) -> None:
        response = self.page.goto(self.base_url + path)
        assert response.status == 200, f"{path} answered {response.status}"
        if check:
            self.arrived(path, response.text())

    def click(self, name: str, called: str, role: str = "button") -> None:
        """Press a button or follow a link that loads a page, and check the page it loads."""
        with self.page.expect_navigation() as navigation:
            self.page.get_by_role(role, name=name, exact=True).first.click()
        self.arrived(called, navigation.value.text())

    def arrived(self, called: str, html: str) -> None:
        self.assert_accessible(self.page)
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{called} scrolls sideways by {overflow} px at 320 px"
        self.pages[called] = html


def nu_html_checker_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """Run the Nu HTML Checker once over every page; return its errors, each naming its page."""
    assert VNU_JAR.exists(), f"{VNU_JAR} is missing: `make html-checker` installs it"
    names = {}
    for number, (called, html) in enumerate(pages.items()):
        path = folder / f"page-{number}.html"
        path.write_text(html)
        names[path.resolve().as_uri().replace("file:///", "file:/")] = called
    checked = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(checked.stderr)["messages"]
    return [
        f"{names.get(message.get('url'), message.get('url'))}, line {message.get('lastLine')}: "
        f"{message['message']}"
        for message in messages
    ]


@pytest.fixture
def network(base_url):
    return busy_network()


def test_signed_in_pages_are_accessible_fit_a_phone_and_are_valid_html(
    browser, base_url, network, assert_accessible, tmp_path
):
    host = SignedIn(browser, base_url, "hana@example.org", assert_accessible)
    for path in (*network, *REPORTS):
        host.goto(path)
    host.goto("/host/sessions/new")
    host.click("Save", "a session form with mistakes")
    host.goto(network[2])  # the session's page, on its day
    host.click("Check them in", "a walk-in with mistakes")
    assert host.page.get_by_role("heading", name="There is a problem").count() == 1
    host.context.close()

    admin = SignedIn(browser, base_url, "root@example.org", assert_accessible)
    for path in ("/admin/", "/admin/failed-emails", "/admin/personal-data", *network, *REPORTS):
        admin.goto(path)
    admin.goto("/admin/personal-data")
    admin.page.get_by_label("Find what we hold about an email address").fill("maya@example.org")
    admin.click("Find", "what we hold about an address")
    admin.click("Erase everything about this address", "are you sure you want to erase")
    admin.context.close()

    # Signed in, the network's pages, the reports, two forms sent with mistakes; the admin's
    # three pages, and the found and "are you sure?" pages of personal data.
    assert (len(host.pages), len(admin.pages)) == (
        1 + len(network) + len(REPORTS) + 2,
        1 + len(network) + len(REPORTS) + 5,
    )
    pages = {f"host: {called}": html for called, html in host.pages.items()}
    pages |= {f"admin: {called}": html for called, html in admin.pages.items()}
    assert nu_html_checker_errors(pages, tmp_path) == []


def test_the_account_links_are_on_every_page_and_mark_the_current_one(
    browser, base_url, network, assert_accessible
):
    admin = SignedIn(browser, base_url, "root@example.org", assert_accessible)
    admin.goto("/admin/failed-emails")
    links = admin.page.get_by_role("navigation", name="Your account").get_by_role("link")
    assert links.all_inner_texts() == [
        "Your sessions",
        "Reports",
        "Where next",
        "Admin",
        "Failed emails",
        "Personal data",
    ]
    current = admin.page.locator('[aria-current="page"]')
    assert current.all_inner_texts() == ["Failed emails"]
    admin.click("Personal data", "personal data", role="link")
    assert admin.page.locator("h1").inner_text() == "Find what we hold about an email address"
    admin.goto("/")
    assert "Hosts: sign in" not in admin.page.inner_text("footer")
    admin.click("Sign out", "signed out")
    assert "You have signed out." in admin.page.content()
    assert "Hosts: sign in" in admin.page.inner_text("footer")
    assert admin.page.get_by_role("navigation", name="Your account").count() == 0
    admin.context.close()


def test_the_session_forms_time_fields_look_like_its_other_fields(
    browser, base_url, network, assert_accessible
):
    host = SignedIn(browser, base_url, "hana@example.org", assert_accessible)
    host.goto("/host/sessions/new")
    style = """element => {
        const seen = getComputedStyle(element);
        return [seen.fontSize, seen.fontFamily, seen.borderTopWidth, seen.paddingLeft];
    }"""
    title = host.page.get_by_label("Title", exact=True)
    for label in ("Start time (UK time)", "End time (UK time)"):
        time = host.page.get_by_label(label, exact=True)
        assert time.evaluate(style) == title.evaluate(style), label
        # As tall as a text box, give or take the browser's clock icon; wide enough for 18:00.
        assert abs(time.bounding_box()["height"] - title.bounding_box()["height"]) <= 3, label
        assert 150 <= time.bounding_box()["width"] < title.bounding_box()["width"], label
    host.context.close()


def test_the_audit_log_fits_a_320_pixel_screen(browser, base_url, network, assert_accessible):
    admin = SignedIn(browser, base_url, "root@example.org", assert_accessible)
    admin.goto("/admin/")
    audit = admin.page.locator("table").filter(has_text="account:")
    assert audit.count() == 1
    box = audit.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert admin.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    admin.context.close()


def test_the_account_links_and_signing_out_work_without_javascript(browser, base_url, network):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(base_url + "/host/sign-in")
    page.get_by_label("Email address", exact=True).fill("hana@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.goto(base_url + "/about")
    account = page.get_by_role("navigation", name="Your account")
    account.get_by_role("link", name="Your sessions", exact=True).click()
    page.wait_for_url(base_url + "/host/")
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url(base_url + "/host/sign-in")
    assert "You have signed out." in page.content()
    context.close()
