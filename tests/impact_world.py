"""A small history of held sessions, built through the services, for the impact figures.

Three sessions were held: Moseley (B13) 40 days ago, Wolverhampton (WV1) 200 days ago and Bath
(BA1) 10 days ago; one more was cancelled and one is still to come. Every figure the impact page
shows is worked out by hand in the docstring of the test that checks it.
"""

from dataclasses import dataclass, field
from datetime import time, timedelta

from surgery import clock
from surgery.extensions import db
from surgery.models import Booking, FollowUpKind, GotGoing, SurgerySession
from surgery.services import booking, on_the_day, sessions
from surgery.services.follow_through import record_follow_up
from tests.factories import (
    NOW,
    TODAY,
    confirmed_request,
    published_session,
    volunteer_signed_up,
    weekday_from,
)


@dataclass
class Group:
    came: bool = True
    got_going: GotGoing | None = None
    change: int | None = None
    story: str = ""
    may_share: bool = False


@dataclass
class Held:
    days_ago: int
    postcode: str
    group_postcode: str
    starts: time
    ends: time
    volunteers: tuple[str, ...]
    groups: list[Group] = field(default_factory=list)


WORLD = {
    "moseley": Held(
        40, "B13 8JP", "B13 9AE", time(18), time(20), ("Sam Okafor", "Lucy Chen", "Mark Ellis"),
        [
            Group(got_going=GotGoing.YES, change=5, story="Twice as many at our coffee mornings.",
                  may_share=True),
            Group(got_going=GotGoing.YES, change=4, story="We keep this to ourselves."),
            Group(got_going=GotGoing.YES, change=4),
            Group(got_going=GotGoing.PARTLY, change=3),
            Group(got_going=GotGoing.NOT_YET),
            # Did not come; its answer (which should never have been asked) is not counted.
            Group(came=False, got_going=GotGoing.YES, change=5),
        ],
    ),
    "wolverhampton": Held(
        200, "WV1 1SH", "WV1 1RQ", time(10), time(13), ("Owen Jones",),
        [
            Group(got_going=GotGoing.YES, change=2, story="Our first online raffle raised £300.",
                  may_share=True),
            Group(came=False),
        ],
    ),
    "bath": Held(10, "BA1 1LZ", "BA1 1SU", time(18), time(20), ("Ruth Adeyemi", "Sam Okafor")),
}  # fmt: skip


def hold(host, name: str, held: Held) -> SurgerySession:
    """Create, publish, fill and complete one session in the past; answer its follow-ups."""
    day = weekday_from(TODAY - timedelta(days=held.days_ago))
    planned = NOW - timedelta(days=held.days_ago + 30)
    clock.freeze(planned)
    surgery_session = published_session(
        host, when=planned, title=f"{name.title()} surgery", day=day, starts=held.starts,
        ends=held.ends, postcode=held.postcode, seats=8,
    )  # fmt: skip
    for volunteer in held.volunteers:
        volunteer_signed_up(surgery_session, name=volunteer, when=planned, postcode=held.postcode)
    bookings = []
    for number, group in enumerate(held.groups):
        help_request = confirmed_request(
            f"{name}-{number}@example.org", when=planned, postcode=held.group_postcode,
            organisation_name=f"{name.title()} group {number}",
            earliest_date=day - timedelta(days=20), latest_date=day + timedelta(days=20),
        )  # fmt: skip
        bookings.append((booking.book_place(help_request, surgery_session, planned), group))
    clock.freeze(surgery_session.starts_at)
    for held_booking, group in bookings:
        on_the_day.record_outcome(host, held_booking, group.came, (), "", surgery_session.starts_at)
    sessions.move_session(host, surgery_session, "complete", surgery_session.ends_at)
    answered = surgery_session.ends_at + timedelta(days=7)
    for held_booking, group in bookings:
        answer(held_booking, group, answered)
    clock.freeze(NOW)
    return surgery_session


def answer(held_booking: Booking, group: Group, when) -> None:
    help_request = held_booking.help_request
    if group.got_going:
        record_follow_up(help_request, FollowUpKind.WEEK, when, got_going=group.got_going)
    if group.change:
        record_follow_up(
            help_request, FollowUpKind.QUARTER, when + timedelta(days=80),
            change_scale=group.change, story=group.story, may_share_story=group.may_share,
        )  # fmt: skip


def build(host) -> dict[str, SurgerySession]:
    built = {name: hold(host, name, held) for name, held in WORLD.items()}
    # Neither a cancelled session nor one still to come has been held.
    cancelled = published_session(host, title="Cancelled surgery")
    volunteer_signed_up(cancelled, name="Priya Nair")
    sessions.move_session(host, cancelled, "cancel", NOW, reason="The hall flooded.")
    upcoming = published_session(host, title="Next month's surgery")
    volunteer_signed_up(upcoming, name="Gareth Price")
    db.session.commit()
    return built
