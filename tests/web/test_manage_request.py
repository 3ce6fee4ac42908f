"""Confirming by email, then managing a request through the private link."""

import json

import pytest

from surgery.extensions import db
from surgery.models import Asker, HelpRequest, RequestStatus
from tests.web.forms import csrf_token, submit
from tests.web.journeys import ask_answers, link_in, offer_answers, walk


@pytest.fixture
def asked(client, mailbox):
    """Ask for help; return the confirm and manage links from the email that arrived."""
    walk(client, "/ask", ask_answers())
    text = mailbox.text_of(mailbox.to("maya@example.org")[-1])
    return link_in(text, "/confirm/"), link_in(text, "/manage/")


def the_request() -> HelpRequest:
    return db.session.scalar(db.select(HelpRequest))


def test_opening_the_confirm_link_changes_nothing_until_the_button(client, asked):
    confirm, _ = asked
    page = client.get(confirm).get_data(as_text=True)
    assert "Confirm my email address" in page and "Ladywood Food Bank" in page
    assert the_request().status is RequestStatus.UNCONFIRMED

    response = submit(client, confirm)
    assert response.status_code == 302 and "/manage/a" in response.headers["Location"]
    db.session.expire_all()
    assert the_request().status is RequestStatus.OPEN


def test_a_tampered_confirm_link_is_not_found(client, asked):
    confirm, _ = asked
    assert client.get(confirm[:-2] + "xx").status_code == 404


def test_the_manage_page_shows_the_request_and_its_status(client, asked):
    _, manage = asked
    page = client.get(manage).get_data(as_text=True)
    assert "Your requests for help" in page
    assert "Waiting for you to confirm your email address" in page
    assert "Start a Facebook page so more families hear about us." in page


def test_get_requests_on_every_manage_link_change_nothing(client, asked):
    confirm, manage = asked
    request_id = the_request().id
    pages = ["", "/contact", "/data.json", "/delete"]
    pages += [f"/requests/{request_id}/edit", f"/requests/{request_id}/withdraw"]
    for path in [confirm, *(manage + page for page in pages)]:
        assert client.get(path).status_code == 200, path
    db.session.expire_all()
    help_request = the_request()
    assert help_request.status is RequestStatus.UNCONFIRMED
    assert help_request.asker.name == "Maya Patel" and help_request.asker.erased_at is None
    assert client.get(manage).status_code == 200, "the link still works"


def test_a_guessed_manage_link_is_not_found(client, asked):
    _, manage = asked
    assert client.get("/manage/a1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status_code == 404
    assert client.get(manage[:-3] + "abc").status_code == 404
    assert client.get("/manage/not-a-token").status_code == 404


def test_someone_elses_manage_link_does_not_reach_my_request(client, mailbox, asked):
    _, maya = asked
    other = ask_answers(email="sam@example.org", name="Sam Okafor")
    walk(client, "/ask", other)
    sams_link = link_in(mailbox.text_of(mailbox.to("sam@example.org")[-1]), "/manage/")
    mayas_request = db.session.scalar(
        db.select(HelpRequest).join(Asker).where(Asker.email == "maya@example.org")
    )
    assert client.get(f"{sams_link}/requests/{mayas_request.id}/edit").status_code == 404
    assert client.get(f"{sams_link}/requests/{mayas_request.id}/withdraw").status_code == 404
    assert "Ladywood" in client.get(maya).get_data(as_text=True)
    assert "maya@example.org" not in client.get(sams_link).get_data(as_text=True)


def test_a_volunteer_link_does_not_open_a_group_page(client, mailbox):
    walk(client, "/volunteer/offer", offer_answers())
    volunteer_link = link_in(mailbox.text_of(mailbox.received[-1]), "/volunteer/manage/")
    token = volunteer_link.rsplit("/", 1)[1]
    assert client.get(f"/manage/{token}").status_code == 404


def test_editing_a_request_keeps_what_was_typed_when_something_is_wrong(client, asked):
    _, manage = asked
    url = f"{manage}/requests/{the_request().id}/edit"
    answers = ask_answers()
    form = {
        **answers["group"],
        **answers["when"],
        "postcode": "B16 9ZZ",
        "skills": ["1"],
        "level": "3",
        "goal": "A new goal.",
        "travel_km": "10",
    }
    page = submit(client, url, form).get_data(as_text=True)
    assert "We couldn&#39;t find B16 9ZZ" in page and "A new goal." in page

    response = submit(client, url, form | {"postcode": "B16"})
    assert response.status_code == 302
    db.session.expire_all()
    help_request = the_request()
    assert (help_request.goal, help_request.level) == ("A new goal.", 3)
    assert help_request.postcode == "B16"
    assert help_request.consent_follow_up is False, "an unticked box is an answer"


def test_changing_contact_details(client, asked):
    _, manage = asked
    submit(client, f"{manage}/contact", {"name": "Maya P", "phone": "0121 496 0000"})
    db.session.expire_all()
    assert the_request().asker.phone == "0121 496 0000"


def test_withdrawing_a_request(client, asked):
    _, manage = asked
    response = submit(client, f"{manage}/requests/{the_request().id}/withdraw", follow=True)
    assert "Your request has been withdrawn" in response.get_data(as_text=True)
    db.session.expire_all()
    assert the_request().status is RequestStatus.WITHDRAWN


def test_downloading_my_data(client, asked):
    _, manage = asked
    response = client.get(f"{manage}/data.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.get_data(as_text=True))
    assert data["email"] == "maya@example.org"
    assert data["requests"][0]["organisation"] == "Ladywood Food Bank"


def test_deleting_my_details_ends_the_link(client, asked):
    _, manage = asked
    page = submit(client, f"{manage}/delete").get_data(as_text=True)
    assert "Your details have been deleted" in page
    assert client.get(manage).status_code == 404
    assert db.session.scalar(db.select(Asker.email)) is None


def test_a_new_link_is_sent_only_after_saying_the_old_links_will_stop_working(
    client, mailbox, asked
):
    _, manage = asked
    assert f'href="{manage}/new-link"' in client.get(manage).get_data(as_text=True)
    page = " ".join(client.get(f"{manage}/new-link").get_data(as_text=True).split())
    assert "Are you sure you want a new private link?" in page
    assert "the links in every email we have sent you before, will stop working" in page
    assert "maya@example.org" in page
    assert client.get(manage).status_code == 200, "showing the question changes nothing"

    response = submit(client, f"{manage}/new-link")
    assert "We have sent you a new link" in response.get_data(as_text=True)
    assert client.get(manage).status_code == 404
    new = link_in(mailbox.text_of(mailbox.received[-1]), "/manage/")
    assert new != manage and client.get(new).status_code == 200


def test_a_volunteer_is_asked_before_their_link_is_replaced(client, mailbox):
    walk(client, "/volunteer/offer", offer_answers())
    manage = link_in(mailbox.text_of(mailbox.received[-1]), "/volunteer/manage/")
    assert f'href="{manage}/new-link"' in client.get(manage).get_data(as_text=True)
    page = " ".join(client.get(f"{manage}/new-link").get_data(as_text=True).split())
    assert "Yes, send me a new link" in page and "will stop working straight away" in page
    assert client.get(manage).status_code == 200

    submit(client, f"{manage}/new-link")
    assert client.get(manage).status_code == 404


def test_an_old_confirmation_link_does_not_lead_to_a_replaced_manage_link(client, mailbox, asked):
    confirm, manage = asked
    opened_before = csrf_token(client.get(confirm).get_data(as_text=True))
    submit(client, confirm)
    submit(client, f"{manage}/new-link")
    new_link = link_in(mailbox.text_of(mailbox.received[-1]), "/manage/")

    # Once used, the link's page has no button; one opened before still sends its form.
    again = client.post(confirm, data={"csrf_token": opened_before})
    assert again.status_code == 200
    page = again.get_data(as_text=True)
    assert "already confirmed" in page and new_link not in page


def test_a_crafted_link_with_strange_digits_is_simply_not_found(client):
    assert client.get("/manage/a²-x").status_code == 404
    assert client.get("/volunteer/manage/v١-x").status_code == 404


def test_the_consent_questions_are_real_tick_boxes(client):
    page = client.get("/ask/keeping-in-touch").get_data(as_text=True)
    assert 'type="checkbox"' in page and 'name="consent_follow_up"' in page
    assert 'type="text"' not in page.split("<form")[1]
