"""Applying to host, setting a password and landing after signing in, as a new host or admin
meets them: what each email and page says next, and where each leads."""

import re

import pytest

from surgery.extensions import db
from surgery.models import Account, AuditEvent
from surgery.services import accounts
from tests.factories import NOW, PASSWORD, approved_host, published_session
from tests.web.forms import csrf_token, submit

APPLICATION = {"name": "Hana Ito", "email": "hana@example.org", "town": "Moseley", "why": "Hall."}


def heading_and_title(page: str) -> tuple[str, str]:
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).split(" – ")[0].strip()
    return heading, title


def sign_in(client, email: str):
    return submit(client, "/host/sign-in", {"email": email, "password": PASSWORD})


@pytest.fixture
def admin(host) -> Account:
    """Ada, the admin who approved Hana the host, with the tests' password."""
    return with_password(db.session.scalar(db.select(Account).where(Account.role == "admin")))


def with_password(account: Account) -> Account:
    accounts.set_password(account, PASSWORD, NOW)
    return account


def test_an_applicant_is_emailed_that_their_application_arrived(client, mailbox):
    page = submit(client, "/host/apply", APPLICATION).get_data(as_text=True)

    assert "hana@example.org" in page, "the page says where the acknowledgement went"
    (message,) = mailbox.to("hana@example.org")
    text = mailbox.text_of(message)
    assert "We have your application to host surgeries in Moseley" in text
    assert "An admin will read it" in text
    assert "\n--\n\n" not in text


def test_applying_again_is_told_by_email_where_the_first_application_stands(client, mailbox):
    submit(client, "/host/apply", APPLICATION)
    submit(client, "/host/apply", APPLICATION | {"town": "Elsewhere"})
    submit(client, "/host/apply", APPLICATION)

    first, again = mailbox.to("hana@example.org")
    assert "We have your application to host surgeries in Moseley" in mailbox.text_of(first)
    text = mailbox.text_of(again)
    assert "You have already applied to host" in text and "An admin will read it" in text
    assert "Elsewhere" not in text, "nothing of the second application is kept"


def test_an_approved_host_applying_again_is_sent_the_way_to_sign_in(client, host, mailbox):
    submit(client, "/host/apply", APPLICATION)
    text = mailbox.text_of(mailbox.to("hana@example.org")[-1])
    assert "You can already host" in text
    assert re.search(r"^https?://\S+/host/sign-in$", text, re.M)


def test_the_approval_email_links_to_signing_in_and_has_no_empty_footer(mailbox, password_link):
    text = mailbox.text_of(mailbox.to("hana@example.org")[-1])
    assert "You can now host" in mailbox.to("hana@example.org")[-1]["Subject"]
    assert re.search(r"^https?://\S+/host/sign-in$", text, re.M), "a link to sign in"
    assert "\n--\n\n" not in text and "\n--\nSocial Media Surgery" in text
    html = mailbox.html_of(mailbox.to("hana@example.org")[-1])
    assert "/host/sign-in" in html


def test_setting_a_password_signs_the_host_in_at_once(client, password_link):
    with client.session_transaction() as browser_session:
        browser_session["left-over"] = "from before"
    response = submit(client, password_link, {"password": PASSWORD, "confirm": PASSWORD})

    assert response.headers["Location"] == "/host/"
    page = client.get("/host/").get_data(as_text=True)
    assert "Your password is set and you are signed in" in page
    assert heading_and_title(page) == ("Your sessions", "Your sessions")
    host = db.session.scalar(db.select(Account).where(Account.email == "hana@example.org"))
    with client.session_transaction() as browser_session:
        assert "left-over" not in browser_session, "a fresh session"
        assert browser_session["_user_id"] == f"{host.id}.{host.session_version}"
        assert browser_session["signed_in_at"] == NOW.timestamp()
    actions = list(db.session.scalars(db.select(AuditEvent.action)))
    assert "set-password" in actions


def test_a_used_set_password_link_says_so_and_leads_to_signing_in(client, password_link):
    submit(client, password_link, {"password": PASSWORD, "confirm": PASSWORD})
    client.post("/host/sign-out", data={"csrf_token": token_from(client)})

    used = client.get(password_link)
    page = used.get_data(as_text=True)
    assert used.status_code == 410
    assert "This link has already been used" in page
    assert 'href="/host/sign-in"' in page


def token_from(client) -> str:
    return csrf_token(client.get("/host/").get_data(as_text=True))


def test_a_made_up_set_password_link_still_finds_nothing(client, password_link):
    assert client.get(password_link[:-3] + "xyz").status_code == 404


def test_the_sign_in_form_has_no_hint_about_emails(client):
    page = client.get("/host/sign-in").get_data(as_text=True)
    assert "We will only use it to send you emails about this." not in page
    assert 'aria-describedby="email-hint"' not in page


def test_a_hosts_page_is_called_your_sessions_in_its_title_and_heading(client, host):
    sign_in(client, "hana@example.org")
    page = client.get("/host/").get_data(as_text=True)
    assert heading_and_title(page) == ("Your sessions", "Your sessions")


def test_an_admin_lands_on_the_admin_page_without_other_hosts_sessions(client, host, admin):
    published_session(host)
    response = sign_in(client, "root@example.org")

    assert response.headers["Location"] == "/admin/"
    page = client.get("/admin/").get_data(as_text=True)
    assert "<h2>Your sessions</h2>" not in page and "Moseley social media surgery" not in page
    mine = client.get("/host/").get_data(as_text=True)
    assert heading_and_title(mine) == ("Your sessions", "Your sessions")
    assert "You host no sessions yet" in mine
    assert "Other hosts' sessions" in mine and "Moseley social media surgery" in mine


def test_an_admin_who_hosts_sees_their_sessions_on_the_admin_page(client, host, admin):
    published_session(admin, title="Kings Heath surgery")
    published_session(host)
    sign_in(client, "root@example.org")

    page = client.get("/admin/").get_data(as_text=True)
    assert "<h2>Your sessions</h2>" in page
    assert "Kings Heath surgery" in page and "Moseley social media surgery" not in page


def test_an_admin_with_next_goes_where_they_were_going(client, admin):
    response = submit(
        client,
        "/host/sign-in?next=/host/reports",
        {"email": "root@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/host/reports"


def test_the_admin_page_says_mail_that_is_sent_is_due(client, admin):
    sign_in(client, "root@example.org")
    page = client.get("/admin/").get_data(as_text=True)
    assert "due to go now" in page and "kept here, not sent" not in page


def test_in_development_the_admin_page_says_mail_is_kept_and_where_to_read_it(development):
    approved_host()  # the emails about Hana's application are kept, never sent
    with_password(db.session.scalar(db.select(Account).where(Account.role == "admin")))
    client = development.test_client()
    sign_in(client, "root@example.org")
    page = client.get("/admin/").get_data(as_text=True)
    assert "kept here, not sent" in page
    assert 'href="/dev/mail"' in page
    assert "due to go now" not in page
