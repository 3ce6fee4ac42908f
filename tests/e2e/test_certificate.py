"""A volunteer's certificate in a real browser: accessible, fits a phone, prints on one A4 page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from surgery.extensions import db
from surgery.models import Volunteer
from surgery.services.tokens import manage_token
from tests.services.test_recognition import (  # noqa: F401  (history is a fixture)
    a_session,
    a_volunteer,
    at_london,
    history,
    signed_up,
)

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots/cert")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def certificate_of(base_url: str, volunteer: Volunteer) -> str:
    return f"{base_url}/volunteer/manage/{manage_token(volunteer)}/certificate"


def pages_in(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_the_certificate_and_the_volunteers_page_have_no_accessibility_violations(
    page,
    base_url,
    history,  # noqa: F811
    assert_accessible,
):
    page.goto(certificate_of(base_url, history))
    assert page.locator("h1").inner_text() == "Certificate of volunteering"
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_role("heading", name="What you have given")).to_be_visible()
    assert_accessible(page)


def test_the_certificate_and_the_page_fit_a_320_pixel_screen_without_sideways_scrolling(
    browser,
    base_url,
    history,  # noqa: F811
):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    overflows = {}
    for name, path in (("certificate", "/certificate"), ("volunteer-page", "")):
        page.goto(certificate_of(base_url, history).removesuffix("/certificate") + path)
        overflows[name] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        shot(page, f"phone-320-{name}")
    context.close()
    assert overflows == {"certificate": 0, "volunteer-page": 0}


def test_printed_it_shows_only_the_certificate_on_one_a4_page(page, base_url, history):  # noqa: F811
    page.goto(certificate_of(base_url, history))
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".site-nav", ".back-link", ".certificate-tools"):
        assert not page.locator(hidden).is_visible(), f"{hidden} is printed"
    assert page.locator(".certificate").is_visible()
    shot(page, "print")
    assert pages_in(page.pdf(format="A4", print_background=True)) == 1


@pytest.mark.parametrize(
    ("more", "same_name", "lines"),
    [(24, False, 27), (57, True, 4)],
    ids=["27 sessions listed", "60 sessions said by name"],
)
def test_a_long_history_still_prints_on_one_page(
    page,
    base_url,
    history,  # noqa: F811
    more,
    same_name,
    lines,
):
    for weeks in range(6, 6 + more):
        title = "Moseley social media surgery" if same_name else f"Surgery {weeks} weeks ago"
        signed_up(history, a_session(title, at_london(-7 * weeks, 18), at_london(-7 * weeks, 20)))
    db.session.commit()
    page.goto(certificate_of(base_url, history))
    assert page.locator(".certificate__sessions li").count() == lines
    page.set_viewport_size({"width": 680, "height": 1009})  # an A4 sheet inside its margins
    page.emulate_media(media="print")
    shot(page, f"print-{3 + more}-sessions")
    assert pages_in(page.pdf(format="A4", print_background=True)) == 1


def test_the_print_button_comes_with_javascript_and_the_instructions_without(
    page,
    page_without_javascript,
    base_url,
    history,  # noqa: F811
):
    page.goto(certificate_of(base_url, history))
    assert page.get_by_role("button", name="Print or save as PDF").is_visible()
    page.set_viewport_size({"width": 1024, "height": 900})
    shot(page, "desktop")

    bare = page_without_javascript
    bare.goto(certificate_of(base_url, history))
    assert bare.get_by_role("button", name="Print or save as PDF").count() == 0
    assert bare.get_by_text("use your browser’s Print command").is_visible()


def test_before_the_first_session_the_certificate_page_says_when_it_comes(
    page, base_url, app, assert_accessible
):
    newcomer = a_volunteer("Nia Clarke")
    db.session.commit()
    page.goto(certificate_of(base_url, newcomer))
    assert page.locator("h1").inner_text() == "Your certificate of volunteering"
    assert page.get_by_text("Your certificate will be ready after your first session.").is_visible()
    assert_accessible(page)
