"""Asking for help through the pages, one question at a time."""

from surgery.extensions import db
from surgery.models import HelpRequest, RequestStatus
from tests.web.forms import csrf_token, submit
from tests.web.journeys import ask_answers, walk


def test_a_group_asks_for_help_and_is_told_what_happens_next(client, mailbox):
    response = walk(client, "/ask", ask_answers())

    assert response.request.path == "/ask/sent"
    page = response.get_data(as_text=True)
    assert "Check your email" in page and "What happens next" in page
    (help_request,) = db.session.scalars(db.select(HelpRequest))
    assert help_request.status is RequestStatus.UNCONFIRMED
    assert help_request.organisation_name == "Ladywood Food Bank"
    assert help_request.consent_follow_up is True and help_request.consent_share_story is False
    assert len(mailbox.to("maya@example.org")) == 1


def test_check_your_answers_shows_each_answer_in_words(client):
    steps = ask_answers()
    for slug, data in steps.items():
        submit(client, f"/ask/{slug}", data)
    page = client.get("/ask/check").get_data(as_text=True)
    for words in ["Maya Patel", "Charity", "B16 8AB", "Facebook, Email newsletters", "First steps",
                  "Up to 5 km", "Step-free access", "Emails after the session"]:
        assert words in page
    assert 'href="/ask/postcode?change=1"' in page


def test_changing_an_answer_returns_to_check_your_answers(client):
    for slug, data in ask_answers().items():
        submit(client, f"/ask/{slug}", data)
    response = submit(client, "/ask/postcode?change=1", {"postcode": "B15"})
    assert response.headers["Location"] == "/ask/check"
    page = client.get("/ask/check").get_data(as_text=True)
    assert '<dd class="summary__value">B15</dd>' in page


def test_check_your_answers_sends_you_back_to_anything_unanswered(client):
    submit(client, "/ask/contact", ask_answers()["contact"])
    response = client.get("/ask/check")
    assert response.headers["Location"] == "/ask/group"


def test_an_unknown_postcode_says_what_to_fix_and_keeps_what_was_typed(client):
    response = submit(client, "/ask/postcode", {"postcode": "B15 9ZZ"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#postcode">We couldn&#39;t find B15 9ZZ' in page
    assert 'value="B15 9ZZ"' in page
    assert "<title>Error: What is your postcode?" in page


def test_a_postcode_in_northern_ireland_is_explained(client):
    page = submit(client, "/ask/postcode", {"postcode": "BT1 1AA"}).get_data(as_text=True)
    assert "Northern Ireland" in page


def test_a_missing_skill_is_asked_for(client):
    page = submit(client, "/ask/skills", {}).get_data(as_text=True)
    assert 'href="#skills-0">Choose at least one thing from the list' in page


def test_an_impossible_email_says_what_to_fix_and_keeps_the_name(client):
    data = {"name": "Maya Patel", "email": "maya@@example", "phone": ""}
    page = submit(client, "/ask/contact", data).get_data(as_text=True)
    assert "Enter an email address in the right format, like name@example.com" in page
    assert 'value="Maya Patel"' in page


def test_reversed_dates_are_refused_and_kept(client):
    when = ask_answers()["when"]
    when["earliest_date"], when["latest_date"] = when["latest_date"], when["earliest_date"]
    page = submit(client, "/ask/when", when).get_data(as_text=True)
    assert "The last date you could come must be on or after the first date" in page
    assert f'value="{when["earliest_date"]}"' in page
    assert 'value="weekends" checked' in page or 'checked id="availability-2"' in page


def test_a_date_in_the_past_is_refused(client):
    when = ask_answers()["when"] | {"earliest_date": "2020-01-01"}
    page = submit(client, "/ask/when", when).get_data(as_text=True)
    assert "The first date you could come must be today or later" in page


def test_a_date_that_is_not_a_date_is_refused(client):
    when = ask_answers()["when"] | {"earliest_date": "31/02/2027"}
    page = submit(client, "/ask/when", when).get_data(as_text=True)
    assert "Enter the first date you could come as a real date" in page


def test_every_text_answer_has_a_limit_with_a_plain_message(client):
    cases = [
        ("contact", {"name": "x" * 101, "email": "a@example.org"}, "100 characters or fewer"),
        ("group", {"organisation_name": "x" * 121, "organisation_kind": "kind"}, "120 characters"),
        ("goal", {"goal": "x" * 1001}, "must be 1,000 characters or fewer"),
        ("access", {"access_notes": "x" * 501}, "must be 500 characters or fewer"),
        ("postcode", {"postcode": "x" * 11}, "A postcode must be 10 characters or fewer"),
    ]
    for slug, data, message in cases:
        page = submit(client, f"/ask/{slug}", data).get_data(as_text=True)
        assert message in page, slug


def test_a_form_sent_without_its_token_gets_a_friendly_page(client):
    response = client.post("/ask/contact", data={"name": "Maya"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Your session timed out, please try again" in page
    assert "Traceback" not in page


def test_a_request_body_over_64_kb_is_refused_with_413(client):
    page = client.get("/ask/goal").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "goal": "x" * (65 * 1024)}
    response = client.post("/ask/goal", data=data)
    assert response.status_code == 413
    assert "That was too much to send" in response.get_data(as_text=True)


def test_sending_twice_from_check_your_answers_makes_one_request(client, mailbox):
    for slug, data in ask_answers().items():
        submit(client, f"/ask/{slug}", data)
    page = client.get("/ask/check").get_data(as_text=True)
    token = csrf_token(page)
    client.post("/ask/check", data={"csrf_token": token})
    second = client.post("/ask/check", data={"csrf_token": token})
    assert second.headers["Location"] == "/ask/contact", "the draft is gone: start again"
    assert db.session.scalar(db.select(db.func.count(HelpRequest.id))) == 1
    assert len(mailbox.received) == 1
