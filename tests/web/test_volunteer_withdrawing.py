"""A volunteer stops helping at a session: the page asks first and says who will be told."""

import pytest

from surgery.extensions import db
from surgery.models import Signup, SignupStatus
from surgery.services import signups
from surgery.services.tokens import manage_token
from surgery.vocabulary import AccessNeed
from tests.factories import (
    NOW,
    agreed_pairing_for,
    published_session,
    volunteer_signed_up,
)
from tests.web.forms import submit

MOSELEY = "Moseley social media surgery"


@pytest.fixture
def signup(host) -> Signup:
    """Sam, signed up to help two groups at a published evening session near Moseley."""
    step_free = (AccessNeed.STEP_FREE,)  # as the groups ask
    surgery_session = published_session(host, access=step_free)
    return volunteer_signed_up(surgery_session, "Sam Okafor", load=2)


def withdraw_url(signup: Signup) -> str:
    token = manage_token(signup.volunteer)
    return f"/volunteer/manage/{token}/sessions/{signup.session_id}/withdraw"


def test_stopping_asks_first_and_names_the_groups_who_will_be_told(
    client, mailbox, host, signup
):
    agreed_pairing_for(host, signup.surgery_session)
    sessions_page = client.get(f"/volunteer/manage/{manage_token(signup.volunteer)}/sessions")
    assert withdraw_url(signup) in sessions_page.get_data(as_text=True)

    page = " ".join(client.get(withdraw_url(signup)).get_data(as_text=True).split())
    assert f"Are you sure you want to stop helping at {MOSELEY}?" in page
    assert "<li>Ladywood Food Bank</li>" in page
    assert "We will tell the group, and the session's hosts, that you can no longer help" in page
    assert "Yes, stop helping here" in page
    db.session.expire_all()
    assert signup.status is SignupStatus.ACTIVE, "showing the question changes nothing"

    mailbox.received.clear()
    response = submit(client, withdraw_url(signup), follow=True)
    assert "You are no longer signed up to" in response.get_data(as_text=True)
    db.session.expire_all()
    assert signup.status is SignupStatus.WITHDRAWN
    (to_host,) = mailbox.to("hana@example.org")
    assert to_host["Subject"] == f"Sam Okafor can no longer help at {MOSELEY}"
    text = mailbox.text_of(to_host)
    assert text.startswith("Hello Hana,") and "Ladywood Food Bank" in text
    assert mailbox.to("maya@example.org"), "the group is told too"


def test_with_no_groups_yet_the_page_says_only_the_hosts_are_told(client, signup):
    page = client.get(withdraw_url(signup)).get_data(as_text=True)
    assert "No groups are paired with you there yet." in page
    assert "We will tell the session's hosts." in page


def test_a_session_the_volunteer_is_not_helping_at_is_not_found(client, signup):
    signups.withdraw_signup(signup, NOW)
    assert client.get(withdraw_url(signup)).status_code == 404
