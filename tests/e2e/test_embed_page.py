"""The sessions list inside a partner's page, in a real browser: it shows in the frame, fits a
300 pixel column, passes axe-core, and its links take the whole window to our session page."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import approved_host, published_session

pytestmark = pytest.mark.e2e

FRAME_WIDTH = 300


def partner_page(framed_url: str) -> bytes:
    return f"""<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Whitmore Reans Community Library</title></head>
<body>
  <main>
    <h1>Whitmore Reans Community Library</h1>
    <iframe src="{framed_url}" title="Social media surgeries near B13"
      width="{FRAME_WIDTH}" height="480"></iframe>
  </main>
</body>
</html>""".encode()


@pytest.fixture
def partner_site():
    """A partner's website: another origin (its own port) whose page frames the address given.

    A real server on loopback, not a page the browser makes up (page.route): Chromium treats a
    made-up page as on the public internet and blocks its frames from reaching loopback."""
    framed = {}

    class PartnerPage(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(partner_page(framed["url"]))

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), PartnerPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def showing(url: str) -> str:
        framed["url"] = url
        return f"http://127.0.0.1:{server.server_port}/surgeries"

    yield showing
    server.shutdown()
    thread.join(timeout=5)


def test_the_list_shows_inside_a_partners_page_and_passes_axe(
    page, base_url, partner_site, assert_accessible
):
    surgery_session = published_session(approved_host())
    page.goto(partner_site(f"{base_url}/embed/sessions?postcode=B13&within_km=10"))
    frame = page.frame_locator("iframe")
    heading = frame.get_by_role("heading", level=1)
    assert heading.inner_text() == "Social media surgeries near B13"
    assert frame.get_by_role("link", name=surgery_session.title).is_visible()
    assert frame.get_by_text("6 of 6 tables free").is_visible()

    inside = page.frame(url=lambda url: "/embed/sessions" in url)
    assert inside.evaluate("window.innerWidth") == FRAME_WIDTH
    assert inside.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(inside)


def test_a_session_link_opens_in_the_whole_window(page, base_url, partner_site):
    surgery_session = published_session(approved_host())
    page.goto(partner_site(f"{base_url}/embed/sessions?postcode=B13"))
    page.frame_locator("iframe").get_by_role("link", name=surgery_session.title).click()
    page.wait_for_url(f"{base_url}/sessions/{surgery_session.id}")
    assert page.locator("h1").inner_text() == surgery_session.title


@pytest.mark.parametrize("path", ["/", "/sessions?postcode=B13", "/embed"])
def test_the_browser_refuses_to_frame_any_other_page(page, base_url, partner_site, path):
    with page.expect_response(base_url + path) as answered:
        page.goto(partner_site(base_url + path))
    assert answered.value.status == 200, "our page answered; the browser would not show it"
    framed = page.frames[1]
    assert framed.url != base_url + path
    assert framed.evaluate("document.querySelector('main h1')") is None


def test_the_page_for_partners_passes_axe_and_fits_a_phone(browser, base_url, assert_accessible):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(base_url + "/embed")
    assert page.locator("h1").inner_text() == "Show our sessions on your website"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page)
    context.close()
