"""The open-data API (/api/v1): exact answers on a small hand-built network of sessions.

Birmingham has three sessions to come (Moseley B13 in 2 days, Kings Heath B14 in 3 days,
Edgbaston B15 in 5 days), Bath (BA1) one in 4 days, Manchester (M1) one in 6 days. Not listed:
a draft and a cancelled session in Birmingham, and one in Birmingham that began yesterday.
"""

from calendar import monthrange
from datetime import date, timedelta

import pytest

from surgery import clock
from surgery.clock import utcnow
from surgery.extensions import db
from surgery.models import Skill
from surgery.services import impact, offering, sessions, signups
from tests import impact_world
from tests.factories import (
    NOW,
    TODAY,
    offer_details,
    published_session,
    session_details,
    skill_ids,
    volunteer_signed_up,
)

SESSIONS = "/api/v1/sessions"


def on_day(host, title: str, postcode: str, days: int, **changes):
    day = TODAY + timedelta(days=days)
    return published_session(host, title=title, postcode=postcode, day=day, **changes)


@pytest.fixture
def network(host):
    planned = NOW - timedelta(days=3)
    clock.freeze(planned)
    began = on_day(host, "Yesterday in Digbeth", "B5 5RT", -1, when=planned)
    clock.freeze(NOW)
    built = {
        "moseley": on_day(host, "Moseley", "B13 8JP", 2),
        "kings-heath": on_day(host, "Kings Heath", "B14 7AA", 3),
        "bath": on_day(host, "Bath", "BA1 1LZ", 4),
        "edgbaston": on_day(host, "Edgbaston", "B15 2TT", 5),
        "manchester": on_day(host, "Manchester", "M1 1AE", 6),
        "cancelled": on_day(host, "Cancelled in Aston", "B6 4AA", 3),
        "draft": sessions.create_session(host, session_details(title="A draft"), NOW),
        "began": began,
    }
    sessions.move_session(host, built["cancelled"], "cancel", NOW, reason="The hall flooded.")
    return built


def titles(body: dict) -> list[str]:
    return [found["title"] for found in body["sessions"]]


def test_without_a_postcode_every_upcoming_published_session_comes_soonest_first(client, network):
    body = client.get(SESSIONS).get_json()
    assert titles(body) == ["Moseley", "Kings Heath", "Bath", "Edgbaston", "Manchester"]
    assert (body["page"], body["per_page"], body["pages"], body["total"]) == (1, 20, 1, 5)
    assert (body["next"], body["prev"]) == (None, None)


def test_a_session_shows_only_what_its_public_page_shows(client, app, network):
    moseley = network["moseley"]
    (found, *_) = client.get(SESSIONS).get_json()["sessions"]
    base = app.config["PUBLIC_BASE_URL"]
    assert found == {
        "id": moseley.id,
        "title": "Moseley",
        "status": "published",
        "starts_at": moseley.starts_at.isoformat(),
        "ends_at": moseley.ends_at.isoformat(),
        "venue": "Moseley Exchange",
        "district": "B13",
        "town": {"slug": "b", "name": "Birmingham"},
        "tables": 6,
        "tables_free": 6,
        "access": [],
        "skills": [],
        "url": f"{base}/sessions/{moseley.id}",
        "calendar": f"{base}/sessions/{moseley.id}.ics",
        "updated_at": NOW.isoformat(),
    }


def test_the_town_b_is_birmingham_and_not_bath(client, network):
    birmingham = client.get(SESSIONS, query_string={"town": "b"}).get_json()
    assert titles(birmingham) == ["Moseley", "Kings Heath", "Edgbaston"]
    assert birmingham["total"] == 3
    assert titles(client.get(SESSIONS, query_string={"town": "BA"}).get_json()) == ["Bath"]
    assert client.get(SESSIONS, query_string={"town": "wv"}).get_json()["sessions"] == []


def test_with_a_postcode_sessions_come_nearest_first_with_their_distance(client, network):
    body = client.get(SESSIONS, query_string={"postcode": "B13 9AE", "within_km": 5}).get_json()
    assert titles(body) == ["Moseley", "Kings Heath", "Edgbaston"]
    distances = [found["distance_km"] for found in body["sessions"]]
    assert distances == sorted(distances) and all(0 < d <= 5 for d in distances)
    in_b14 = {"postcode": "B13 9AE", "town": "b", "per_page": 1, "page": 2}
    assert titles(client.get(SESSIONS, query_string=in_b14).get_json()) == ["Kings Heath"]


def test_pages_say_where_the_next_and_previous_ones_are(client, app, network):
    address = f"{app.config['PUBLIC_BASE_URL']}{SESSIONS}"
    first = client.get(SESSIONS, query_string={"per_page": 2})
    body = first.get_json()
    assert titles(body) == ["Moseley", "Kings Heath"]
    assert (body["page"], body["pages"], body["total"]) == (1, 3, 5)
    assert (body["prev"], body["next"]) == (None, f"{address}?page=2&per_page=2")
    assert first.headers["Link"] == (
        f'<{address}?page=1&per_page=2>; rel="first", '
        f'<{address}?page=2&per_page=2>; rel="next", '
        f'<{address}?page=3&per_page=2>; rel="last"'
    )
    last = client.get(SESSIONS, query_string={"per_page": 2, "page": 3}).get_json()
    assert titles(last) == ["Manchester"]
    assert (last["prev"], last["next"]) == (f"{address}?page=2&per_page=2", None)
    beyond = client.get(SESSIONS, query_string={"per_page": 2, "page": 4}).get_json()
    assert beyond["sessions"] == [] and beyond["prev"] == f"{address}?page=3&per_page=2"
    in_town = client.get(SESSIONS, query_string={"town": "b", "per_page": 1}).get_json()
    assert in_town["next"] == f"{address}?town=b&page=2&per_page=1"


def test_a_page_holds_at_most_a_hundred(client, host):
    for days in range(1, 102):
        on_day(host, f"Day {days}", "B13 8JP", days)
    body = client.get(SESSIONS, query_string={"per_page": 100, "page": 2}).get_json()
    assert (body["pages"], body["total"], titles(body)) == (2, 101, ["Day 101"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"per_page": 0}, "Check per_page. How many results a page holds. From 1 to 100."),
        ({"per_page": 101}, "Check per_page. How many results a page holds. From 1 to 100."),
        ({"page": 0}, "Check page. Which page of results, from 1. From 1 to 100000."),
        ({"page": "two"}, "page must be a whole number."),
        ({"page": "1_0"}, "page must be a whole number."),
        ({"within_km": 10}, "within_km needs a postcode to measure from."),
        ({"postcode": "B13", "within_km": 7}, "Check within_km."),
        ({"postcode": "nonsense"}, "real UK postcode"),
        ({"town": "zz"}, "town: 'zz' is not a UK postcode area."),
        ({"town": "b1"}, "Check town."),
        ({"town": "b\n"}, "Check town."),
        ({"page": ["1", "2"]}, "Give page once."),
    ],
)
def test_a_parameter_it_cannot_take_is_a_400_saying_why(client, query, message):
    response = client.get(SESSIONS, query_string=query)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_one_public_session_by_its_id_and_never_a_draft(client, network):
    moseley = client.get(f"{SESSIONS}/{network['moseley'].id}")
    assert moseley.status_code == 200 and moseley.get_json()["title"] == "Moseley"
    cancelled = client.get(f"{SESSIONS}/{network['cancelled'].id}").get_json()
    assert cancelled["status"] == "cancelled"
    for missing in (network["draft"].id, 999999):
        response = client.get(f"{SESSIONS}/{missing}")
        assert response.status_code == 404
        assert response.get_json()["error"] == "No public session has this id."


def test_towns_with_how_many_sessions_each_has_coming(client, app, network):
    base = app.config["PUBLIC_BASE_URL"]
    towns = client.get("/api/v1/towns").get_json()["towns"]
    assert [(t["name"], t["upcoming_sessions"]) for t in towns] == [
        ("Bath", 1),
        ("Birmingham", 3),
        ("Manchester", 1),
    ]
    assert towns[1] == {
        "slug": "b",
        "name": "Birmingham",
        "upcoming_sessions": 3,
        "sessions": f"{base}/api/v1/sessions?town=b",
        "calendar": f"{base}/towns/b/sessions.ics",
    }


@pytest.fixture
def video_retired(app):
    """Video retired for one test: skills are reference data, kept between tests."""
    retired = db.session.scalar(db.select(Skill).where(Skill.slug == "video"))
    retired.active = False
    db.session.commit()
    yield
    retired.active = True
    db.session.commit()


def test_skills_are_the_active_ones_in_the_forms_order(client, video_retired):
    skills = client.get("/api/v1/skills").get_json()["skills"]
    assert skills[:2] == [
        {"slug": "facebook", "name": "Facebook"},
        {"slug": "instagram", "name": "Instagram"},
    ]
    assert len(skills) == 12 and {"slug": "video", "name": "Video"} not in skills


def test_an_unchanged_answer_is_a_304_by_its_etag_or_its_date(client, host, network):
    first = client.get(SESSIONS)
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert first.last_modified == NOW
    by_etag = client.get(SESSIONS, headers={"If-None-Match": first.headers["ETag"]})
    by_date = client.get(SESSIONS, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    for unchanged in (by_etag, by_date):
        assert (unchanged.status_code, unchanged.data) == (304, b"")
        assert unchanged.headers["ETag"] == first.headers["ETag"]

    clock.freeze(NOW + timedelta(minutes=5))
    sessions.update_session(
        host, network["bath"], session_details(title="Bath, later", postcode="BA1 1LZ"), utcnow()
    )
    by_etag = client.get(SESSIONS, headers={"If-None-Match": first.headers["ETag"]})
    by_date = client.get(SESSIONS, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert (by_etag.status_code, by_date.status_code) == (200, 200)
    assert by_etag.last_modified == NOW + timedelta(minutes=5)
    assert "Bath, later" in titles(by_etag.get_json())


def test_a_session_starting_or_a_volunteer_signing_up_moves_last_modified_on(client, host, network):
    seen = client.get(f"{SESSIONS}/{network['moseley'].id}")
    clock.freeze(NOW + timedelta(minutes=2))
    volunteer_signed_up(network["moseley"], when=utcnow())
    again = client.get(f"{SESSIONS}/{network['moseley'].id}")
    assert again.last_modified == NOW + timedelta(minutes=2) > seen.last_modified
    assert again.get_json()["skills"] == ["Facebook", "Blogging and websites"]

    listed = client.get(SESSIONS, query_string={"town": "b"})
    moseley_starts = network["moseley"].starts_at
    clock.freeze(moseley_starts + timedelta(minutes=1))
    later = client.get(SESSIONS, headers={"If-Modified-Since": listed.headers["Last-Modified"]})
    assert later.status_code == 200 and later.last_modified == moseley_starts


def test_a_volunteer_withdrawing_or_signing_up_again_moves_last_modified_on(client, network):
    moseley = network["moseley"]
    signup = volunteer_signed_up(moseley, when=utcnow())
    one = f"{SESSIONS}/{moseley.id}"
    near = f"{SESSIONS}?postcode=B13+8JP&within_km=5"
    seen = {path: client.get(path) for path in (one, near)}
    assert seen[one].get_json()["skills"] == ["Facebook", "Blogging and websites"]

    for minutes, change in ((3, signups.withdraw_signup), (6, None)):
        clock.freeze(NOW + timedelta(minutes=minutes))
        if change is None:
            signups.sign_up(signup.volunteer, moseley, 1, utcnow())
        else:
            change(signup, utcnow())
        for path, before in seen.items():
            since = {"If-Modified-Since": before.headers["Last-Modified"]}
            after = client.get(path, headers=since)
            assert after.status_code == 200, path
            assert after.last_modified == NOW + timedelta(minutes=minutes), path
            seen[path] = after
    assert seen[one].get_json()["skills"] == ["Facebook", "Blogging and websites"]


def test_a_volunteer_changing_their_skills_moves_last_modified_on(client, network):
    moseley = network["moseley"]
    signup = volunteer_signed_up(moseley, when=utcnow())
    path = f"{SESSIONS}/{moseley.id}"
    seen = client.get(path)
    clock.freeze(NOW + timedelta(minutes=4))
    instagram = offer_details(skill_ids=skill_ids("Instagram"))
    offering.update_volunteer(signup.volunteer, "Sam Okafor", instagram, utcnow())
    since = {"If-Modified-Since": seen.headers["Last-Modified"]}
    after = client.get(path, headers=since)
    assert after.status_code == 200
    assert after.last_modified == NOW + timedelta(minutes=4)
    assert after.get_json()["skills"] == ["Instagram"]


def test_skills_and_the_document_have_an_etag_and_no_date(client):
    for path in ("/api/v1/skills", "/api/v1/openapi.json"):
        first = client.get(path)
        assert first.headers["ETag"] and "Last-Modified" not in first.headers
        again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304


def test_any_site_may_read_the_api_but_not_the_pages(client, network):
    origin = {"Origin": "https://news.example"}
    answer = client.get(SESSIONS, headers=origin)
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer.headers
    assert "ETag" in answer.headers["Access-Control-Expose-Headers"]
    preflight = client.options(SESSIONS, headers=origin | {"Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert set(preflight.headers["Access-Control-Allow-Methods"].split(", ")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    head = client.head(SESSIONS, headers=origin)
    assert (head.status_code, head.data, head.headers["ETag"]) == (200, b"", answer.headers["ETag"])
    unchanged = client.get(SESSIONS, headers=origin | {"If-None-Match": answer.headers["ETag"]})
    assert unchanged.status_code == 304
    assert unchanged.headers["Access-Control-Allow-Origin"] == "*"
    for page in ("/", "/sessions", f"/sessions/{network['moseley'].id}"):
        assert "Access-Control-Allow-Origin" not in client.get(page, headers=origin).headers


def test_impact_figures_are_the_pages_without_the_stories(client, host):
    impact_world.build(host)
    everywhere = client.get("/api/v1/impact").get_json()
    expected = impact.measure().as_public_json()
    expected.pop("stories")
    assert everywhere == expected
    assert (everywhere["sessions_held"], everywhere["groups_helped"]) == (3, 6)
    assert "stories" not in everywhere
    wolverhampton = client.get("/api/v1/impact", query_string={"town": "wv"}).get_json()
    assert (wolverhampton["sessions_held"], wolverhampton["groups_helped"]) == (1, None)
    # Moseley (40 days ago) and Bath (10); not Wolverhampton (200).
    recent = {"from": month_start(TODAY - timedelta(days=60)), "to": month_end(TODAY)}
    assert client.get("/api/v1/impact", query_string=recent).get_json()["sessions_held"] == 2


def month_start(day: date) -> str:
    return day.replace(day=1).isoformat()


def month_end(day: date) -> str:
    return day.replace(day=monthrange(day.year, day.month)[1]).isoformat()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": f"{TODAY.year}-13-01"}, "from must be a real date written YYYY-MM-DD."),
        ({"to": TODAY.strftime("%Y%m%d")}, "to must be a real date written YYYY-MM-DD."),
        ({"from": "1999-12-31"}, "Choose days from 2000 to 2099."),
        (
            {"from": month_start(TODAY), "to": month_end(TODAY.replace(day=1) - timedelta(days=1))},
            "to must be on or after from.",
        ),
        ({"from": TODAY.replace(day=15).isoformat()}, "from must be the first day of a month."),
        ({"to": month_start(TODAY)}, "to must be the last day of a month."),
        ({"period": "year", "from": month_start(TODAY)}, "Give period, or from and to: not both."),
        ({"town": "xx"}, "town: 'xx' is not a UK postcode area."),
    ],
)
def test_impact_refuses_days_it_cannot_count(client, query, message):
    response = client.get("/api/v1/impact", query_string=query)
    assert (response.status_code, response.get_json()["error"]) == (400, message)


def test_every_api_route_is_in_the_document_and_nothing_else(client, app):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<int:session_id>", "{session_id}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert set(document["paths"]) == routes
