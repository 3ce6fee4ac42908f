"""The list of sessions partners show in a frame on their websites: the only page one may frame."""

from datetime import time, timedelta

import pytest

from surgery.extensions import db
from surgery.services import sessions
from surgery.web.helpers import when
from tests.factories import TODAY, published_session, session_details, weekday_from
from tests.instants import NOW
from tests.web.test_security_headers import policy

IN_TWO_WEEKS = weekday_from(TODAY + timedelta(days=14))
IN_THREE_WEEKS = weekday_from(TODAY + timedelta(days=21))


@pytest.fixture
def world(app, host):
    """Near B13: Moseley in two weeks (2 of 6 tables taken) and Kings Heath (B14, full) in three;
    a cancelled one and a draft there too; Wolverhampton (WV1), 25 km off, in three weeks."""
    moseley = published_session(host, day=IN_TWO_WEEKS)
    moseley.seats_taken = 2
    kings_heath = published_session(
        host, title="Kings Heath surgery", postcode="B14 7SA", day=IN_THREE_WEEKS, seats=1
    )
    kings_heath.seats_taken = 1
    db.session.commit()
    called_off = published_session(host, title="Called off", day=IN_TWO_WEEKS)
    sessions.move_session(host, called_off, "cancel", NOW)
    sessions.create_session(host, session_details(title="Not yet published"), NOW)
    wolverhampton = published_session(
        host,
        title="Wolverhampton surgery",
        venue_name="Central Library",
        postcode="WV1 3AX",
        day=IN_THREE_WEEKS,
    )
    return {"moseley": moseley, "kings heath": kings_heath, "wv": wolverhampton}


def test_the_list_shows_the_next_sessions_near_a_place_soonest_first(client, world):
    response = client.get("/embed/sessions?postcode=B13&within_km=10")
    page = response.get_data(as_text=True)
    moseley, kings_heath = world["moseley"], world["kings heath"]
    assert response.status_code == 200
    assert "<h1>Social media surgeries near B13</h1>" in page
    assert page.count('class="embed-session"') == 2
    assert page.index("Moseley social media surgery") < page.index("Kings Heath surgery")
    assert when(moseley.starts_at, moseley.ends_at) in page
    assert "Moseley Exchange, B13 (1.2 km away)" in page
    assert "4 of 6 tables free" in page
    assert "Full: there is a waiting list" in page
    assert f'<a href="/sessions/{moseley.id}" target="_top">' in page
    assert f'<a href="/sessions/{kings_heath.id}" target="_top">' in page
    assert 'href="/sessions?postcode=B13&amp;within_km=10#results" target="_top"' in page
    for absent in ("Called off", "Not yet published", "Wolverhampton surgery"):
        assert absent not in page


def test_the_list_is_the_page_alone_with_our_own_styles_and_no_script(client, world):
    response = client.get("/embed/sessions?postcode=B13")
    page = response.get_data(as_text=True)
    assert "site-header" not in page and "site-footer" not in page
    assert "<script" not in page and "<style" not in page and "style=" not in page
    assert page.count('<link rel="stylesheet"') == 2
    assert 'href="/static/css/embed.css"' in page
    assert "Set-Cookie" not in response.headers


def test_the_list_shows_five_sessions_at_most(client, host, world):
    for days in range(28, 35):
        published_session(host, title=f"Later {days}", day=TODAY + timedelta(days=days))
    page = client.get("/embed/sessions?postcode=B13").get_data(as_text=True)
    assert page.count('class="embed-session"') == 5
    assert "Moseley social media surgery" in page and "Later 28" in page


def test_the_list_of_a_town(client, world):
    page = client.get("/embed/sessions?town=wv").get_data(as_text=True)
    assert "<h1>Social media surgeries in Wolverhampton</h1>" in page
    assert page.count('class="embed-session"') == 1 and "Wolverhampton surgery" in page
    assert "Central Library, WV1</p>" in page


def test_a_place_with_nothing_near_says_so(client, world):
    page = client.get("/embed/sessions?postcode=BA1&within_km=20").get_data(as_text=True)
    assert "No sessions are planned within 20 km yet." in page
    # The next step for a group that finds nothing: ask anyway, in the whole window.
    assert '<a href="/ask" target="_top">Ask for help anyway</a>' in page


@pytest.mark.parametrize(
    "query, message",
    [
        ("postcode=ZZ1", "The postcode “ZZ1” did not work. Enter a real UK postcode"),
        ("postcode=B1+1AA", "The postcode “B1 1AA” did not work. We couldn&#39;t find B1 1AA."),
        ("", "Add a postcode to this list&#39;s address, like ?postcode=WV1."),
        ("postcode=B13&within_km=7", "The distance (within_km) must be one of 5, 10, 20, 40."),
        ("postcode=B13&within_km=ten", "The distance (within_km) must be one of 5, 10, 20, 40."),
        ("town=zz", "There is no town “zz”: use a postcode area, like wv."),
        ("postcode=<script>", "The postcode “&lt;script&gt;” did not work."),
    ],
)
def test_a_wrong_address_is_explained_to_the_partner(client, app, query, message):
    response = client.get(f"/embed/sessions?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert '<a href="/embed" target="_top">How to show our sessions on your website</a>' in page
    assert "<script>" not in page


def test_only_the_list_may_be_framed_by_other_sites(client, world):
    for path in ("/embed/sessions?postcode=B13", "/embed/sessions?postcode=ZZ1"):
        response = client.get(path)
        directives = policy(response)
        assert directives["frame-ancestors"] == "*"
        assert "X-Frame-Options" not in response.headers
        # Framing is the only difference: scripts and styles are as strict as anywhere.
        assert directives["script-src"] == directives["style-src"] == "'self'"
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_no_other_page_may_be_framed(client, app, world):
    without_arguments = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "public.embed_sessions"
    ]
    some_with_arguments = [
        f"/sessions/{world['moseley'].id}",
        f"/sessions/{world['moseley'].id}.ics",
        "/towns/b/sessions.ics",
        "/towns/zz/sessions.ics",
        "/static/css/embed.css",
        "/manage/a1-madeup",
        "/embed/sessions/more",
    ]
    assert len(without_arguments) > 20 and "/embed" in without_arguments
    for path in without_arguments + some_with_arguments:
        response = client.get(path)
        assert policy(response)["frame-ancestors"] == "'none'", path
        assert response.headers["X-Frame-Options"] == "DENY", path
    assert client.post("/embed/sessions").headers["X-Frame-Options"] == "DENY"


def test_partners_are_shown_how_to_embed_the_list(client, app, monkeypatch):
    # Links are built from the public address; the browser tests' server moves it to its port.
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    page = client.get("/embed").get_data(as_text=True)
    assert "<h1>Show our sessions on your website</h1>" in page
    assert (
        '&lt;iframe src="http://127.0.0.1:5000/embed/sessions?postcode=WV1&amp;within_km=10"'
        in page
    )
    assert 'title="Social media surgeries near WV1"' in page
    assert "5, 10, 20, 40" in page
    assert 'href="/embed"' in client.get("/sessions").get_data(as_text=True)


def test_the_list_follows_a_changed_session(client, host, world):
    details = session_details(day=IN_TWO_WEEKS, starts=time(17), ends=time(19), seats=8)
    sessions.update_session(host, world["moseley"], details, NOW)
    page = client.get("/embed/sessions?postcode=B13").get_data(as_text=True)
    moseley = world["moseley"]
    assert when(moseley.starts_at, moseley.ends_at).endswith("5pm to 7pm")
    assert when(moseley.starts_at, moseley.ends_at) in page
    assert "6 of 8 tables free" in page
