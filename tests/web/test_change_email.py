"""Changing the email address from a private page, confirmed by a link sent to the new one."""

import pytest

from surgery.extensions import db
from surgery.models import Asker, Volunteer
from tests.web.forms import submit
from tests.web.journeys import ask_answers, link_in, offer_answers, walk


@pytest.fixture
def asked(client, mailbox):
    walk(client, "/ask", ask_answers())
    manage = link_in(mailbox.text_of(mailbox.to("maya@example.org")[-1]), "/manage/")
    mailbox.received.clear()
    return manage


@pytest.fixture
def offered(client, mailbox):
    walk(client, "/volunteer/offer", offer_answers())
    manage = link_in(mailbox.text_of(mailbox.to("sam@example.org")[-1]), "/volunteer/manage/")
    mailbox.received.clear()
    return manage


def stored_email(model) -> str:
    db.session.expire_all()
    return db.session.scalar(db.select(model.email))


def test_a_group_changes_its_address_from_its_private_page(client, mailbox, asked):
    assert f'href="{asked}/email"' in client.get(asked).get_data(as_text=True)
    sent = submit(client, f"{asked}/email", {"email": "maya.patel@example.net"})
    assert "We have sent a link to maya.patel@example.net" in sent.get_data(as_text=True)
    assert stored_email(Asker) == "maya@example.org"

    link = link_in(mailbox.text_of(mailbox.to("maya.patel@example.net")[-1]), "/change-email/")
    opened = client.get(link).get_data(as_text=True)
    assert "maya.patel@example.net" in opened and stored_email(Asker) == "maya@example.org"

    done = submit(client, link, follow=True).get_data(as_text=True)
    assert "Your email address is now maya.patel@example.net" in done
    assert "Your requests for help" in done
    assert stored_email(Asker) == "maya.patel@example.net"
    assert "changed" in mailbox.to("maya@example.org")[-1]["Subject"]


def test_a_volunteer_changes_their_address_from_their_private_page(client, mailbox, offered):
    assert f'href="{offered}/email"' in client.get(offered).get_data(as_text=True)
    submit(client, f"{offered}/email", {"email": "sam.o@example.net"})
    link = link_in(mailbox.text_of(mailbox.to("sam.o@example.net")[-1]), "/change-email/")
    done = submit(client, link, follow=True).get_data(as_text=True)
    assert "Your volunteering" in done
    assert stored_email(Volunteer) == "sam.o@example.net"


def test_a_mistyped_address_is_shown_back_with_an_error(client, mailbox, asked):
    response = submit(client, f"{asked}/email", {"email": "maya.example.net"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Error:" in page and "Enter an email address in the right format" in page
    assert mailbox.received == []


def test_an_address_in_use_gets_the_same_page_and_an_explanation_not_a_link(client, mailbox, asked):
    walk(client, "/ask", ask_answers(name="Olu Ade", email="olu@example.org"))
    mailbox.received.clear()
    page = submit(client, f"{asked}/email", {"email": "olu@example.org"}).get_data(as_text=True)
    assert "We have sent a link to olu@example.org" in page
    [message] = mailbox.to("olu@example.org")
    assert "/change-email/" not in mailbox.text_of(message)


def test_an_expired_or_used_link_says_so_kindly(client, mailbox, asked):
    submit(client, f"{asked}/email", {"email": "maya.patel@example.net"})
    link = link_in(mailbox.text_of(mailbox.to("maya.patel@example.net")[-1]), "/change-email/")
    submit(client, link)
    used = client.get(link)
    assert used.status_code == 404
    assert client.get("/change-email/made-up").status_code == 404
