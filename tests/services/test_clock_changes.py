"""Sessions on the Sundays the UK's clocks change: reminders at the right UK hour, and one rule for
when the evening starts, whichever side of the change a session falls."""

from datetime import UTC, datetime, time, timedelta

import pytest

from surgery import clock
from surgery.clock import LONDON, london_date
from surgery.extensions import db
from surgery.models import Pairing
from surgery.services import booking
from surgery.services.matching import run_matching
from surgery.vocabulary import EVENING_FROM, AccessNeed, Availability
from tests.factories import (
    NOW,
    TODAY,
    confirmed_request,
    published_session,
    volunteer_signed_up,
)
from tests.instants import next_clocks_back, next_clocks_forward

# Far enough ahead that the 48-hour reminder is still to come at the suite's instant.
SOON = TODAY + timedelta(days=4)
SUNDAYS = {"back": next_clocks_back(SOON), "forward": next_clocks_forward(SOON)}


@pytest.fixture(params=["back", "forward"])
def sunday(request):
    return request.param, SUNDAYS[request.param]


def a_month_before(day) -> datetime:
    """Move the clock to a month before a day (or leave it, if that is past), and return it: the
    next change can be nearly a year and a week away, beyond the dates a group may give today."""
    moment = max(NOW, datetime.combine(day - timedelta(days=30), time(12), LONDON))
    clock.freeze(moment)
    return moment


def published_on(host, day, starts=time(18), ends=time(20)):
    return published_session(
        host,
        when=a_month_before(day),
        day=day,
        starts=starts,
        ends=ends,
        seats=2,
        access=(AccessNeed.STEP_FREE,),
    )


def group_free(day, *availability):
    """A confirmed request from now until a week after the day."""
    now = clock.utcnow()
    return confirmed_request(
        "maya@example.org",
        when=now,
        availability=availability,
        earliest_date=london_date(now),
        latest_date=day + timedelta(days=7),
    )


def booked_group(surgery_session):
    day = surgery_session.starts_at.astimezone(LONDON).date()
    help_request = group_free(day, *Availability)
    return booking.book_place(help_request, surgery_session, clock.utcnow())


def test_the_reminder_comes_48_hours_before_a_session_on_a_clock_change_sunday(
    host, sunday, tick, mailbox
):
    change, day = sunday
    surgery_session = published_on(host, day)
    booked_group(surgery_session)
    reminder_at = surgery_session.starts_at - timedelta(hours=48)

    assert tick(reminder_at - timedelta(minutes=1)) == []
    assert tick(reminder_at) == [("maya@example.org", "Coming up: Moseley social media surgery")]
    # 6pm on the Sunday is 48 hours after 7pm BST on the Friday when the clocks go back, and after
    # 5pm GMT on the Friday when they go forward.
    assert reminder_at.astimezone(LONDON).hour == {"back": 19, "forward": 17}[change]
    text = mailbox.text_of(mailbox.received[-1])
    assert "has a place at Moseley social media surgery in 2 days." in text
    assert f"When: Sunday {day:%-d %B %Y}, 6pm to 8pm" in text


def test_the_morning_reminder_goes_at_eight_uk_time_on_a_clock_change_sunday(host, sunday, tick):
    change, day = sunday
    surgery_session = published_on(host, day)
    booked_group(surgery_session)
    tick(surgery_session.starts_at - timedelta(hours=47))
    eight = datetime.combine(day, time(8), LONDON)
    assert eight.astimezone(UTC).hour == {"back": 8, "forward": 7}[change]

    assert tick(eight - timedelta(minutes=1)) == []
    assert tick(eight) == [("maya@example.org", "Today: Moseley social media surgery")]


@pytest.mark.parametrize("side", ["Friday before", "Monday after"])
@pytest.mark.parametrize("starts", [time(17, 30), EVENING_FROM])
def test_an_evening_is_an_evening_on_either_side_of_a_clock_change(host, sunday, side, starts):
    _, day = sunday
    day += timedelta(days=-2 if side == "Friday before" else 1)
    surgery_session = published_on(host, day, starts=starts, ends=time(20, 30))
    now = clock.utcnow()
    volunteer_signed_up(surgery_session, "Sam Okafor", load=1, when=now)
    group_free(day, Availability.WEEKDAY_EVENINGS)

    run_matching(now, "test")

    local_start = surgery_session.starts_at.astimezone(LONDON)
    evening = starts >= EVENING_FROM
    assert Availability.of_start(local_start) is (
        Availability.WEEKDAY_EVENINGS if evening else Availability.WEEKDAYS
    )
    proposed = db.session.scalar(db.select(db.func.count(Pairing.id)))
    assert proposed == (1 if evening else 0), "evenings-only groups are offered evenings only"
