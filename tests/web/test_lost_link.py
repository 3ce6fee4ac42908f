"""Anyone who lost the link to their private page gets it again by email, group or volunteer,
and the page says the same whether or not we know the address."""

import pytest

from tests.web.forms import submit
from tests.web.journeys import ask_answers, link_in, offer_answers, walk


@pytest.fixture
def asked(client, mailbox):
    walk(client, "/ask", ask_answers())
    return link_in(mailbox.text_of(mailbox.to("maya@example.org")[-1]), "/manage/")


@pytest.fixture
def offered(client, mailbox):
    walk(client, "/volunteer/offer", offer_answers())
    return link_in(mailbox.text_of(mailbox.to("sam@example.org")[-1]), "/volunteer/manage/")


def test_a_group_gets_its_private_link_again_by_email(client, mailbox, asked):
    mailbox.received.clear()
    response = submit(client, "/lost-link", {"email": " Maya@Example.org"})

    assert "Check your email" in response.get_data(as_text=True)
    [message] = mailbox.to("maya@example.org")
    text = mailbox.text_of(message)
    assert "your group" in text
    link = link_in(text, "/manage/")
    assert link == asked
    assert "Your requests for help" in client.get(link).get_data(as_text=True)


def test_a_volunteer_gets_their_link_from_the_same_page(client, mailbox, offered):
    mailbox.received.clear()
    submit(client, "/lost-link", {"email": "sam@example.org"})

    [message] = mailbox.to("sam@example.org")
    assert link_in(mailbox.text_of(message), "/volunteer/manage/") == offered


def test_one_address_used_for_a_group_and_for_volunteering_gets_one_email_with_both(
    client, mailbox, asked
):
    walk(client, "/volunteer/offer", offer_answers(email="maya@example.org"))
    mailbox.received.clear()
    submit(client, "/lost-link", {"email": "maya@example.org"})

    [message] = mailbox.received
    text = mailbox.text_of(message)
    assert link_in(text, "/manage/") == asked
    assert "/volunteer/manage/v" in text
    assert "your group" in text and "your volunteering" in text


def test_an_unknown_address_sees_the_same_page_and_gets_nothing(client, mailbox, asked):
    mailbox.received.clear()
    known = submit(client, "/lost-link", {"email": "maya@example.org"}).get_data(as_text=True)
    unknown = submit(client, "/lost-link", {"email": "nobody@example.org"})

    assert unknown.get_data(as_text=True) == known.replace("maya@", "nobody@")
    assert [message["To"] for message in mailbox.received] == ["maya@example.org"]


def test_the_old_volunteer_address_still_serves_groups_too(client, mailbox, asked):
    mailbox.received.clear()
    submit(client, "/volunteer/lost-link", {"email": "maya@example.org"})
    assert link_in(mailbox.text_of(mailbox.to("maya@example.org")[-1]), "/manage/") == asked


def test_asking_twice_in_an_hour_sends_one_email(client, mailbox, asked):
    mailbox.received.clear()
    submit(client, "/lost-link", {"email": "maya@example.org"})
    submit(client, "/lost-link", {"email": "maya@example.org"})
    assert len(mailbox.to("maya@example.org")) == 1


def test_group_pages_lead_to_the_lost_link_page(client):
    for page in ("/ask", "/contact"):
        assert 'href="/lost-link"' in client.get(page).get_data(as_text=True), page
    assert client.get("/manage/lost-link").headers["Location"].endswith("/lost-link")
