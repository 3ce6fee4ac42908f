"""The pages a public service owes its users: privacy, accessibility and how to contact us,
linked from the foot of every page."""

import re

import pytest

from surgery import create_app
from surgery.services.personal_data import UNCONFIRMED_LIFETIME

FOOTER_LINKS = {
    "/privacy": "Privacy",
    "/accessibility": "Accessibility",
    "/contact": "Contact us",
}


def footer_of(page: str) -> str:
    return page.split('<footer class="site-footer">', 1)[1]


def main_of(page: str) -> str:
    return page.split('<footer class="site-footer">', 1)[0]


@pytest.mark.parametrize("path", ["/", "/ask", "/volunteer/offer", "/find", "/host/sign-in"])
def test_every_page_links_to_privacy_accessibility_and_contact_in_its_footer(client, path):
    footer = footer_of(client.get(path).get_data(as_text=True))
    for href, words in FOOTER_LINKS.items():
        assert f'<a href="{href}">{words}</a>' in footer, (path, href)


def test_even_the_not_found_page_carries_the_footer_links(client):
    footer = footer_of(client.get("/no-such-page").get_data(as_text=True))
    assert all(f'href="{href}"' in footer for href in FOOTER_LINKS)


@pytest.mark.parametrize(
    "path,heading",
    [
        ("/privacy", "<h1>How we use your information</h1>"),
        ("/accessibility", "<h1>Accessibility statement</h1>"),
        ("/contact", "<h1>Contact us</h1>"),
    ],
)
def test_each_page_answers_with_its_heading_and_no_inline_code(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert heading in page
    # A strict Content-Security-Policy refuses inline scripts and styles.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert " style=" not in page and "<style" not in page


def test_the_privacy_notice_says_how_long_each_thing_is_kept(client, app):
    page = main_of(client.get("/privacy").get_data(as_text=True))
    assert f"{UNCONFIRMED_LIFETIME.days} days" in page
    assert f"{app.config['RETENTION_MONTHS']} months" in page
    for what in ("your name", "email address", "phone number", "postcode", "organisation"):
        assert what in page, what
    assert 'href="/contact"' in page and "Delete everything we hold about you" in page
    assert f'href="mailto:{app.config["CONTACT_EMAIL"]}"' in page


def test_the_privacy_notice_follows_the_retention_setting(migrated_app, app):
    other = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=migrated_app.config["SQLALCHEMY_DATABASE_URI"],
        RETENTION_MONTHS=36,
    )
    assert "36 months" in other.test_client().get("/privacy").get_data(as_text=True)


def test_the_contact_page_gives_the_configured_addresses(migrated_app, app):
    other = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=migrated_app.config["SQLALCHEMY_DATABASE_URI"],
        CONTACT_EMAIL="help@surgery.example.org",
        SECURITY_EMAIL="security@surgery.example.org",
    )
    page = other.test_client().get("/contact").get_data(as_text=True)
    assert 'href="mailto:help@surgery.example.org"' in page
    assert 'href="mailto:security@surgery.example.org"' in page
    privacy = other.test_client().get("/privacy").get_data(as_text=True)
    assert 'href="mailto:help@surgery.example.org"' in privacy


def test_security_reports_go_to_the_contact_address_unless_another_is_set(client, app):
    page = client.get("/contact").get_data(as_text=True)
    address = app.config["CONTACT_EMAIL"]
    assert address and app.config["SECURITY_EMAIL"] in (None, "", address)
    assert page.count(f'href="mailto:{address}"') == 2


def test_the_accessibility_statement_says_how_to_report_a_problem(client, app):
    page = main_of(client.get("/accessibility").get_data(as_text=True))
    assert "WCAG 2.2" in page
    assert f'href="mailto:{app.config["CONTACT_EMAIL"]}"' in page
    assert "Equality Advisory and Support Service" in page
