"""Issue 15, items 19 and 20: no dead end at the finder's widest distance, booking or volunteering
straight from a result, upcoming sessions town by town, and applying to host from the home page."""

import re
from datetime import timedelta
from html.parser import HTMLParser

from surgery import clock
from surgery.services import booking, sessions
from surgery.services.finding import PAGE_SIZE, WITHIN_CHOICES
from tests.factories import (
    NOW,
    TODAY,
    confirmed_request,
    published_session,
    session_details,
    volunteer_signed_up,
    weekday_from,
)
from tests.sql import statements_sent

TAG = re.compile(r"<[^>]+>")
FINDER = "/sessions?postcode=B13+9AE&within_km={km}"


class Links(HTMLParser):
    """A page's links, each named as a screen reader says it (hidden words included)."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.href: str | None = None
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a":
            self.href, self.text = attributes.get("href"), ""

    def handle_data(self, data):
        if self.href is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "a" and self.href is not None:
            self.found.append((" ".join(self.text.split()), self.href))
            self.href = None


def links_on(client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return dict(Links(response.get_data(as_text=True)).found)


def page_text(client, url: str, status: int = 200) -> str:
    """The page's words, without its tags."""
    response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    return " ".join(TAG.sub("", response.get_data(as_text=True)).split())


def session_in_days(host, days: int, **changes):
    return published_session(host, day=weekday_from(TODAY + timedelta(days=days)), **changes)


# The finder at its widest distance


def test_at_the_widest_distance_nothing_found_offers_help_and_towns_not_a_wider_distance(client):
    text = page_text(client, FINDER.format(km=max(WITHIN_CHOICES)))
    assert f"No sessions are planned within {max(WITHIN_CHOICES)} km of B13 9AE yet" in text
    assert "wider distance" not in text
    links = links_on(client, FINDER.format(km=max(WITHIN_CHOICES)))
    assert links["ask for help"] == "/ask"
    assert links["see the sessions planned in each town"] == "/towns"


def test_below_the_widest_distance_nothing_found_still_suggests_a_wider_one(client):
    text = page_text(client, FINDER.format(km=10))
    assert "No sessions are planned within 10 km of B13 9AE yet. Try a wider distance" in text


# Booking or volunteering from a result


def test_each_result_links_to_booking_a_place_and_to_volunteering_there(client, host):
    surgery_session = published_session(host)
    title = surgery_session.title
    links = links_on(client, FINDER.format(km=10))
    booking_form = f"/sessions/{surgery_session.id}#book"
    assert links[f"Book a place at {title}"] == booking_form
    assert links[f"Volunteer at this session: {title}"] == booking_form
    # The links lead to the session page's own form for the private links to book or sign up.
    session_page = client.get(f"/sessions/{surgery_session.id}").get_data(as_text=True)
    assert "book" in Links(session_page).ids
    after_heading = session_page[session_page.index('id="book"') :]
    assert "Email me the link" in after_heading


def test_a_full_sessions_result_offers_its_waiting_list(client, host):
    surgery_session = published_session(host, seats=1)
    volunteer_signed_up(surgery_session)
    booking.book_place(confirmed_request("maya@example.org"), surgery_session, NOW)
    assert surgery_session.seats_left == 0
    links = links_on(client, FINDER.format(km=10))
    assert links[f"Join the waiting list at {surgery_session.title}"].endswith("#book")
    assert f"Book a place at {surgery_session.title}" not in links


# Upcoming sessions by town


def test_the_towns_page_lists_each_town_with_sessions_coming_and_how_many(client, host):
    session_in_days(host, 14, title="Moseley surgery")
    session_in_days(host, 15, title="Kings Heath surgery", postcode="B14 7AA")
    session_in_days(host, 16, title="Wolverhampton surgery", postcode="WV1 1AA")
    sessions.create_session(host, session_details(postcode="M1 1AE"), NOW)  # a draft

    links = links_on(client, "/towns")
    assert links["Birmingham"] == "/towns/b"
    assert links["Wolverhampton"] == "/towns/wv"
    text = page_text(client, "/towns")
    assert "Birmingham (B postcodes): 2 sessions" in text
    assert "Wolverhampton (WV postcodes): 1 session" in text
    assert "Manchester" not in text
    assert text.index("Birmingham") < text.index("Wolverhampton")


def test_a_town_whose_sessions_have_all_passed_is_not_listed(client, host):
    session_in_days(host, 14, title="Wolverhampton surgery", postcode="WV1 1AA")
    session_in_days(host, 30, title="Moseley surgery")
    clock.freeze(NOW + timedelta(days=25))
    text = page_text(client, "/towns")
    assert "Birmingham" in text and "Wolverhampton" not in text


def test_with_no_sessions_coming_anywhere_the_towns_page_says_what_to_do(client):
    text = page_text(client, "/towns")
    assert "No sessions are planned anywhere yet" in text
    assert links_on(client, "/towns")["ask for help"] == "/ask"


def test_a_towns_page_lists_its_sessions_soonest_first_with_links_to_book(client, host):
    later = session_in_days(host, 21, title="Moseley surgery")
    sooner = session_in_days(host, 14, title="Kings Heath surgery", postcode="B14 7AA")
    session_in_days(host, 15, title="Wolverhampton surgery", postcode="WV1 1AA")

    text = page_text(client, "/towns/b")
    assert "Upcoming sessions in Birmingham" in text
    assert text.index("Kings Heath surgery") < text.index("Moseley surgery")
    assert "Wolverhampton surgery" not in text
    links = links_on(client, "/towns/b")
    assert links[f"Book a place at {sooner.title}"] == f"/sessions/{sooner.id}#book"
    assert links[f"Volunteer at this session: {later.title}"] == f"/sessions/{later.id}#book"
    assert links["Subscribe to sessions in Birmingham in your calendar app"].endswith(
        "/towns/b/sessions.ics"
    )
    assert links["All towns"] == "/towns"


def test_a_towns_sessions_come_a_page_at_a_time(client, host):
    for number in range(PAGE_SIZE + 1):
        session_in_days(host, 14 + number, title=f"Session {number:02}")

    first = page_text(client, "/towns/b")
    assert "Session 00" in first and f"Session {PAGE_SIZE - 1:02}" in first
    assert f"Session {PAGE_SIZE:02}" not in first
    assert "Page 1 of 2" in first
    assert links_on(client, "/towns/b")["Next page"] == "/towns/b?page=2"

    second = page_text(client, "/towns/b?page=2")
    assert f"Session {PAGE_SIZE:02}" in second and "Session 00" not in second
    assert links_on(client, "/towns/b?page=2")["Previous page"] == "/towns/b?page=1"
    # A page past the end (a bookmark from before sessions passed) shows the last one.
    assert "Page 2 of 2" in page_text(client, "/towns/b?page=99")
    assert "Page 1 of 2" in page_text(client, "/towns/b?page=-3")


def test_a_town_with_nothing_coming_says_so_and_an_unknown_town_is_not_found(client):
    text = page_text(client, "/towns/wv")
    assert "No sessions are planned in Wolverhampton at the moment" in text
    assert links_on(client, "/towns/wv")["ask for help"] == "/ask"
    page_text(client, "/towns/zz", status=404)


def test_the_finder_and_the_home_page_link_to_the_towns(client):
    assert links_on(client, "/sessions")["see upcoming sessions town by town"] == "/towns"
    assert links_on(client, "/")["see upcoming sessions town by town"] == "/towns"


# Applying to host from the home page


def test_the_home_page_offers_to_host_a_surgery(client):
    assert links_on(client, "/")["Apply to host"] == "/host/apply"


# How many questions the towns pages ask the database

TOWNS = 2  # the towns that have had sessions, the districts of those to come
TOWN_PAGE = 4  # how many, the page's sessions, their hosts, the skills on offer


def statements_for(client, url: str) -> int:
    with statements_sent() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_the_towns_pages_ask_the_same_however_many_sessions(client, host):
    for number in range(2):
        volunteer_signed_up(session_in_days(host, 14 + number), name=f"Sam{number} Okafor")
    few = statements_for(client, "/towns"), statements_for(client, "/towns/b")

    for number in range(2, 14):
        postcode = "WV1 1AA" if number % 2 else "B13 8JP"
        surgery_session = session_in_days(host, 14 + number, postcode=postcode)
        volunteer_signed_up(surgery_session, name=f"Sam{number} Okafor")
    many = statements_for(client, "/towns"), statements_for(client, "/towns/b")

    assert few == many == (TOWNS, TOWN_PAGE)
