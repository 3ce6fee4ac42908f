"""The signed-in area: a host's and an admin's own links on every page, and pages whose ids are
each used once however many small forms they hold."""

from collections import Counter
from datetime import timedelta
from html.parser import HTMLParser

import pytest

from surgery import clock
from surgery.extensions import db
from surgery.models import Account, Notification, NotificationStatus, Pairing
from surgery.services import accounts, safeguarding
from surgery.vocabulary import AccessNeed
from surgery.web import navigation
from surgery.web.navigation import Audience, NavItem
from tests.factories import (
    NOW,
    PASSWORD,
    agreed_pairing_for,
    apply_to_host,
    approved_host,
    confirmed_request,
    published_session,
    volunteer_signed_up,
)
from tests.web.forms import csrf_token, submit

HOST_LINKS = [
    ("Your sessions", "/host/"),
    ("Reports", "/host/reports"),
    ("Where next", "/host/where-next"),
]
ADMIN_LINKS = HOST_LINKS + [
    ("Admin", "/admin/"),
    ("Failed emails", "/admin/failed-emails"),
    ("Personal data", "/admin/personal-data"),
]


class Page(HTMLParser):
    """What a test reads from a page: every id, and the links and buttons of the account's nav."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.current: list[str] = []  # labels of links marked aria-current="page"
        self.buttons: list[tuple[str, str]] = []  # (text, the form's action)
        self.in_nav = self.has_nav = False
        self.tag = self.href = self.action = None
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "nav" and attributes.get("aria-label") == "Your account":
            self.in_nav = self.has_nav = True
        if not self.in_nav:
            return
        if tag == "form":
            self.action = attributes.get("action")
        if tag in ("a", "button"):
            self.tag, self.href, self.text = tag, attributes.get("href"), ""
            if attributes.get("aria-current") == "page":
                self.current.append(None)

    def handle_data(self, data):
        if self.tag:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_nav = False
        if self.in_nav and tag == self.tag:
            label = " ".join(self.text.split())
            if tag == "a":
                self.links.append((label, self.href))
            else:
                self.buttons.append((label, self.action))
            if None in self.current:
                self.current[self.current.index(None)] = label
            self.tag = None

    def repeated_ids(self) -> dict[str, int]:
        return {name: count for name, count in Counter(self.ids).items() if count > 1}


def read(client, url: str) -> Page:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return Page(response.get_data(as_text=True))


def sign_in(client, email: str) -> None:
    response = submit(client, "/host/sign-in", {"email": email, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def network(app):
    return busy_network()


def busy_network() -> list[str]:
    """Hana's published session on its day: two volunteers, two groups paired and booked; two
    applications waiting; two safeguarding checks; two failed emails. Every page has many forms.
    Return the pages a host sees (the admin sees them too)."""
    hana = approved_host()
    admin = db.session.scalar(db.select(Account).where(Account.email == "root@example.org"))
    accounts.set_password(admin, PASSWORD, NOW)
    apply_to_host("ivy@example.org")
    apply_to_host("bo@example.org")
    surgery_session = published_session(hana, access=(AccessNeed.STEP_FREE,))
    for name in ("Sam Okafor", "Lucy Chen"):
        volunteer_signed_up(surgery_session, name=name)
        safeguarding.record_check(admin, f"{name.split()[0].lower()}@example.org", NOW)
    confirmed_request("lee@example.org", organisation_name="Moseley Bowls Club")
    agreed_pairing_for(hana, surgery_session)  # pairs and agrees both groups
    for key in ("test:one", "test:two"):
        db.session.add(failed_email(key))
    db.session.commit()
    clock.freeze(surgery_session.starts_at - timedelta(hours=2))  # the run sheet is open
    pairing = db.session.scalar(db.select(Pairing.id))
    session_url = f"/host/sessions/{surgery_session.id}"
    return [
        "/host/",
        "/host/sessions/new",
        session_url,
        f"{session_url}/edit",
        f"{session_url}/cancel",
        f"{session_url}/pairings/{pairing}/drop",
        "/",
        "/sessions",
    ]


def failed_email(key: str) -> Notification:
    return Notification(
        key=key,
        kind="new_manage_link",
        recipient="maya@example.org",
        subject="Your new private link",
        body_text="Hello.",
        body_html="<p>Hello.</p>",
        status=NotificationStatus.FAILED,
        attempts=8,
        last_error="SMTPRecipientsRefused 550",
        due_at=NOW,
    )


ADMIN_PAGES = ["/admin/", "/admin/failed-emails", "/admin/personal-data"]


def test_no_page_a_host_sees_repeats_an_id(client, network):
    sign_in(client, "hana@example.org")
    for url in network:
        page = read(client, url)
        assert page.repeated_ids() == {}, url


def test_no_page_an_admin_sees_repeats_an_id(client, network):
    sign_in(client, "root@example.org")
    for url in ADMIN_PAGES + network:
        page = read(client, url)
        assert page.repeated_ids() == {}, url
    token = csrf_token(client.get("/admin/personal-data").get_data(as_text=True))
    found = client.post(
        "/admin/personal-data", data={"csrf_token": token, "email": "maya@example.org"}
    )
    assert "Download everything" in found.get_data(as_text=True)
    assert Page(found.get_data(as_text=True)).repeated_ids() == {}


def test_a_host_has_their_links_and_sign_out_on_every_page(client, network):
    sign_in(client, "hana@example.org")
    for url in network:
        page = read(client, url)
        assert page.links == HOST_LINKS, url
        assert page.buttons == [("Sign out", "/host/sign-out")], url
    assert read(client, "/host/").current == ["Your sessions"]
    assert read(client, network[2]).current == []  # a session's page is none of the links


def test_an_admin_also_has_the_admin_pages_and_the_current_one_is_marked(client, network):
    sign_in(client, "root@example.org")
    for url in ADMIN_PAGES + network:
        page = read(client, url)
        assert page.links == ADMIN_LINKS, url
        assert page.buttons == [("Sign out", "/host/sign-out")], url
    assert read(client, "/admin/").current == ["Admin"]
    assert read(client, "/admin/failed-emails").current == ["Failed emails"]
    assert read(client, "/admin/personal-data").current == ["Personal data"]


def test_a_signed_out_visitor_has_no_account_links_and_the_footer_offers_signing_in(client, app):
    for url in ("/", "/sessions", "/host/sign-in", "/no-such-page"):
        response = client.get(url)
        page = Page(response.get_data(as_text=True))
        assert not page.has_nav and page.buttons == [], url
        assert "Hosts: sign in" in response.get_data(as_text=True), url


def test_a_signed_in_host_is_not_offered_signing_in(client, host):
    sign_in(client, "hana@example.org")
    for url in ("/", "/host/", "/no-such-page"):
        assert "Hosts: sign in" not in client.get(url).get_data(as_text=True), url


def test_sign_out_in_the_navigation_signs_out(client, host):
    sign_in(client, "hana@example.org")
    token = csrf_token(client.get("/").get_data(as_text=True))
    response = client.post("/host/sign-out", data={"csrf_token": token}, follow_redirects=True)
    assert "You have signed out." in response.get_data(as_text=True)
    assert not Page(response.get_data(as_text=True)).has_nav
    assert client.get("/host/").status_code == 302


def test_one_line_adds_a_link_for_those_who_may_see_it(client, host, monkeypatch):
    admin = db.session.scalar(db.select(Account).where(Account.email == "root@example.org"))
    accounts.set_password(admin, PASSWORD, NOW)
    added = (
        NavItem("About", "public.about", Audience.HOSTS),
        NavItem("Privacy", "public.privacy", Audience.ADMINS),
    )
    monkeypatch.setattr(navigation, "NAVIGATION", navigation.NAVIGATION + added)
    sign_in(client, "hana@example.org")
    assert read(client, "/about").links == HOST_LINKS + [("About", "/about")]
    assert read(client, "/about").current == ["About"]
    client.post("/host/sign-out", data={"csrf_token": csrf_token(client.get("/").text)})
    sign_in(client, "root@example.org")
    assert read(client, "/").links == ADMIN_LINKS + [("About", "/about"), ("Privacy", "/privacy")]


def test_every_link_in_the_list_leads_to_a_page(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {item.endpoint for item in navigation.NAVIGATION} <= endpoints
