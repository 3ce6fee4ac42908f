"""Public calendar feeds: every session to come, and each town's, as calendar apps read them."""

from datetime import datetime, time, timedelta

import pytest
from icalendar import Calendar

from surgery import clock
from surgery.clock import LONDON
from surgery.services import sessions
from tests.factories import TODAY, published_session, session_details, weekday_from
from tests.instants import NOW

BASE = "http://127.0.0.1:5000"


@pytest.fixture(autouse=True)
def public_address(app, monkeypatch):
    """The address links are built from (the browser tests' server moves it to its own port)."""
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", BASE)
IN_TWO_WEEKS = weekday_from(TODAY + timedelta(days=14))
IN_THREE_WEEKS = weekday_from(TODAY + timedelta(days=21))
LAST_MONTH = weekday_from(TODAY - timedelta(days=28))
A_MONTH_AGO = NOW - timedelta(days=35)


def at(day, hour) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


@pytest.fixture
def world(app, host):
    """Moseley (B13) and Bath (BA1) published; a cancelled Kings Heath (B14) still to come;
    a draft, and last month's session (and a cancelled one); Wolverhampton (WV1) next month."""
    moseley = published_session(host, day=IN_TWO_WEEKS)
    bath = published_session(
        host,
        title="Bath social media surgery",
        venue_name="Bath Central Library",
        venue_address="The Podium, Northgate Street, Bath",
        postcode="BA1 5AN",
        day=IN_THREE_WEEKS,
        starts=time(10),
        ends=time(12),
    )
    kings_heath = published_session(
        host, title="Kings Heath surgery", postcode="B14 7SA", day=IN_THREE_WEEKS
    )
    sessions.move_session(host, kings_heath, "cancel", NOW)
    sessions.create_session(host, session_details(title="Not yet published"), NOW)
    past = {"day": LAST_MONTH, "title": "Last month's surgery"}
    published_session(host, when=A_MONTH_AGO, **past)
    called_off = published_session(host, when=A_MONTH_AGO, **past | {"title": "Called off"})
    sessions.move_session(host, called_off, "cancel", A_MONTH_AGO)
    wolverhampton = published_session(
        host,
        title="Wolverhampton surgery",
        venue_name="Central Library",
        venue_address="Snow Hill, Wolverhampton",
        postcode="WV1 3AX",
        day=weekday_from(TODAY + timedelta(days=35)),
    )
    return {"moseley": moseley, "bath": bath, "kings heath": kings_heath, "wv": wolverhampton}


def feed(client, path="/sessions.ics", **headers) -> Calendar:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return Calendar.from_ical(response.data)


def events(calendar: Calendar) -> list[tuple]:
    return [
        (str(e["UID"]), str(e["SUMMARY"]), e.decoded("DTSTART"), str(e["STATUS"]))
        for e in calendar.walk("VEVENT")
    ]


def uid(surgery_session) -> str:
    return f"surgery-session-{surgery_session.id}@socialmediasurgery.invalid"


def test_the_feed_lists_sessions_to_come_and_those_called_off_soonest_first(client, world):
    calendar = feed(client)
    moseley, bath, kings_heath, wv = (world[k] for k in ("moseley", "bath", "kings heath", "wv"))
    assert events(calendar) == [
        (uid(moseley), "Moseley social media surgery", at(IN_TWO_WEEKS, 18), "CONFIRMED"),
        (uid(bath), "Bath social media surgery", at(IN_THREE_WEEKS, 10), "CONFIRMED"),
        (uid(kings_heath), "Kings Heath surgery", at(IN_THREE_WEEKS, 18), "CANCELLED"),
        (uid(wv), "Wolverhampton surgery", wv.starts_at, "CONFIRMED"),
    ]
    first = calendar.walk("VEVENT")[0]
    assert first["LOCATION"] == "Moseley Exchange, 149-153 Alcester Road, Birmingham, B13 8JP"
    assert first["URL"] == f"{BASE}/sessions/{moseley.id}"
    assert str(first.decoded("DTSTART").tzinfo) == "Europe/London"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_the_feed_names_itself_and_says_how_often_to_look_again(client, world):
    response = client.get("/sessions.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.data)
    assert calendar["X-WR-CALNAME"] == "Social media surgeries"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert "X-PUBLISHED-TTL:PT1H" in response.get_data(as_text=True).splitlines()


def test_a_town_feed_lists_only_that_towns_sessions(client, world):
    birmingham = feed(client, "/towns/b/sessions.ics")
    assert birmingham["X-WR-CALNAME"] == "Social media surgeries in Birmingham"
    assert [uid for uid, *_ in events(birmingham)] == [
        uid(world["moseley"]),
        uid(world["kings heath"]),
    ], "B is Birmingham: Bath's BA1 is not in it"
    assert [summary for _, summary, *_ in events(feed(client, "/towns/ba/sessions.ics"))] == [
        "Bath social media surgery"
    ]
    wolverhampton = feed(client, "/towns/WV/sessions.ics")
    assert wolverhampton["X-WR-CALNAME"] == "Social media surgeries in Wolverhampton"
    assert [summary for _, summary, *_ in events(wolverhampton)] == ["Wolverhampton surgery"]
    assert events(feed(client, "/towns/ze/sessions.ics")) == []


def test_a_place_that_is_not_a_town_has_no_feed(client, world):
    for slug in ("zz", "b1", "birmingham"):
        assert client.get(f"/towns/{slug}/sessions.ics").status_code == 404


def test_a_cancelled_session_leaves_the_feed_once_it_would_have_ended(client, world):
    kings_heath = world["kings heath"]
    clock.freeze(kings_heath.ends_at - timedelta(minutes=1))
    assert uid(kings_heath) in [uid for uid, *_ in events(feed(client))]
    etag = client.get("/sessions.ics").headers["ETag"]
    clock.freeze(kings_heath.ends_at)
    assert uid(kings_heath) not in [uid for uid, *_ in events(feed(client))]
    assert client.get("/sessions.ics", headers={"If-None-Match": etag}).status_code == 200


def test_a_change_grows_the_sequence_and_the_same_event_is_in_the_sessions_own_file(
    client, host, world
):
    moseley = world["moseley"]
    before = feed(client).walk("VEVENT")[0]
    details = session_details(day=IN_TWO_WEEKS, starts=time(18, 30), ends=time(20))
    sessions.update_session(host, moseley, details, NOW)
    after = feed(client).walk("VEVENT")[0]
    assert after["UID"] == before["UID"] == uid(moseley)
    assert (int(before["SEQUENCE"]), int(after["SEQUENCE"])) == (1, 2)
    assert after.decoded("DTSTART") == datetime.combine(IN_TWO_WEEKS, time(18, 30), LONDON)
    (own,) = Calendar.from_ical(client.get(f"/sessions/{moseley.id}.ics").data).walk("VEVENT")
    assert own.to_ical() == after.to_ical()


def test_a_calendar_app_that_has_the_feed_already_is_told_so(client, host, world, monkeypatch):
    first = client.get("/sessions.ics")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert modified == NOW.strftime("%a, %d %b %Y %H:%M:%S GMT")
    with monkeypatch.context() as patched:
        # Telling it so costs a query, not the building of the file.
        patched.setattr("surgery.notify.calendar.sessions_feed", None)
        not_modified = client.get("/sessions.ics", headers={"If-None-Match": etag})
        assert not_modified.status_code == 304 and not_modified.data == b""
        assert not_modified.headers["ETag"] == etag
        since = client.get("/sessions.ics", headers={"If-Modified-Since": modified})
        assert since.status_code == 304
    clock.freeze(NOW + timedelta(hours=1))
    sessions.update_session(host, world["bath"], session_details(day=IN_THREE_WEEKS), NOW)
    changed = client.get("/sessions.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert client.get("/sessions.ics", headers={"If-Modified-Since": modified}).status_code == 200
    unchanged_town = client.get("/towns/wv/sessions.ics")
    again = {"If-None-Match": unchanged_town.headers["ETag"]}
    assert client.get("/towns/wv/sessions.ics", headers=again).status_code == 304


def test_an_empty_feed_is_still_a_calendar(client, app):
    calendar = feed(client)
    assert calendar["X-WR-CALNAME"] == "Social media surgeries" and events(calendar) == []
    assert "Last-Modified" not in client.get("/sessions.ics").headers


def test_the_finder_offers_its_towns_feed_and_every_sessions_feed(client, world):
    page = client.get("/sessions?postcode=B13+8JP&within_km=10").get_data(as_text=True)
    assert 'href="webcal://127.0.0.1:5000/towns/b/sessions.ics"' in page
    assert f'href="{BASE}/towns/b/sessions.ics" download' in page
    assert "Subscribe to sessions in Birmingham (B postcodes) in your calendar app" in page
    assert 'href="webcal://127.0.0.1:5000/sessions.ics"' in page
    assert "Subscribe to every upcoming session in your calendar app" in page
    before_searching = client.get("/sessions").get_data(as_text=True)
    assert "/towns/" not in before_searching
    assert 'href="webcal://127.0.0.1:5000/sessions.ics"' in before_searching
    home = client.get("/").get_data(as_text=True)
    assert 'href="webcal://127.0.0.1:5000/sessions.ics"' in home


def test_feed_links_follow_the_public_address_with_the_webcal_scheme(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://surgery.example.org/uk")
    page = client.get("/sessions?postcode=WV1&within_km=5").get_data(as_text=True)
    assert 'href="webcal://surgery.example.org/uk/towns/wv/sessions.ics"' in page
    assert 'href="https://surgery.example.org/uk/towns/wv/sessions.ics" download' in page
