"""Choosing a password that is hard to guess, and signing in by the link a paused owner is sent."""

import html

import pytest

from surgery.extensions import db
from surgery.models import Account
from surgery.notify import outbox
from surgery.services import accounts
from tests.factories import NOW, PASSWORD, approved_host
from tests.web.forms import submit
from tests.web.journeys import link_in


def sign_in(client, password: str):
    return submit(client, "/host/sign-in", {"email": "hana@example.org", "password": password})


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaaaa", 'Repeats like "aaa" are easy to guess.'),
        ("password1234", "This is a very common password."),
        ("qwertyuiop12", "This is similar to a commonly used password."),
        ("hana@example.org", "Choose a stronger password"),
        ("Hana Ito 1234", "Choose a stronger password"),
    ],
)
def test_a_guessable_password_is_refused_saying_why(client, password_link, password, why):
    page = submit(client, password_link, {"password": password, "confirm": password})

    assert page.status_code == 200
    assert why in html.unescape(page.get_data(as_text=True))
    assert db.session.scalar(db.select(Account.password_hash).where(Account.role == "host")) is None


def test_a_strong_password_is_set(client, password_link):
    page = submit(client, password_link, {"password": PASSWORD, "confirm": PASSWORD})
    assert page.status_code == 302
    assert db.session.scalar(db.select(Account.password_hash).where(Account.role == "host"))


def test_a_paused_owner_signs_in_once_with_the_emailed_link(client, mailbox):
    approved_host()
    for _ in range(accounts.FREE_ATTEMPTS + 1):
        sign_in(client, "wrong guess")
    paused = sign_in(client, PASSWORD).get_data(as_text=True)
    assert "we pause signing in for a few minutes" in paused, "even the right password waits"
    outbox.deliver_due(NOW)

    (message,) = [m for m in mailbox.to("hana@example.org") if "wrong password" in m["Subject"]]
    path = link_in(mailbox.text_of(message), "/host/sign-in/")
    assert client.get(path).status_code == 200, "opening the link signs nobody in"
    signed_in = submit(client, path, follow=True).get_data(as_text=True)
    assert "<h1>Your sessions</h1>" in signed_in

    assert client.get(path).status_code == 404, "a used link is gone"
