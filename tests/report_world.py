"""A world built by hand for the reports' tests, through the services, as hosts, groups and
volunteers would have made it: every figure in the reports' tests follows from it."""

from dataclasses import dataclass
from datetime import timedelta

from surgery.clock import london_date
from surgery.models import Account, FollowUpKind, GotGoing, SurgerySession
from surgery.services import booking, follow_through, on_the_day, reviewing, sessions
from surgery.services.matching import run_matching
from surgery.services.on_the_day import WalkIn
from surgery.vocabulary import Availability, Level
from tests.factories import (
    NOW,
    TODAY,
    admin_account,
    approved_host,
    confirmed_request,
    session_details,
    skill_ids,
    volunteer_signed_up,
)

DAY = timedelta(days=1)
ANY_TIME = tuple(Availability)


@dataclass
class World:
    host_a: Account
    host_b: Account
    admin: Account


def past_session(host, days_ago: int, title: str, postcode="B13 8JP", seats=6, publish=True):
    """A session `days_ago` days before today (negative: ahead), made a week before it."""
    made_at = NOW - max(days_ago + 7, 0) * DAY
    details = session_details(
        title=title, day=TODAY - days_ago * DAY, postcode=postcode, seats=seats
    )
    made = sessions.create_session(host, details, made_at)
    if publish:
        sessions.move_session(host, made, "publish", made_at)
    return made


def before(surgery_session: SurgerySession):
    """A week before the session: when its groups and volunteers came along."""
    return surgery_session.starts_at - 7 * DAY


def group(email: str, surgery_session: SurgerySession, book=True, wants=("Facebook",), **more):
    """A confirmed request that can come to the session, having booked a place there."""
    when = before(surgery_session)
    day = london_date(surgery_session.starts_at)
    help_request = confirmed_request(
        email,
        when=when,
        earliest_date=london_date(when) + DAY,
        latest_date=day + DAY,
        availability=ANY_TIME,
        skill_ids=skill_ids(*wants),
        access_needs=(),
        **more,
    )
    if book:
        booking.book_place(help_request, surgery_session, when)
    return help_request


def came(host, surgery_session, *groups, attended=True) -> None:
    """On the day, the host records each group as come (or not)."""
    for help_request in groups:
        held = booking.active_booking(help_request)
        on_the_day.record_outcome(host, held, attended, (), "", surgery_session.starts_at)


def complete(host, surgery_session) -> None:
    sessions.move_session(host, surgery_session, "complete", surgery_session.ends_at)


def answers(surgery_session, help_request, got_going=None, change=None) -> None:
    """The group's follow-up answers: a week on, and three months on."""
    ended = surgery_session.ends_at
    if got_going:
        follow_through.record_follow_up(
            help_request, FollowUpKind.WEEK, ended + 7 * DAY, got_going=got_going
        )
    if change:
        follow_through.record_follow_up(
            help_request, FollowUpKind.QUARTER, ended + 90 * DAY, change_scale=change
        )


def build_world() -> World:
    """Host A: last year's session, spring (paired, follow-ups), Manchester (cancelled), autumn
    (co-hosted by B, no follow-ups), a draft, and one ahead; host B: Kings Heath."""
    host_a = approved_host("hana@example.org")
    host_b = approved_host("ben@example.org")

    # Last year: outside the last twelve months.
    last_year = past_session(host_a, 400, "Moseley, last year")
    g9 = group("g9@example.org", last_year)
    came(host_a, last_year, g9)
    complete(host_a, last_year)
    answers(last_year, g9, GotGoing.YES, 1)

    # Spring: 6 requests (g1–g5 and a walk-in), 3 pairings agreed (g1–g3), came 3 (g1, g2, the
    # walk-in), did not come 2 (g3 never checked in, g4 marked), 4 outcomes, yes 1, partly 1,
    # three-month answers 4 and 5.
    spring = past_session(host_a, 40, "Moseley, spring")
    volunteer_signed_up(spring, "Sam Okafor", load=3, when=before(spring), availability=ANY_TIME)
    g1, g2 = group("g1@example.org", spring), group("g2@example.org", spring)
    group("g3@example.org", spring, book=False)  # given its table by its pairing
    g4 = group("g4@example.org", spring, wants=("Video",))  # nobody here knows video
    g5 = group("g5@example.org", spring, wants=("Video",))  # gives its place up
    run_matching(before(spring), "test", session_id=spring.id)
    reviewing.confirm_all(host_a, spring, before(spring))
    booking.cancel_booking(booking.active_booking(g5), before(spring))
    came(host_a, spring, g1, g2)
    came(host_a, spring, g4, attended=False)
    walk_in = WalkIn("Wanda Jones", "Walk-in Club", skill_ids("Facebook"), Level.FIRST_STEPS)
    on_the_day.add_walk_in(host_a, spring, walk_in, spring.starts_at)
    complete(host_a, spring)
    answers(spring, g1, GotGoing.YES, 4)
    answers(spring, g2, GotGoing.PARTLY, 5)

    # Kings Heath (host B): one group came and answered not yet, then 2.
    kings_heath = past_session(host_b, 30, "Kings Heath", postcode="B15 2TT")
    g10 = group("g10@example.org", kings_heath, postcode="B15 2TT")
    came(host_b, kings_heath, g10)
    complete(host_b, kings_heath)
    answers(kings_heath, g10, GotGoing.NOT_YET, 2)

    # Manchester: one group had booked; the session was cancelled.
    manchester = past_session(host_a, 20, "Manchester meet-up", postcode="M1 1AE")
    group("g8@example.org", manchester, postcode="M1 1AE")
    sessions.move_session(host_a, manchester, "cancel", before(manchester))

    # Autumn (co-hosted by B): one group came, one waited for a table; no follow-ups yet.
    autumn = past_session(host_a, 10, "Moseley, autumn", seats=1)
    sessions.add_co_host(host_a, autumn, "ben@example.org", before(autumn))
    g6 = group("g6@example.org", autumn, wants=("Video",))
    group("g7@example.org", autumn, wants=("Video",))  # the waiting list
    came(host_a, autumn, g6)
    complete(host_a, autumn)

    past_session(host_a, 5, "Never published", publish=False)
    past_session(host_a, -14, "Moseley, ahead")
    return World(host_a, host_b, admin_account())
