"""Issue 15, groups: what a group reads after asking, confirming, managing and leaving a list."""

import re

import pytest

from surgery.extensions import db
from surgery.models import HelpRequest, Pairing, Volunteer
from surgery.services import booking
from surgery.services.matching import run_matching
from surgery.services.offering import submit_volunteer_offer
from surgery.services.skills import active_skills
from surgery.services.tokens import manage_token
from surgery.vocabulary import AccessNeed, Availability
from tests.factories import (
    NOW,
    confirmed_request,
    contact,
    offer_details,
    published_session,
    skill_ids,
    volunteer_signed_up,
)
from tests.web.forms import submit
from tests.web.journeys import ask_answers, link_in, walk

MOSELEY = "Moseley social media surgery"


def manage_link(help_request: HelpRequest) -> str:
    return f"/manage/{manage_token(help_request.asker)}"


def text_of(page: str) -> str:
    """The words of a page, tags dropped and spaces folded, as a reader meets them."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


# 1. "Check your email" says where the email went, and what to do if that is wrong.


def test_check_your_email_names_the_address_it_went_to(client, mailbox):
    response = walk(client, "/ask", ask_answers(email="maya@example.org"))

    words = text_of(response.get_data(as_text=True))
    assert "We have sent an email to maya@example.org" in words
    assert "If that address is wrong" in words


def test_check_your_email_opened_without_asking_names_no_address(client):
    words = text_of(client.get("/ask/sent").get_data(as_text=True))
    assert "We have sent you a link to confirm your request" in words
    assert "We have sent an email to" not in words


def test_check_your_email_names_no_address_once_the_link_is_used(client, mailbox):
    walk(client, "/ask", ask_answers())
    submit(client, link_in(mailbox.text_of(mailbox.to("maya@example.org")[-1]), "/confirm/"))

    words = text_of(client.get("/ask/sent").get_data(as_text=True))
    assert "maya@example.org" not in words


# 2. The private page shows the level, the access needs and the days the group can come.


def test_the_private_page_shows_level_access_and_days(client, app):
    help_request = confirmed_request(
        "maya@example.org",
        availability=(Availability.WEEKDAYS, Availability.WEEKENDS),
        access_needs=(AccessNeed.STEP_FREE, AccessNeed.HEARING_LOOP),
        access_notes="I come with my carer.",
    )
    words = text_of(client.get(manage_link(help_request)).get_data(as_text=True))
    assert "Where you are up to First steps" in words
    assert "Days you can come Weekdays, in the daytime (before 6pm), Weekends" in words
    assert "What you need to take part Step-free access, A hearing loop" in words
    assert "I come with my carer." in words


def test_the_private_page_says_when_no_access_need_was_given(client, app):
    help_request = confirmed_request("maya@example.org", access_needs=())
    words = text_of(client.get(manage_link(help_request)).get_data(as_text=True))
    assert "What you need to take part None" in words


# 3. An already used confirmation link says what is true and what to do next.


@pytest.fixture
def confirm_link(client, mailbox):
    walk(client, "/ask", ask_answers())
    return link_in(mailbox.text_of(mailbox.to("maya@example.org")[-1]), "/confirm/")


def test_an_already_used_confirmation_link_offers_no_button_to_confirm(client, confirm_link):
    submit(client, confirm_link)

    page = client.get(confirm_link).get_data(as_text=True)
    words = text_of(page)
    assert "Your email address is already confirmed" in words
    assert "Ladywood Food Bank" in words
    assert "Once confirmed" not in words and "Confirm my email address" not in words
    assert "<form" not in page.split("<main", 1)[1]
    assert 'href="/lost-link"' in page


def test_a_volunteers_already_used_confirmation_link_says_so_too(client, mailbox):
    submit_volunteer_offer(contact(email="sam@example.org"), offer_details(), NOW)
    link = link_in(mailbox.text_of(mailbox.to("sam@example.org")[-1]), "/confirm/")
    submit(client, link)
    volunteer = db.session.scalar(db.select(Volunteer))
    assert volunteer.status.value != "unconfirmed"

    words = text_of(client.get(link).get_data(as_text=True))
    assert "Your email address is already confirmed" in words
    assert "Confirm my email address" not in words


def test_pressing_an_old_confirm_button_again_says_what_is_true(client, confirm_link):
    page = client.get(confirm_link).get_data(as_text=True)
    submit(client, confirm_link)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)

    again = client.post(confirm_link, data={"csrf_token": token}).get_data(as_text=True)
    words = text_of(again)
    assert "Your email address is already confirmed" in words and "Ladywood Food Bank" in words


# 4. Leaving a waiting list is never called giving up a place.


@pytest.fixture
def one_table(host):
    created = published_session(host, seats=1, access=(AccessNeed.STEP_FREE,))
    volunteer_signed_up(created, "Sam Okafor", load=2)
    return created


def booked(surgery_session, email) -> HelpRequest:
    help_request = confirmed_request(email)
    booking.book_place(help_request, surgery_session, NOW)
    return help_request


def test_an_old_leave_link_does_not_say_a_place_was_given_up(client, one_table):
    booked(one_table, "maya@example.org")
    waiting = booked(one_table, "ravi@example.org")
    held = booking.active_booking(waiting)
    leave = f"{manage_link(waiting)}/bookings/{held.id}/cancel"
    submit(client, leave)

    words = text_of(client.get(leave, follow_redirects=True).get_data(as_text=True))
    assert f"You are no longer booked or on the waiting list at {MOSELEY}" in words
    assert "given up" not in words


def test_withdrawing_while_waiting_says_it_leaves_the_waiting_list(client, one_table):
    booked(one_table, "maya@example.org")
    waiting = booked(one_table, "ravi@example.org")
    page = client.get(f"{manage_link(waiting)}/requests/{waiting.id}/withdraw")
    words = text_of(page.get_data(as_text=True))
    assert f"You also leave the waiting list at {MOSELEY}" in words
    assert "your place goes to another group" not in words


def test_withdrawing_with_a_table_says_the_table_goes_to_another_group(client, one_table):
    holder = booked(one_table, "maya@example.org")
    words = text_of(
        client.get(f"{manage_link(holder)}/requests/{holder.id}/withdraw").get_data(as_text=True)
    )
    assert f"You also give up your place at {MOSELEY}, for another group to have" in words


# 5. Long answers are counted, never cut off, and refused with a clear message.


def test_the_goal_box_counts_characters_and_never_cuts_them(client):
    page = client.get("/ask/goal").get_data(as_text=True)

    textarea = re.search(r"<textarea[^>]*>", page).group(0)
    assert "maxlength" not in textarea
    assert 'id="goal-info"' in page and "You can enter up to 1,000 characters" in page
    assert "goal-info" in re.search(r'aria-describedby="([^"]+)"', textarea).group(1)
    assert 'data-module="character-count"' in page and 'data-maxlength="1000"' in page
    assert re.search(r'<script src="/static/js/character-count\.js[^"]*" defer>', page)


def test_too_long_a_goal_is_refused_and_kept_as_typed(client):
    typed = "x" * 1001
    response = submit(client, "/ask/goal", {"goal": typed})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "What you want to achieve must be 1,000 characters or fewer" in page
    assert typed in page, "what was typed comes back whole, to be shortened by its writer"


def test_a_line_break_counts_as_one_character_as_the_counter_says(client):
    # 1,000 characters on screen; a browser sends the line break as two.
    response = submit(client, "/ask/goal", {"goal": "x" * 998 + "\r\n" + "y"})
    assert response.status_code == 302


def test_the_access_notes_box_counts_too(client):
    page = client.get("/ask/access").get_data(as_text=True)
    assert "You can enter up to 500 characters" in page
    assert "maxlength" not in re.search(r"<textarea[^>]*>", page).group(0)


def test_the_counting_script_is_a_file_that_announces_politely(app):
    with open(f"{app.static_folder}/js/character-count.js", encoding="utf-8") as source:
        script = source.read()
    assert '"aria-live", "polite"' in script and "maxlength" not in script.lower().replace(
        "data-maxlength", ""
    ).replace("dataset.maxlength", "")


# 6. "Something else" is a skill, last on the list, and the pages are honest about it.


def test_something_else_is_the_last_skill(app):
    assert active_skills()[-1].name == "Something else"


def test_the_skills_step_asks_a_group_to_say_what_something_else_is(client):
    page = client.get("/ask/skills").get_data(as_text=True)
    words = text_of(page)
    assert words.index("AI tools") < words.index("Something else")
    assert "say what it is when we ask what you want to achieve" in words
    goal = text_of(client.get("/ask/goal").get_data(as_text=True))
    assert "If you chose Something else, say what it is" in goal


def test_a_group_asking_only_for_something_else_is_paired_with_a_volunteer_who_offers_it(
    app, host
):
    surgery_session = published_session(host, seats=2, access=(AccessNeed.STEP_FREE,))
    volunteer_signed_up(surgery_session, "Sam Okafor", load=1)  # Facebook and websites only
    helper = volunteer_signed_up(
        surgery_session, "Ravi Shah", load=1, skill_ids=skill_ids("Something else")
    )
    help_request = confirmed_request("maya@example.org", skill_ids=skill_ids("Something else"))

    run_matching(NOW, "test")

    (pairing,) = db.session.scalars(
        db.select(Pairing).where(Pairing.help_request_id == help_request.id)
    )
    assert pairing.signup_id == helper.id
