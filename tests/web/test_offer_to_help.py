"""A volunteer offers to help, confirms, and manages the offer."""

import json

import flask_migrate
import pytest

from surgery import create_app
from surgery.extensions import db
from surgery.models import Volunteer, VolunteerStatus
from tests.web.forms import csrf_token, submit
from tests.web.journeys import link_in, offer_answers, walk


def the_volunteer() -> Volunteer:
    db.session.expire_all()
    return db.session.scalar(db.select(Volunteer))


@pytest.fixture
def offered(client, mailbox):
    walk(client, "/volunteer/offer", offer_answers())
    text = mailbox.text_of(mailbox.to("sam@example.org")[-1])
    return link_in(text, "/confirm/"), link_in(text, "/volunteer/manage/")


def test_a_volunteer_offers_and_confirms(client, offered):
    confirm, manage = offered
    assert the_volunteer().status is VolunteerStatus.UNCONFIRMED
    assert client.get(confirm).status_code == 200
    assert the_volunteer().status is VolunteerStatus.UNCONFIRMED
    response = submit(client, confirm, follow=True)
    assert "Your volunteering" in response.get_data(as_text=True)
    volunteer = the_volunteer()
    assert volunteer.status is VolunteerStatus.ACTIVE
    assert [skill.name for skill in volunteer.skills] == ["Facebook", "Blogging and websites"]
    assert volunteer.levels == [1, 2] and volunteer.travel_km == 10


def test_offering_again_with_a_known_email_sends_the_manage_link_and_changes_nothing(
    client, mailbox, offered
):
    confirm, _ = offered
    submit(client, confirm)
    walk(client, "/volunteer/offer", offer_answers(postcode="M1 1AE", bio="Someone else"))
    assert db.session.scalar(db.select(db.func.count(Volunteer.id))) == 1
    assert the_volunteer().postcode == "B15 2TT"
    latest = mailbox.text_of(mailbox.to("sam@example.org")[-1])
    assert "You already volunteer with us" in latest
    assert "/volunteer/manage/" in latest


def test_an_unconfirmed_volunteer_offering_again_gets_a_new_link_that_confirms_the_new_answers(
    client, mailbox, offered
):
    mailbox.received.clear()
    walk(client, "/volunteer/offer", offer_answers(postcode="M1 1AE", travel_km="20"))
    assert db.session.scalar(db.select(db.func.count(Volunteer.id))) == 1
    latest = mailbox.text_of(mailbox.to("sam@example.org")[-1])
    assert "not saved" not in latest
    assert "your new answers replace the earlier ones" in " ".join(latest.split())
    page = submit(client, link_in(latest, "/confirm/"), follow=True).get_data(as_text=True)
    assert "Your volunteering" in page
    volunteer = the_volunteer()
    assert volunteer.status is VolunteerStatus.ACTIVE
    assert (volunteer.postcode, volunteer.travel_km) == ("M1 1AE", 20)


def test_an_unconfirmed_volunteer_offering_again_and_again_gets_one_new_link_an_hour(
    client, mailbox, offered
):
    mailbox.received.clear()
    walk(client, "/volunteer/offer", offer_answers(postcode="M1 1AE"))
    walk(client, "/volunteer/offer", offer_answers(postcode="LS1 4DY"))
    assert len(mailbox.to("sam@example.org")) == 1
    assert the_volunteer().postcode == "LS1 4DY"  # the link confirms what was given last


def test_the_page_after_offering_says_the_same_for_known_and_new_emails(client, offered):
    known = walk(client, "/volunteer/offer", offer_answers()).get_data(as_text=True)
    new = walk(client, "/volunteer/offer", offer_answers(email="new@example.org"))
    assert known == new.get_data(as_text=True)


def test_a_lost_link_is_sent_only_to_a_known_volunteer(client, mailbox, offered):
    mailbox.received.clear()
    known = submit(client, "/volunteer/lost-link", {"email": "sam@example.org"})
    unknown = submit(client, "/volunteer/lost-link", {"email": "nobody@example.org"})
    assert "Check your email" in known.get_data(as_text=True)
    assert "Check your email" in unknown.get_data(as_text=True)
    assert [message["To"] for message in mailbox.received] == ["sam@example.org"]


def test_pausing_and_resuming(client, offered):
    confirm, manage = offered
    submit(client, confirm)
    client.post(f"{manage}/pause", data={"csrf_token": token_of(client, f"{manage}/pause")})
    assert the_volunteer().status is VolunteerStatus.WITHDRAWN
    client.post(f"{manage}/resume", data={"csrf_token": token_of(client, manage)})
    assert the_volunteer().status is VolunteerStatus.ACTIVE


def token_of(client, url):
    return csrf_token(client.get(url).get_data(as_text=True))


def test_editing_the_offer(client, offered):
    _, manage = offered
    form = {"name": "Sam O", "postcode": "M1 1AE", "skills": ["2"], "levels": ["3", "4"],
            "travel_km": "20", "availability": ["weekends"], "bio": ""}
    response = submit(client, f"{manage}/edit", form)
    assert response.status_code == 302
    volunteer = the_volunteer()
    assert (volunteer.name, volunteer.postcode, volunteer.levels) == ("Sam O", "M1 1AE", [3, 4])


def test_downloading_and_deleting(client, offered):
    _, manage = offered
    data = json.loads(client.get(f"{manage}/data.json").get_data(as_text=True))
    assert data["offer"]["bio"] == "I run websites for two local charities."
    submit(client, f"{manage}/delete")
    assert client.get(manage).status_code == 404
    assert the_volunteer().email is None


def test_the_dev_mail_page_exists_only_in_development(client):
    assert client.get("/dev/mail").status_code == 404


def test_the_dev_mail_page_lists_and_shows_kept_mail(tmp_path):
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'dev.db'}")
    with app.app_context():
        flask_migrate.upgrade()
        dev = app.test_client()
        walk(dev, "/volunteer/offer", offer_answers())
        listing = dev.get("/dev/mail").get_data(as_text=True)
        assert "Confirm your email address to start volunteering" in listing
        assert "sam@example.org" in listing
        shown = dev.get("/dev/mail/1").get_data(as_text=True)
        assert "Thank you for offering to help" in shown
        assert '<a href="http://127.0.0.1:5000/confirm/' in shown
        assert "pending" in shown, "in the embedded default mail stays in the outbox"
        db.session.remove()
        db.engine.dispose()
