"""Honest caching: the home page is tagged for everyone signed out, and nobody else; the finder
keeps a search for a moment, and a change to a session shows at the very next search (made by
another worker, within a second)."""

from datetime import timedelta

from sqlalchemy import update

from surgery import clock
from surgery.extensions import db
from surgery.models import SessionStatus, SurgerySession
from surgery.services import booking, finding, sessions
from tests.factories import (
    NOW,
    PASSWORD,
    confirmed_request,
    published_session,
    skill_ids,
    volunteer_signed_up,
)
from tests.web.forms import submit

FINDER_URL = "/sessions?postcode=B13+8JP&within_km=10"


def test_the_home_page_signed_out_is_tagged_and_answered_304_when_unchanged(client):
    first = client.get("/")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Cookie" in first.headers["Vary"]
    etag = first.headers["ETag"]

    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert client.get("/", headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_home_page_signed_in_is_private_and_never_a_304(client, host):
    signed_out_tag = client.get("/").headers["ETag"]
    submit(client, "/host/sign-in", {"email": "hana@example.org", "password": PASSWORD})

    page = client.get("/", headers={"If-None-Match": signed_out_tag})
    assert page.status_code == 200 and "Signed in as" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-cache"
    assert "ETag" not in page.headers


def test_a_session_page_with_its_form_token_is_never_shared(client, host):
    surgery_session = published_session(host)
    page = client.get(f"/sessions/{surgery_session.id}")
    assert page.status_code == 200 and 'name="csrf_token"' in page.get_data(as_text=True)
    assert "public" not in page.headers.get("Cache-Control", "")
    assert "ETag" not in page.headers


def titles_found(client) -> str:
    return client.get(FINDER_URL).get_data(as_text=True)


def test_a_session_changed_here_shows_at_the_next_search(client, host):
    finding.forget_found()
    surgery_session = published_session(host, title="Moseley social media surgery")
    assert "Moseley social media surgery" in titles_found(client)

    sessions.move_session(host, surgery_session, "cancel", NOW)
    assert "Moseley social media surgery" not in titles_found(client)

    published_session(host, title="Kings Heath surgery")
    assert "Kings Heath surgery" in titles_found(client)


def test_a_session_changed_by_another_worker_shows_within_a_second(client, host):
    """Another worker's change reaches this worker's kept searches through the sessions' stamp,
    read from the database at most once a second: here the change is written on a connection of
    its own, past the ORM, so only the database knows of it."""
    finding.forget_found()
    surgery_session = published_session(host, title="Moseley social media surgery")
    assert "Moseley social media surgery" in titles_found(client)

    table = SurgerySession.__table__
    with db.engine.begin() as connection:
        connection.execute(
            update(table)
            .where(table.c.id == surgery_session.id)
            .values(
                status=SessionStatus.CANCELLED, updated_at=clock.utcnow() + timedelta(seconds=1)
            )
        )
    assert "Moseley social media surgery" in titles_found(client)  # this worker has not looked
    clock.freeze(NOW + timedelta(seconds=finding.STAMP_SECONDS))
    assert "Moseley social media surgery" not in titles_found(client)


def test_the_same_search_signed_out_is_one_page_kept_and_tagged(client, host):
    finding.forget_found()
    published_session(host, title="Moseley social media surgery")
    first = client.get(FINDER_URL)
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    again = client.get(FINDER_URL)
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    unchanged = client.get(FINDER_URL, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304


def test_a_search_signed_in_is_the_visitors_own(client, host):
    published_session(host, title="Moseley social media surgery")
    submit(client, "/host/sign-in", {"email": "hana@example.org", "password": PASSWORD})
    page = client.get(FINDER_URL)
    assert "Signed in as" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-cache" and "ETag" not in page.headers


def test_a_kept_search_drops_a_session_the_moment_it_starts(client, host):
    finding.forget_found()
    soon = published_session(host, title="Moseley social media surgery")
    later = published_session(
        host, title="Kings Heath surgery", day=soon.starts_at.date() + timedelta(days=7)
    )
    clock.freeze(soon.starts_at - timedelta(seconds=finding.FOUND_SECONDS // 3))
    assert "Moseley social media surgery" in titles_found(client)

    clock.freeze(soon.starts_at)
    page = titles_found(client)
    assert "Moseley social media surgery" not in page and later.title in page


def test_a_volunteer_signing_up_shows_their_skills_in_the_next_search(client, host):
    finding.forget_found()
    surgery_session = published_session(host, title="Moseley social media surgery")
    assert "Volunteers have not signed up yet" in titles_found(client)

    volunteer_signed_up(surgery_session, "Sam Okafor", load=2, skill_ids=skill_ids("Instagram"))
    page = titles_found(client)
    assert "Instagram" in page and "Volunteers have not signed up yet" not in page


def test_an_api_search_shows_a_session_cancelled_here_at_once(client, host):
    finding.forget_found()
    surgery_session = published_session(host, title="Moseley social media surgery")
    url = "/api/v1/sessions?postcode=B13+8JP&within_km=10"
    assert [s["title"] for s in client.get(url).get_json()["sessions"]] == [surgery_session.title]

    sessions.move_session(host, surgery_session, "cancel", NOW)
    assert client.get(url).get_json()["sessions"] == []


def test_a_place_booked_shows_in_the_tables_free_at_the_next_search(client, host):
    finding.forget_found()
    surgery_session = published_session(host, title="Moseley social media surgery", seats=3)
    assert "3 of 3" in titles_found(client)

    booking.book_place(confirmed_request("maya@example.org"), surgery_session, NOW)
    assert "2 of 3" in titles_found(client)
