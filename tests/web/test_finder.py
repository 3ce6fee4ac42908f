"""Finding a session by postcode, its public page, its calendar file and the JSON API."""

from datetime import time, timedelta

import icalendar
import pytest

from surgery import clock
from surgery.clock import utcnow
from surgery.services import sessions
from tests.factories import TODAY, approved_host, session_details
from tests.instants import next_clocks_forward

# The Sunday the clocks go forward: a session that evening is in British Summer Time.
SUMMER_TIME = next_clocks_forward(TODAY + timedelta(days=1))


@pytest.fixture
def host(app):
    return approved_host()


def published(host, **changes):
    created = sessions.create_session(host, session_details(**changes), utcnow())
    sessions.move_session(host, created, "publish", utcnow())
    return created


def test_nearby_published_sessions_come_nearest_first(client, host):
    far = published(host, title="Kings Heath", postcode="B14 7AA")
    near = published(host, title="Moseley", postcode="B13 8JP")
    sessions.create_session(host, session_details(title="A draft"), utcnow())
    published(host, title="Manchester", postcode="M1 1AE")

    page = client.get("/sessions?postcode=b13+9ae&within_km=5").get_data(as_text=True)

    assert "2 sessions within 5 km of B13 9AE" in page
    assert page.index("Moseley") < page.index("Kings Heath")
    assert "A draft" not in page and "Manchester" not in page
    assert f'href="/sessions/{near.id}"' in page and f'href="/sessions/{far.id}"' in page


def test_an_unknown_postcode_is_explained(client):
    page = client.get("/sessions?postcode=B13+9ZZ&within_km=5").get_data(as_text=True)
    assert "We couldn&#39;t find B13 9ZZ" in page


def test_the_json_api_gives_the_same_results_and_only_public_fields(client, host):
    published(host, title="Moseley", postcode="B13 8JP")
    body = client.get("/api/v1/sessions?postcode=B13&within_km=10").get_json()
    (found,) = body["sessions"]
    assert found["title"] == "Moseley" and found["district"] == "B13"
    assert "postcode" not in found and "hosts" not in found and "volunteer_notes" not in found
    bad = client.get("/api/v1/sessions?postcode=nonsense")
    assert bad.status_code == 400 and "real UK postcode" in bad.get_json()["error"]


def test_a_draft_has_no_public_page(client, host):
    draft = sessions.create_session(host, session_details(), utcnow())
    assert client.get(f"/sessions/{draft.id}").status_code == 404
    assert client.get(f"/sessions/{draft.id}.ics").status_code == 404


def test_a_draft_called_off_before_it_was_published_stays_out_of_sight(client, host):
    draft = sessions.create_session(host, session_details(title="Never published"), utcnow())
    sessions.move_session(host, draft, "cancel", utcnow())
    assert client.get(f"/sessions/{draft.id}").status_code == 404
    assert client.get(f"/sessions/{draft.id}.ics").status_code == 404
    assert "Never published" not in client.get("/sessions.ics").get_data(as_text=True)
    assert client.get(f"/api/v1/sessions/{draft.id}").status_code == 404


def test_the_calendar_file_is_in_uk_time_with_a_stable_uid_and_a_growing_sequence(client, host):
    created = published(host, day=SUMMER_TIME, starts=time(18), ends=time(20))
    first = icalendar.Calendar.from_ical(client.get(f"/sessions/{created.id}.ics").data)
    sessions.update_session(
        host,
        created,
        session_details(day=SUMMER_TIME, starts=time(18, 30), ends=time(20)),
        utcnow(),
    )
    second = icalendar.Calendar.from_ical(client.get(f"/sessions/{created.id}.ics").data)

    (event1,), (event2,) = first.walk("VEVENT"), second.walk("VEVENT")
    assert event1["UID"] == event2["UID"]
    assert int(event2["SEQUENCE"]) > int(event1["SEQUENCE"])
    start = event2.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (18, 30, "Europe/London")
    assert start.utcoffset().total_seconds() == 3600, "British Summer Time that day"
    assert first.walk("VTIMEZONE"), "the file carries its time zone"


def test_a_cancelled_sessions_calendar_file_cancels_the_event(client, host):
    created = published(host)
    sessions.move_session(host, created, "cancel", utcnow())
    calendar = icalendar.Calendar.from_ical(client.get(f"/sessions/{created.id}.ics").data)
    assert calendar["METHOD"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert "This session has been cancelled" in client.get(f"/sessions/{created.id}").get_data(
        as_text=True
    )


def test_a_session_that_has_started_reads_as_over_and_takes_no_bookings(client, host):
    created = published(host)
    clock.freeze(created.starts_at + timedelta(minutes=5))
    page = client.get(f"/sessions/{created.id}").get_data(as_text=True)
    assert "This session has taken place" in page
    assert "Tables free" not in page and "Email me the link" not in page


@pytest.mark.parametrize("within", ["7", "far", ""])
def test_a_distance_not_on_the_list_is_asked_for_again_in_plain_words(client, within):
    page = client.get(f"/sessions?postcode=B13&within_km={within}").get_data(as_text=True)
    assert "Choose how far you can travel from the list" in page
    assert "Not a valid choice" not in page and "coerce" not in page
