"""Issue 15, the volunteers' part: what their pages say about load, levels, pausing, offering
again, and the sessions and groups they have."""

from datetime import timedelta

import pytest

from surgery import clock
from surgery.extensions import db
from surgery.models import Signup, SignupStatus, Volunteer, VolunteerStatus
from surgery.notify import outbox
from surgery.services import follow_through, sessions, signups
from surgery.services.tokens import manage_token
from surgery.vocabulary import AccessNeed
from tests.factories import NOW, agreed_pairing_for, published_session, volunteer_signed_up
from tests.web.forms import submit
from tests.web.journeys import link_in, offer_answers, walk

MOSELEY = "Moseley social media surgery"


def words(response) -> str:
    """The page's text with its whitespace folded, as a reader meets it."""
    return " ".join(response.get_data(as_text=True).split())


def manage_url(volunteer: Volunteer) -> str:
    return f"/volunteer/manage/{manage_token(volunteer)}"


@pytest.fixture
def signup(host) -> Signup:
    """Sam, signed up to help two groups at a published evening session near Moseley."""
    step_free = (AccessNeed.STEP_FREE,)  # as the groups of agreed_pairing_for ask
    return volunteer_signed_up(published_session(host, access=step_free), "Sam Okafor", load=2)


# 7. How many they offered to help, apart from how many are paired so far


def test_before_any_group_is_paired_the_sessions_page_says_what_was_offered(client, signup):
    page = words(client.get(f"{manage_url(signup.volunteer)}/sessions"))
    assert "You offered to help 2 groups here." in page
    assert "No group is paired with you here yet." in page
    assert "You are helping 2 groups" not in page


def test_once_a_group_is_paired_the_sessions_page_counts_and_names_it(client, host, signup):
    agreed_pairing_for(host, signup.surgery_session)
    page = words(client.get(f"{manage_url(signup.volunteer)}/sessions"))
    assert "You offered to help 2 groups here. 1 group is paired with you so far:" in page
    assert "Maya from Ladywood Food Bank (First steps)" in page


# 8. Levels described as the groups a volunteer would help


def test_the_volunteers_levels_question_describes_the_groups_they_would_help(client, signup):
    for url in ("/volunteer/offer/levels", f"{manage_url(signup.volunteer)}/edit"):
        page = words(client.get(url))
        assert "Groups that are curious and want to see what other groups have done online." in page
        assert "Groups that know what they want to do and need help planning" in page
        assert "You are curious" not in page, url


def test_a_group_still_reads_the_levels_about_itself(client):
    page = words(client.get("/ask/level"))
    assert "You are curious and want to see what other groups have done online." in page
    assert "Groups that are curious" not in page


# 9. Pausing says what becomes of the sessions already signed up to


def test_pausing_asks_first_and_says_the_sessions_signed_up_to_stand(client, signup):
    manage = manage_url(signup.volunteer)
    assert f'href="{manage}/pause"' in client.get(manage).get_data(as_text=True)

    page = words(client.get(f"{manage}/pause"))
    assert "Stop offering help for now?" in page
    assert "We will not pair you with any more groups or invite you to sessions" in page
    assert "You stay signed up to help at these sessions" in page
    assert MOSELEY in page
    assert "Yes, stop offering help for now" in page
    db.session.expire_all()
    assert signup.volunteer.status is VolunteerStatus.ACTIVE, "showing the question changes nothing"

    after = words(submit(client, f"{manage}/pause", follow=True))
    assert "You have stopped offering help for now." in after
    assert "You are still signed up to help at 1 session" in after
    db.session.expire_all()
    assert signup.volunteer.status is VolunteerStatus.WITHDRAWN
    assert signup.status is SignupStatus.ACTIVE


def test_pausing_with_no_sessions_says_there_are_none_to_keep(client, mailbox):
    walk(client, "/volunteer/offer", offer_answers())
    confirm = link_in(mailbox.text_of(mailbox.to("sam@example.org")[-1]), "/confirm/")
    submit(client, confirm)
    sam = db.session.scalar(db.select(Volunteer))
    manage = manage_url(sam)
    page = words(client.get(f"{manage}/pause"))
    assert "You are not signed up to help at any sessions." in page
    after = words(submit(client, f"{manage}/pause", follow=True))
    assert "You have stopped offering help for now." in after
    assert "still signed up" not in after


def test_a_paused_volunteer_is_still_reminded_of_a_session_they_stay_signed_up_to(
    client, mailbox, host, signup
):
    agreed_pairing_for(host, signup.surgery_session)
    submit(client, f"{manage_url(signup.volunteer)}/pause")
    mailbox.received.clear()
    moment = signup.surgery_session.starts_at - timedelta(hours=47)
    clock.freeze(moment)
    follow_through.create_due_messages(moment)
    outbox.deliver_due(moment)
    assert [m["Subject"] for m in mailbox.to("sam@example.org")] == [
        f"Your groups at {MOSELEY}"
    ]


def test_a_paused_volunteer_is_told_when_their_session_is_cancelled(client, host, signup):
    submit(client, f"{manage_url(signup.volunteer)}/pause")
    assert sessions.who_will_be_told(signup.surgery_session) == (0, 1)


# 10. Offering again with a known address


def test_the_page_after_offering_says_a_known_address_keeps_its_details(client):
    page = words(walk(client, "/volunteer/offer", offer_answers()))
    assert (
        "If you already volunteer with us, we have not changed your details: the answers you "
        "just gave were not saved." in page
    )
    assert "the email has the link to your private page, where you can change them" in page


def test_offering_again_emails_that_the_new_answers_were_not_saved(client, mailbox):
    walk(client, "/volunteer/offer", offer_answers())
    submit(client, link_in(mailbox.text_of(mailbox.to("sam@example.org")[-1]), "/confirm/"))
    walk(client, "/volunteer/offer", offer_answers(postcode="M1 1AE"))
    latest = " ".join(mailbox.text_of(mailbox.to("sam@example.org")[-1]).split())
    assert "The answers you just gave were not saved" in latest
    assert "Change your details" in latest
    assert "/volunteer/manage/" in latest


# 11. Their sessions and groups on their own page


def test_the_private_page_lists_upcoming_sessions_and_the_groups_paired(client, host, signup):
    agreed_pairing_for(host, signup.surgery_session)
    manage = manage_url(signup.volunteer)
    page = words(client.get(manage))
    assert "Sessions you are signed up to help at" in page
    assert MOSELEY in page and "Moseley Exchange" in page
    assert "You offered to help 2 groups here. 1 group is paired with you so far:" in page
    assert "Maya from Ladywood Food Bank (First steps)" in page
    assert "Start a Facebook page so more families hear about us." in page
    assert f"{manage}/sessions/{signup.session_id}/withdraw" in page
    assert "maya@example.org" not in page, "a volunteer sees no group's address"


def test_the_private_page_says_when_there_are_no_sessions_yet(client, signup):
    signups.withdraw_signup(signup, NOW)
    manage = manage_url(signup.volunteer)
    page = words(client.get(manage))
    assert "You are not signed up to help at any sessions yet." in page
    assert f'href="{manage}/sessions"' in page


def test_a_session_that_is_over_leaves_the_list_of_sessions_ahead(client, host, signup):
    clock.freeze(signup.surgery_session.ends_at + timedelta(minutes=1))
    page = words(client.get(manage_url(signup.volunteer)))
    assert "You are not signed up to help at any sessions yet." in page

