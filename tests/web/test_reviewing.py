"""A host reviews the matcher's pairings; the group sees its volunteer."""

import pytest
from icalendar import Calendar

from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Pairing, PairingState, RequestStatus, Volunteer
from surgery.services import sessions, signups
from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.services.tokens import manage_token
from surgery.vocabulary import AccessNeed, Availability
from tests.factories import (
    NOW,
    PASSWORD,
    approved_host,
    contact,
    offer_details,
    request_details,
    session_details,
    skill_ids,
)
from tests.web.forms import csrf_token, submit


@pytest.fixture
def proposed(client):
    host = approved_host()
    details = session_details(seats=3, access=(AccessNeed.STEP_FREE,))
    surgery_session = sessions.create_session(host, details, utcnow())
    sessions.move_session(host, surgery_session, "publish", utcnow())
    for name in ("Sam Okafor", "Lucy Chen"):
        email = f"{name.split()[0].lower()}@example.org"
        submit_volunteer_offer(contact(name=name, email=email), offer_details(), utcnow())
        volunteer = db.session.scalar(db.select(Volunteer).where(Volunteer.email == email))
        signups.sign_up(confirm_volunteer(volunteer, utcnow()), surgery_session, 1, utcnow())
    evenings = (Availability.WEEKDAY_EVENINGS,)
    help_request = submit_help_request(
        contact(), request_details(postcode="B13 9AE", availability=evenings), utcnow()
    )
    confirm_help_request(help_request, utcnow())
    submit(client, "/host/sign-in", {"email": "hana@example.org", "password": PASSWORD})
    url = f"/host/sessions/{surgery_session.id}"
    client.post(f"{url}/match", data={"csrf_token": token(client, url)})
    return url, help_request


def token(client, url):
    return csrf_token(client.get(url).get_data(as_text=True))


def the_pairing() -> Pairing:
    db.session.expire_all()
    return db.session.scalar(db.select(Pairing).where(Pairing.state != PairingState.DECLINED))


def test_the_host_sees_proposals_and_confirms_them_and_the_group_sees_its_volunteer(
    client, proposed, mailbox
):
    url, help_request = proposed
    page = client.get(url).get_data(as_text=True)
    assert "Ladywood Food Bank</strong> with" in page and "Proposed: not sent to anyone yet" in page
    assert not mailbox.to("maya@example.org"), "a proposal reaches nobody until it is agreed"
    client.post(f"{url}/pairings/confirm-all", data={"csrf_token": token(client, url)})
    pairing = the_pairing()
    assert pairing.state is PairingState.CONFIRMED
    assert pairing.help_request.status is RequestStatus.MATCHED
    assert pairing.surgery_session.seats_taken == 1, "an agreed group holds a table"
    manage = client.get(f"/manage/{manage_token(help_request.asker)}").get_data(as_text=True)
    assert "You have a place at" in manage
    assert f"Your volunteer is <strong>{pairing.signup.volunteer.first_name}</strong>" in manage
    [email] = mailbox.to("maya@example.org")
    assert "Your volunteer: Sam" in mailbox.text_of(email)
    [invitation] = [part for part in email.iter_attachments()]
    assert invitation.get_content_type() == "text/calendar"
    assert invitation.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(invitation.get_content())
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["ATTENDEE"]) == "mailto:maya@example.org"
    assert event["SUMMARY"] == pairing.surgery_session.title
    volunteer = pairing.signup.volunteer
    theirs = client.get(f"/volunteer/manage/{manage_token(volunteer)}/sessions")
    assert "Maya from Ladywood Food Bank" in theirs.get_data(as_text=True)


def test_locking_swapping_and_dropping(client, proposed):
    url, help_request = proposed
    pairing = the_pairing()
    client.post(f"{url}/pairings/{pairing.id}/lock", data={"csrf_token": token(client, url)})
    assert the_pairing().state is PairingState.LOCKED
    other = next(
        s
        for s in signups.who_is_coming(pairing.surgery_session).volunteers
        if s.id != pairing.signup_id
    )
    client.post(
        f"{url}/pairings/{pairing.id}/swap",
        data={"csrf_token": token(client, url), "signup_id": str(other.id)},
    )
    assert the_pairing().signup_id == other.id
    client.post(f"{url}/pairings/{pairing.id}/drop", data={"csrf_token": token(client, url)})
    db.session.expire_all()
    assert db.session.get(Pairing, pairing.id).state is PairingState.DECLINED
    assert db.session.get(type(help_request), help_request.id).status is RequestStatus.OPEN


def test_another_host_cannot_touch_the_pairings(client, proposed, app):
    url, _ = proposed
    pairing = the_pairing()
    approved_host("ola@example.org")
    other = app.test_client()
    submit(other, "/host/sign-in", {"email": "ola@example.org", "password": PASSWORD})
    form = {"csrf_token": token(other, "/host/")}
    for path in [
        "/match",
        "/pairings/confirm-all",
        f"/pairings/{pairing.id}/lock",
        f"/pairings/{pairing.id}/drop",
        f"/pairings/{pairing.id}/swap",
    ]:
        assert other.post(url + path, data=form).status_code == 404, path
    assert the_pairing().state is PairingState.PROPOSED


def test_a_dropped_pairing_cannot_be_locked_or_dropped_again(client, proposed):
    url, _ = proposed
    pairing = the_pairing()
    client.post(f"{url}/pairings/{pairing.id}/drop", data={"csrf_token": token(client, url)})
    for action in ("lock", "drop"):
        response = client.post(
            f"{url}/pairings/{pairing.id}/{action}", data={"csrf_token": token(client, url)}
        )
        assert response.status_code == 404, action
    db.session.expire_all()
    assert db.session.get(Pairing, pairing.id).state is PairingState.DECLINED


def test_swapping_in_a_volunteer_without_the_wanted_skills_warns_and_says_so(client, proposed):
    url, _ = proposed
    pairing = the_pairing()
    offer = offer_details(skill_ids=skill_ids("Video"))
    submit_volunteer_offer(contact(name="Ravi Shah", email="ravi@example.org"), offer, NOW)
    ravi = db.session.scalar(db.select(Volunteer).where(Volunteer.email == "ravi@example.org"))
    ravi_signup = signups.sign_up(confirm_volunteer(ravi, NOW), pairing.surgery_session, 1, NOW)

    page = client.post(
        f"{url}/pairings/{pairing.id}/swap",
        data={"csrf_token": token(client, url), "signup_id": str(ravi_signup.id)},
        follow_redirects=True,
    ).get_data(as_text=True)

    assert the_pairing().signup_id == ravi_signup.id
    wanted = "(Facebook, Email newsletters)"
    assert f"Ravi knows none of the skills this group asked for {wanted}" in page
    assert the_pairing().shared_skills == [], "the card no longer claims skills in common"


def test_dropping_asks_first_and_whether_the_group_may_come_back_here(client, proposed):
    url, help_request = proposed
    pairing = the_pairing()
    page = client.get(f"{url}/pairings/{pairing.id}/drop").get_data(as_text=True)
    assert "Drop the pairing of Ladywood Food Bank with" in page
    assert "only proposed: nobody has been told" in page
    assert the_pairing().state is PairingState.PROPOSED, "showing the question changes nothing"

    client.post(
        f"{url}/pairings/{pairing.id}/drop",
        data={"csrf_token": token(client, url), "here_again": "yes"},
    )
    db.session.expire_all()
    dropped = db.session.get(Pairing, pairing.id)
    assert dropped.state is PairingState.DECLINED and not dropped.not_here_again


def test_dropping_with_no_other_volunteer_there_asks_nothing_about_here(client, proposed):
    url, _ = proposed
    pairing = the_pairing()
    for signup in signups.who_is_coming(pairing.surgery_session).volunteers:
        if signup.id != pairing.signup_id:
            signups.withdraw_signup(signup, NOW)
    page = client.get(f"{url}/pairings/{pairing.id}/drop").get_data(as_text=True)
    assert "No other volunteer is signed up to this session" in page
    assert "with another volunteer here" not in page


def test_matching_again_tells_the_host_that_the_proposal_stayed_put(client, proposed):
    url, _ = proposed
    again = client.post(
        f"{url}/match", data={"csrf_token": token(client, url)}, follow_redirects=True
    )
    page = " ".join(again.get_data(as_text=True).split())
    assert (
        "The matcher proposed 1 pairing for this session. Kept 1 of 1 earlier proposals; "
        "0 moved, 0 dropped; 0 new." in page
    )
