"""A real headless Chromium against the app served on a free loopback port."""

import shutil
import threading
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from tests.e2e.walk import Walk

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's services, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def live_server(migrated_app):
    """Serve the app on 127.0.0.1 with a free port for the whole run; yield its base URL."""
    server = make_server("127.0.0.1", 0, migrated_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    # Links in the emails the tests receive must lead back to this server.
    migrated_app.config["PUBLIC_BASE_URL"] = url
    yield url
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def base_url(live_server, app):
    """The live server's URL, with the database emptied after the test like any other."""
    return live_server


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        # A hung page should fail its test quickly rather than stall the run.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser context at a phone's width, so every journey is tried on a small screen."""
    context = browser.new_context(viewport={"width": 375, "height": 740})
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_javascript(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    yield context.new_page()
    context.close()


@dataclass
class Visitor:
    page: Page
    javascript: bool


@pytest.fixture(params=["with JavaScript", "without JavaScript"])
def visitor(request, browser):
    """A phone-sized browser, with JavaScript and without: every journey must work both ways."""
    javascript = request.param == "with JavaScript"
    phone = {"width": 375, "height": 740}
    context = browser.new_context(java_script_enabled=javascript, viewport=phone)
    context.set_default_timeout(10_000)
    yield Visitor(context.new_page(), javascript)
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the page as it is now and fail naming each rule and element broken."""

    def check(page) -> None:
        results = axe.run(page)
        problems = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — "
            + ", ".join(" ".join(node["target"]) for node in violation["nodes"])
            for violation in results.response["violations"]
        ]
        assert not problems, f"axe-core on {page.url}:\n" + "\n".join(problems)

    return check


@pytest.fixture
def walk(page, base_url, assert_accessible):
    """A person at phone width with JavaScript on (a journey module may define its own)."""
    return Walk(SimpleNamespace(page=page, javascript=True), base_url, assert_accessible)
