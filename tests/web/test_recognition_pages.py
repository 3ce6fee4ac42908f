"""A volunteer's page says what they have given; their certificate says it for others to read."""

import re
from datetime import timedelta

from surgery.extensions import db
from surgery.models import Asker, Volunteer
from surgery.services.tokens import manage_token
from surgery.web.helpers import long_date
from tests.factories import TODAY
from tests.services.test_recognition import (  # noqa: F401  (history is a fixture)
    a_session,
    a_volunteer,
    at_london,
    history,
    signed_up,
)


def text_of(response) -> str:
    """The page's words as a reader meets them: tags dropped, spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", words).replace(" ,", ",").replace(" .", ".")


def volunteer_named(name: str) -> Volunteer:
    return db.session.scalar(db.select(Volunteer).filter_by(name=name))


def page_of(client, volunteer: Volunteer, path: str = ""):
    return client.get(f"/volunteer/manage/{manage_token(volunteer)}{path}")


def test_the_volunteers_page_shows_what_they_have_given(client, history):  # noqa: F811
    text = text_of(page_of(client, history))
    assert "What you have given" in text
    assert "Sessions you gave 3" in text
    assert "Hours you gave 6½ hours" in text
    assert "Groups you helped 2" in text
    assert "Moseley, Moseley hall" in text
    assert "You helped: Maya from Ladywood Food Bank." in text
    assert "No group was paired with you: thank you for coming to help." in text
    assert "You helped: Maya from Ladywood Food Bank, a group." in text
    for absent in ("Olu", "Priya", "Patel", "maya@example.org", "Digbeth", "Acocks Green"):
        assert absent not in text
    assert "still signed up to help" in text, "the page says how sessions are counted"
    certificate = f"/volunteer/manage/{manage_token(history)}/certificate"
    assert f'href="{certificate}"' in page_of(client, history).get_data(as_text=True)
    upcoming = page_of(client, history, "/sessions").get_data(as_text=True)
    assert f'href="/volunteer/manage/{manage_token(history)}#given"' in upcoming


def test_the_certificate_says_who_gave_how_much_and_when(client, history):  # noqa: F811
    response = page_of(client, history, "/certificate")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = text_of(response)
    first, last = long_date(TODAY - timedelta(days=30)), long_date(TODAY - timedelta(days=3))
    assert "Certificate of volunteering" in text
    assert (
        f"Sam Okafor gave 6½ hours at 3 social media surgeries between {first} and {last},"
        " helping 2 groups." in text
    )
    assert f"Moseley, Moseley hall, {first}" in text
    assert f"Balsall Heath, Balsall Heath hall, {long_date(TODAY - timedelta(days=20))}" in text
    assert f"Kings Heath, Kings Heath hall, {last}" in text
    assert f"Issued on {long_date(TODAY)} by Social Media Surgery" in text
    for private in ("Maya", "Ladywood", "a group", "sam@example.org"):
        assert private not in text, "the certificate is shown to others: no group is named"


def test_past_thirty_sessions_the_certificate_lists_them_by_name(client, history):  # noqa: F811
    for weeks in range(6, 34):
        title = "Moseley social media surgery"
        signed_up(history, a_session(title, at_london(-7 * weeks, 18), at_london(-7 * weeks, 20)))
    db.session.commit()
    text = text_of(page_of(client, history, "/certificate"))
    first, last = long_date(TODAY - timedelta(days=7 * 33)), long_date(TODAY - timedelta(days=42))
    assert f"gave 62½ hours at 31 social media surgeries between {first} and" in text
    assert f"Moseley social media surgery: 28 sessions, {first} to {last}" in text
    assert f"Moseley, {long_date(TODAY - timedelta(days=30))}" in text
    assert "Moseley hall" not in text


def test_one_session_is_said_as_one_day(client, history):  # noqa: F811
    text = text_of(page_of(client, volunteer_named("Ottoline Reyes"), "/certificate"))
    moseley = long_date(TODAY - timedelta(days=30))
    assert (
        f"Ottoline Reyes gave 2 hours at 1 social media surgery on {moseley}, helping 1 group."
        in text
    )


def test_before_their_first_session_a_volunteer_is_told_when_the_certificate_comes(
    client,
    history,  # noqa: F811
):
    newcomer = a_volunteer("Nia Clarke")
    db.session.commit()
    text = text_of(page_of(client, newcomer))
    assert "Your certificate will be ready after your first session." in text
    assert "/certificate" not in page_of(client, newcomer).get_data(as_text=True)

    certificate = page_of(client, newcomer, "/certificate")
    assert certificate.status_code == 200
    text = text_of(certificate)
    assert "Your certificate will be ready after your first session." in text
    assert "Issued on" not in text and "Sam" not in text and "0 hours" not in text


def test_only_the_volunteers_own_link_opens_their_certificate(client, history):  # noqa: F811
    group = db.session.scalar(db.select(Asker).filter_by(name="Maya Patel"))
    assert client.get(f"/volunteer/manage/{manage_token(group)}/certificate").status_code == 404
    assert client.get("/volunteer/manage/a1-madeup/certificate").status_code == 404
    theirs = text_of(page_of(client, volunteer_named("Ottoline Reyes"), "/certificate"))
    assert "Sam Okafor" not in theirs and "6½" not in theirs
