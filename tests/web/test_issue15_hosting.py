"""A host's session page offers only what can be done (issue 15): confirming proposals that can
have a table, swapping to volunteers with room; the matcher's message says what it did; a venue
has a full postcode; distances read one way on every page."""

import re

import pytest

from surgery.extensions import db
from surgery.models import Notification, Pairing, PairingState, SurgerySession
from surgery.services import booking, sessions
from surgery.services.errors import InvalidAnswers
from surgery.services.tell import PLACE_NEWS
from surgery.services.tokens import manage_token
from surgery.web.helpers import distance
from tests.factories import (
    NOW,
    PASSWORD,
    confirmed_request,
    published_session,
    session_details,
    volunteer_signed_up,
)
from tests.web.forms import csrf_token, submit
from tests.web.test_host_sessions import SESSION_FORM


def signed_in(client) -> None:
    submit(client, "/host/sign-in", {"email": "hana@example.org", "password": PASSWORD})


def page_of(client, surgery_session) -> str:
    page = client.get(f"/host/sessions/{surgery_session.id}").get_data(as_text=True)
    return " ".join(page.split())


def post(client, surgery_session, action: str) -> str:
    """Press a button on the session's page; return the page the host is sent back to."""
    url = f"/host/sessions/{surgery_session.id}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    response = client.post(f"{url}/{action}", data={"csrf_token": token}, follow_redirects=True)
    return " ".join(response.get_data(as_text=True).split())


def swap_options(page: str, pairing: Pairing) -> list[str]:
    """The names offered in the swap list of this pairing's card."""
    found = re.search(rf'<select id="swap-{pairing.id}" name="signup_id">(.*?)</select>', page)
    return re.findall(r"<option [^>]*>([^<]*)</option>", found.group(1)) if found else []


def group(email: str):
    """A confirmed group near Moseley, free on weekday evenings, with no access needs."""
    return confirmed_request(email, access_needs=())


def news_for(email: str) -> list[str]:
    """The kinds of message queued for this address about a place, oldest first."""
    query = db.select(Notification.kind).where(
        Notification.recipient == email, Notification.kind.in_(PLACE_NEWS)
    )
    return list(db.session.scalars(query.order_by(Notification.id)))


def live_pairings() -> list[Pairing]:
    db.session.expire_all()
    query = db.select(Pairing).where(Pairing.state != PairingState.DECLINED).order_by(Pairing.id)
    return list(db.session.scalars(query))


def test_confirm_all_is_offered_only_while_a_proposal_can_have_a_table(client, host):
    moseley = published_session(host, seats=1)
    volunteer_signed_up(moseley, load=2)
    group("maya@example.org")
    signed_in(client)
    assert "Confirm all proposals" in post(client, moseley, "match")

    # Another group books the only table before the host confirms.
    booking.book_place(group("ola@example.org"), moseley, NOW)
    page = page_of(client, moseley)

    assert "Proposed: not sent to anyone yet" in page
    assert "Confirm all proposals" not in page
    assert "Every table is taken, so the proposal cannot be confirmed" in page


def test_confirm_all_goes_once_every_proposal_is_confirmed(client, host):
    moseley = published_session(host)
    volunteer_signed_up(moseley)
    group("maya@example.org")
    signed_in(client)
    post(client, moseley, "match")

    page = post(client, moseley, "pairings/confirm-all")

    assert "Confirmed 1 pairing." in page
    assert "Confirm all proposals" not in page
    assert "cannot be confirmed" not in page


def test_the_swap_list_offers_only_the_volunteers_with_room(client, host):
    moseley = published_session(host)
    volunteer_signed_up(moseley, "Sam Okafor", load=1)
    volunteer_signed_up(moseley, "Lucy Chen", load=1)
    volunteer_signed_up(moseley, "Ravi Shah", load=2)
    for email in ("maya@example.org", "ola@example.org", "jo@example.org"):
        group(email)
    signed_in(client)
    post(client, moseley, "match")
    paired = live_pairings()
    assert len(paired) == 3, "Sam and Lucy have one group each; Ravi one of his two"

    page = page_of(client, moseley)

    by_name = {p.signup.volunteer.first_name: p for p in paired}
    assert swap_options(page, by_name["Sam"]) == ["Ravi Shah"]
    assert swap_options(page, by_name["Lucy"]) == ["Ravi Shah"]
    assert swap_options(page, by_name["Ravi"]) == []
    assert "No other volunteer here has room for another group" in page


def test_the_swap_list_says_so_when_nobody_has_room(client, host):
    moseley = published_session(host)
    volunteer_signed_up(moseley, "Sam Okafor", load=1)
    volunteer_signed_up(moseley, "Lucy Chen", load=1)
    group("maya@example.org")
    group("ola@example.org")
    signed_in(client)
    post(client, moseley, "match")

    page = page_of(client, moseley)

    assert 'name="signup_id"' not in page, "no list to choose from"
    assert page.count("No other volunteer here has room for another group") == 2


def test_with_auto_confirm_the_matcher_says_it_confirmed(client, host):
    moseley = published_session(host, auto_confirm=True)
    volunteer_signed_up(moseley)
    group("maya@example.org")
    signed_in(client)

    page = post(client, moseley, "match")

    assert "The matcher confirmed 1 pairing for this session: the group will be emailed." in page
    assert "The matcher proposed" not in page
    assert news_for("maya@example.org") == ["paired"]


def test_without_auto_confirm_the_matcher_says_it_proposed(client, host):
    moseley = published_session(host)
    volunteer_signed_up(moseley)
    group("maya@example.org")
    signed_in(client)

    page = post(client, moseley, "match")

    assert "The matcher proposed 1 pairing for this session." in page
    assert "The matcher confirmed" not in page
    assert news_for("maya@example.org") == [], "a proposal reaches nobody"


def test_the_matcher_says_when_it_found_nobody(client, host):
    moseley = published_session(host, auto_confirm=True)
    volunteer_signed_up(moseley)
    signed_in(client)

    page = post(client, moseley, "match")

    assert "The matcher found no group to pair at this session." in page


@pytest.mark.parametrize("district", ["WV1", "b13"])
def test_a_venue_needs_its_full_postcode(host, district):
    with pytest.raises(InvalidAnswers) as refused:
        sessions.create_session(host, session_details(postcode=district), NOW)
    assert refused.value.errors == {"postcode": "Enter the venue's full postcode, like B13 8JP"}


def test_the_session_form_asks_for_the_full_postcode(client, host):
    signed_in(client)
    response = submit(client, "/host/sessions/new", SESSION_FORM | {"postcode": "WV1"})

    assert response.status_code == 200
    assert "Enter the venue&#39;s full postcode, like B13 8JP" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(SurgerySession)) is None


@pytest.mark.parametrize(
    "km, said",
    [(0.0, "under 100 m"), (0.0999, "under 100 m"), (0.1, "0.1 km"), (2.44, "2.4 km")],
)
def test_a_distance_reads_in_metres_only_under_100_metres(km, said):
    assert distance(km) == said


def test_a_distance_under_100_metres_reads_the_same_on_every_page(client, host):
    moseley = published_session(host, postcode="B13 9AE")
    sam = volunteer_signed_up(moseley, postcode="B13 9AE")
    maya = group("maya@example.org")
    signed_in(client)
    post(client, moseley, "match")

    pages = {
        "host's session": f"/host/sessions/{moseley.id}",
        "group's choice": f"/manage/{manage_token(maya.asker)}/requests/{maya.id}/sessions",
        "volunteer's choice": f"/volunteer/manage/{manage_token(sam.volunteer)}/sessions",
        "finder": "/sessions?postcode=B13+9AE&within_km=5",
        "partner's embed": "/embed/sessions?postcode=B13+9AE&within_km=5",
    }
    for name, url in pages.items():
        page = client.get(url).get_data(as_text=True)
        assert "under 100 m away" in page, name
        assert "0.0 km" not in page, name
