"""Honest caching: the home page is tagged for everyone signed out, and nobody else; the finder
keeps a search for a moment, and a change to a session shows at the very next search."""

from datetime import timedelta

from sqlalchemy import update

from surgery import clock
from surgery.extensions import db
from surgery.models import SurgerySession
from surgery.services import finding, sessions
from tests.factories import NOW, PASSWORD, published_session
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


def test_a_session_changed_by_another_worker_shows_at_the_next_search(client, host):
    """Another worker's change reaches this worker's copy through the sessions' stamp: written
    here on a connection of its own, past the ORM, so only the database knows of it."""
    finding.forget_found()
    surgery_session = published_session(host, title="Moseley social media surgery")
    assert "Moseley social media surgery" in titles_found(client)

    table = SurgerySession.__table__
    with db.engine.begin() as connection:
        connection.execute(
            update(table)
            .where(table.c.id == surgery_session.id)
            .values(title="Balsall Heath surgery", updated_at=clock.utcnow() + timedelta(seconds=1))
        )
    page = titles_found(client)
    assert "Balsall Heath surgery" in page and "Moseley social media surgery" not in page


def test_a_search_is_kept_while_nothing_changes(client, host):
    finding.forget_found()
    published_session(host)
    titles_found(client)
    kept = dict(finding._found)
    titles_found(client)
    assert finding._found == kept and len(kept) == 1
