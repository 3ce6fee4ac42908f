"""Every busy page asks the database a fixed, small number of questions, however many rows it shows.

Each page is loaded twice: over a small data set and over a large one. The SQL statements sent
are counted (every statement the engine executes, none left out) and must be at most
MOST_QUERIES and the same for both sizes: a count that grows with the rows is a query per row.
The counts are pinned exactly, so a change that adds a query says which page it touched.
The same counts hold on SQLite and PostgreSQL (the suite runs on both, through DATABASE_URL).
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from surgery.extensions import db
from surgery.models import Asker, HelpRequest, Volunteer
from surgery.services import finding, reviewing, signups, tokens
from surgery.services.matching import run_matching
from tests.factories import (
    NOW,
    PASSWORD,
    TODAY,
    confirmed_request,
    published_session,
    skill_ids,
    volunteer_signed_up,
    weekday_from,
)
from tests.sql import statements_sent
from tests.web.forms import submit

MOST_QUERIES = 8

# The skills volunteers bring, in turns: many skills for pages that list them, and each set with
# one the groups ask for (Facebook, Email newsletters) so the matcher pairs every group.
SKILL_SETS = (
    ("Facebook", "Blogging and websites"),
    ("Instagram", "Email newsletters", "Video"),
    ("Canva and design", "Online safety and privacy", "Facebook"),
)


def queries_for(client, url: str, status: int = 200) -> int:
    """Load a page the way a browser would the first time, and count the statements it sent."""
    finding.forget_found()  # the finder's short-lived copy starts empty: count the real work
    with statements_sent() as statements:
        response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    return len(statements)


def assert_fixed(page: str, expected: int, few: int, many: int) -> None:
    assert (few, many) == (expected, expected), (
        f"{page}: {few} queries with few rows and {many} with many; pinned at {expected}"
    )
    assert expected <= MOST_QUERIES


def session_on(host, day_offset: int, **changes):
    """A published session near Moseley, a day apart from the others, with room for 30 groups."""
    day = weekday_from(TODAY + timedelta(days=14 + day_offset))
    return published_session(host, day=day, **({"seats": 30} | changes))


def volunteers_at(surgery_sessions, count: int, load: int = 2) -> None:
    """Sign `count` new volunteers, with varied skills, up to every one of the sessions."""
    first, *rest = surgery_sessions
    for number in range(count):
        skills = skill_ids(*SKILL_SETS[number % len(SKILL_SETS)])
        name = f"Volunteer{first.id}x{number} Test"
        signup = volunteer_signed_up(first, name, load, skill_ids=skills)
        for surgery_session in rest:
            signups.sign_up(signup.volunteer, surgery_session, load, NOW)


# How many statements each page sends: pinned, so a regression names its page.
# The sessions' stamp; the page's sessions, nearest first, with their skills on offer and how
# many are in reach. However many are in reach, only the page's sessions are read.
FINDER = 2
SESSION_PAGE = 3  # the session, its hosts, the skills on offer
SESSION_ICS = 2  # the session, its hosts
HOME = 0
ASK_START = 0
ASK_FIRST_STEP = 0
GROUP_PAGE = 8
# The host, the session with its hosts, its volunteers, its groups, its pairings, the skill list;
# when it is full, the groups that could come (the open requests around it, and the pairs ruled
# out there), which a second load within the minute takes from its kept copy.
HOST_SESSION = 8
HOST_SESSION_AGAIN = 6
API_NEAR = 3  # the finder's 2, when the list last changed (1)
API_LIST = 5  # how many, one page, their hosts, the skills, when the list last changed (1)
EMBED = 1  # the next five in reach, soonest first (a partner's list shows no hosts nor skills)
# The volunteer and their skills; what they have given (sessions, groups); the sessions ahead
# they signed up to; the pairings agreed there, and those groups with their contacts.
VOLUNTEER_PAGE = 7

FINDER_URL = "/sessions?postcode=B13+8JP&within_km=10"


def test_a_partners_list_reads_only_the_next_five_however_many_are_near(app, client, host):
    url = "/embed/sessions?postcode=B13+8JP&within_km=10"
    volunteers_at([session_on(host, day) for day in range(2)], 1)
    few = queries_for(client, url)
    volunteers_at([session_on(host, day) for day in range(2, 14)], 2)
    with statements_sent() as statements:
        page = client.get(url).get_data(as_text=True)
    assert page.count('class="embed-session"') == 5
    assert_fixed("a partner's list", EMBED, few, len(statements))


def test_the_finder_asks_the_same_whatever_it_finds(app, client, host):
    first = [session_on(host, day) for day in range(2)]
    volunteers_at(first, 1)
    few = queries_for(client, FINDER_URL)

    more = [session_on(host, day) for day in range(2, 12)]
    volunteers_at(more, 3)
    many = queries_for(client, FINDER_URL)
    assert_fixed("the finder", FINDER, few, many)


def test_a_search_that_finds_nothing_asks_only_the_stamp_and_the_search(app, client, host):
    volunteers_at([session_on(host, day) for day in range(12)], 1)
    url = "/sessions?postcode=M1+1AE&within_km=5"  # Manchester: nothing near
    assert queries_for(client, url) == FINDER
    assert "No sessions are planned within 5 km" in client.get(url).get_data(as_text=True)


def test_the_same_search_again_is_kept_and_its_next_page_reads_only_that_page(app, client, host):
    volunteers_at([session_on(host, day) for day in range(12)], 2)
    assert queries_for(client, FINDER_URL) == FINDER
    with statements_sent() as again:
        assert client.get(FINDER_URL).status_code == 200
    with statements_sent() as next_page:
        assert client.get(FINDER_URL + "&page=2").status_code == 200
    assert (len(again), len(next_page)) == (0, 1)  # the page's sessions with their skills


def test_the_same_api_search_again_is_answered_from_its_kept_copy(app, client, host):
    volunteers_at([session_on(host, day) for day in range(4)], 2)
    url = "/api/v1/sessions?postcode=B13+8JP&within_km=10"
    first = client.get(url)
    with statements_sent() as again:
        second = client.get(url)
    assert len(again) == 0 and second.get_json() == first.get_json()
    assert second.headers["Last-Modified"] == first.headers["Last-Modified"]


def test_a_session_page_asks_the_same_however_many_volunteers(app, client, host):
    small, big = session_on(host, 0), session_on(host, 1)
    volunteers_at([small], 1)
    volunteers_at([big], 12)
    few = queries_for(client, f"/sessions/{small.id}")
    many = queries_for(client, f"/sessions/{big.id}")
    assert_fixed("a session page", SESSION_PAGE, few, many)


def test_a_session_calendar_file_asks_the_same(app, client, host):
    small, big = session_on(host, 0), session_on(host, 1)
    volunteers_at([small], 1)
    volunteers_at([big], 12)
    few = queries_for(client, f"/sessions/{small.id}.ics")
    many = queries_for(client, f"/sessions/{big.id}.ics")
    assert_fixed("a session's .ics", SESSION_ICS, few, many)


def test_the_home_page_and_the_first_steps_of_asking(app, client, host):
    few = [queries_for(client, url) for url in ("/", "/ask", "/ask/contact")]
    volunteers_at([session_on(host, day) for day in range(6)], 3)
    many = [queries_for(client, url) for url in ("/", "/ask", "/ask/contact")]
    assert_fixed("the home page", HOME, few[0], many[0])
    assert_fixed("the start of asking", ASK_START, few[1], many[1])
    assert_fixed("the first step of asking", ASK_FIRST_STEP, few[2], many[2])


def paired_requests(host, surgery_session, count: int, prefix: str) -> list[HelpRequest]:
    """`count` groups near Moseley, paired at the session by the matcher and agreed by its host."""
    emails = (f"{prefix}{number}@example.org" for number in range(count))
    made = [confirmed_request(email, access_needs=()) for email in emails]
    run_matching(NOW, "test")
    reviewing.confirm_all(host, surgery_session, NOW)
    return made


def test_a_hosts_session_page_asks_the_same_with_30_pairings(app, client, host):
    """Both sessions full, so the page also lists the groups that could come if a table freed."""
    small = session_on(host, 0, seats=1)
    volunteers_at([small], 1, load=1)
    paired_requests(host, small, 1, "one")
    submit(client, "/host/sign-in", {"email": "hana@example.org", "password": PASSWORD})
    few = queries_for(client, f"/host/sessions/{small.id}")

    big = session_on(host, 1)
    volunteers_at([big], 10, load=3)
    paired_requests(host, big, 30, "many")
    assert len(reviewing.pairings_at(big)) == 30
    many = queries_for(client, f"/host/sessions/{big.id}")
    assert_fixed("a host's session page", HOST_SESSION, few, many)
    with statements_sent() as again:
        assert client.get(f"/host/sessions/{big.id}").status_code == 200
    assert len(again) == HOST_SESSION_AGAIN <= MOST_QUERIES


def test_a_groups_private_page_asks_the_same_however_many_requests(app, client, host):
    surgery_session = session_on(host, 0)
    volunteers_at([surgery_session], 2, load=3)
    paired_requests(host, surgery_session, 1, "maya")
    asker = db.session.scalar(db.select(Asker))
    few = queries_for(client, urlsplit(tokens.manage_url(asker)).path)

    for goal in ("Start an Instagram account.", "Send a newsletter.", "Make a short video."):
        confirmed_request("maya0@example.org", goal=goal, access_needs=())
    run_matching(NOW, "test")
    reviewing.confirm_all(host, surgery_session, NOW)
    assert len(db.session.scalars(db.select(HelpRequest)).all()) == 4
    many = queries_for(client, urlsplit(tokens.manage_url(asker)).path)
    assert_fixed("a group's private page", GROUP_PAGE, few, many)


@pytest.mark.parametrize(
    ("page", "url", "expected"),
    [
        ("the API near a postcode", "/api/v1/sessions?postcode=B13+8JP&within_km=10", API_NEAR),
        ("the API's list", "/api/v1/sessions", API_LIST),
    ],
)
def test_the_api_asks_the_same_however_many_sessions(app, client, host, page, url, expected):
    volunteers_at([session_on(host, day) for day in range(2)], 1)
    few = queries_for(client, url)
    volunteers_at([session_on(host, day) for day in range(2, 14)], 3)
    many = queries_for(client, url)
    assert_fixed(page, expected, few, many)


def test_a_volunteers_private_page_asks_the_same_however_many_sessions_they_help_at(
    app, client, host
):
    first = session_on(host, 0)
    volunteers_at([first], 1, load=3)
    paired_requests(host, first, 2, "first")
    volunteer = db.session.scalar(db.select(Volunteer))
    few = queries_for(client, urlsplit(tokens.manage_url(volunteer)).path)

    more = [session_on(host, day) for day in range(1, 5)]
    for surgery_session in more:
        signups.sign_up(volunteer, surgery_session, 3, NOW)
    for number, surgery_session in enumerate(more):
        paired_requests(host, surgery_session, 2, f"more{number}-")
    assert sum(len(h.agreed) for h in signups.helping_ahead(volunteer, NOW)) > 2
    many = queries_for(client, urlsplit(tokens.manage_url(volunteer)).path)
    assert_fixed("a volunteer's private page", VOLUNTEER_PAGE, few, many)
