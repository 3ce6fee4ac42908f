"""What a volunteer has given, with exact figures from a hand-built history around the suite's
instant: which sessions count, which groups, how many hours."""

from datetime import UTC, datetime, time, timedelta

import pytest

from surgery.clock import LONDON
from surgery.extensions import db
from surgery.models import (
    Asker,
    Booking,
    BookingStatus,
    HelpRequest,
    Outcome,
    Pairing,
    PairingState,
    SessionStatus,
    Signup,
    SignupStatus,
    SurgerySession,
    Volunteer,
    VolunteerStatus,
)
from surgery.services import booking, on_the_day, sessions
from surgery.services.personal_data import erase_person
from surgery.services.recognition import Recognition, hours_in_words, recognition_of
from surgery.vocabulary import OrganisationKind
from tests.factories import NOW, TODAY, agreed_pairing_for
from tests.sql import statements_sent


def at_london(days: int, hour: int, minute: int = 0) -> datetime:
    """A moment `days` from the suite's day (negative: before it), at a UK wall-clock time."""
    return datetime.combine(TODAY + timedelta(days=days), time(hour, minute), LONDON).astimezone(
        UTC
    )


def a_session(title: str, starts: datetime, ends: datetime, status=SessionStatus.COMPLETED):
    surgery_session = SurgerySession(
        title=title,
        venue_name=f"{title} hall",
        venue_address="1 High Street, Birmingham",
        postcode="B13 8JP",
        district="B13",
        easting=407500,
        northing=282500,
        starts_at=starts,
        ends_at=ends,
        seats=6,
        status=status,
    )
    db.session.add(surgery_session)
    return surgery_session


def a_volunteer(name: str) -> Volunteer:
    email = f"{name.split()[0].lower()}@example.org"
    volunteer = Volunteer(
        name=name,
        email=email,
        travel_km=10,
        postcode="B15 2TT",
        district="B15",
        easting=405000,
        northing=285000,
    )
    volunteer.status = VolunteerStatus.ACTIVE
    db.session.add(volunteer)
    return volunteer


def signed_up(volunteer, surgery_session, status=SignupStatus.ACTIVE) -> Signup:
    signup = Signup(volunteer=volunteer, surgery_session=surgery_session, load=3, status=status)
    db.session.add(signup)
    return signup


def a_group(name: str, organisation: str) -> HelpRequest:
    asker = Asker(name=name, email=f"{name.split()[0].lower()}@example.org")
    return asked_again(asker, organisation)


def asked_again(asker: Asker, organisation: str) -> HelpRequest:
    help_request = HelpRequest(
        organisation_name=organisation,
        organisation_kind=OrganisationKind.CHARITY,
        level=2,
        goal="A Facebook page.",
        travel_km=5,
        earliest_date=TODAY - timedelta(days=60),
        latest_date=TODAY + timedelta(days=60),
        postcode="B13 9AE",
        district="B13",
        easting=407000,
        northing=282000,
    )
    asker.requests.append(help_request)
    db.session.add(asker)
    return help_request


def paired(help_request, signup, state=PairingState.CONFIRMED, came: bool | None = True):
    """A pairing at the sign-up's session, the group's table there and whether it came (None:
    nothing recorded)."""
    surgery_session = signup.surgery_session
    db.session.add(
        Pairing(
            help_request=help_request,
            signup=signup,
            surgery_session=surgery_session,
            state=state,
            distance_km=1.0,
        )
    )
    db.session.flush()
    held = db.session.scalar(
        db.select(Booking).filter_by(help_request_id=help_request.id, session_id=surgery_session.id)
    ) or Booking(
        help_request=help_request, surgery_session=surgery_session, status=BookingStatus.BOOKED
    )
    db.session.add(held)
    db.session.flush()
    if came is not None:
        db.session.add(Outcome(booking_id=held.id, attended=came))
        db.session.flush()


@pytest.fixture
def history(app) -> Volunteer:
    """Sam's history, and the things around it that must not count.

    Counts: Moseley (2 hours; Maya came, Olu did not, Priya came but was moved to Ottoline),
    Balsall Heath (2½ hours; nobody paired with Sam: Sam still gave the time), Kings Heath
    (2 hours; Maya again, for a second request, and a group that has since been erased).
    Does not count: Digbeth (Sam withdrew), Acocks Green (cancelled), Hall Green (ahead),
    Yardley (marked completed while still running), and Ottoline's groups.
    """
    sam, ottoline = a_volunteer("Sam Okafor"), a_volunteer("Ottoline Reyes")
    maya = a_group("Maya Patel", "Ladywood Food Bank")
    olu = a_group("Olu Adeyemi", "Kings Heath Allotments")
    priya = a_group("Priya Shah", "Hall Green Scouts")

    moseley = a_session("Moseley", at_london(-30, 18), at_london(-30, 20))
    sam_at_moseley = signed_up(sam, moseley)
    paired(maya, sam_at_moseley)
    paired(olu, sam_at_moseley, PairingState.LOCKED, came=False)
    paired(priya, sam_at_moseley, PairingState.DECLINED, came=None)
    paired(priya, signed_up(ottoline, moseley), came=True)

    signed_up(sam, a_session("Balsall Heath", at_london(-20, 10), at_london(-20, 12, 30)))

    digbeth = a_session("Digbeth", at_london(-10, 18), at_london(-10, 20))
    paired(a_group("Dee Brown", "Digbeth Arts"), signed_up(sam, digbeth, SignupStatus.WITHDRAWN))

    cancelled = a_session(
        "Acocks Green", at_london(-5, 18), at_london(-5, 20), SessionStatus.CANCELLED
    )
    signed_up(sam, cancelled)

    kings_heath = a_session("Kings Heath", at_london(-3, 18), at_london(-3, 20))
    sam_at_kings_heath = signed_up(sam, kings_heath)
    paired(asked_again(maya.asker, "Ladywood Food Bank"), sam_at_kings_heath)
    erased = a_group("Zeb Quinn", "Quinton Choir")
    paired(erased, sam_at_kings_heath, PairingState.CANCELLED)
    erased.asker.name = erased.asker.email = None
    erased.asker.erased_at = NOW - timedelta(days=1)
    erased.organisation_name = ""

    running = a_session("Yardley", NOW - timedelta(hours=1), NOW + timedelta(hours=1))
    paired(a_group("Yas Ali", "Yardley Tenants"), signed_up(sam, running))

    ahead = a_session("Hall Green", at_london(7, 18), at_london(7, 20), SessionStatus.PUBLISHED)
    paired(a_group("Hal Green", "Hall Green Bowls"), signed_up(sam, ahead))
    db.session.commit()
    return sam


def test_a_volunteer_is_credited_exactly_with_the_sessions_groups_and_hours_they_gave(history):
    given = recognition_of(history, NOW)

    assert [s.title for s in given.sessions] == ["Moseley", "Balsall Heath", "Kings Heath"]
    assert [[g.label for g in s.groups] for s in given.sessions] == [
        ["Maya from Ladywood Food Bank"],
        [],
        ["Maya from Ladywood Food Bank", "a group"],
    ]
    assert given.session_count == 3
    assert given.group_count == 2, "Maya, helped twice, is one group; the erased group is one"
    assert given.half_hours == 13
    assert given.hours == "6½ hours"
    assert (given.first_day, given.last_day) == (
        TODAY - timedelta(days=30),
        TODAY - timedelta(days=3),
    )
    assert given.issued_on == TODAY


def test_no_group_is_shown_by_email_address_or_by_full_name(history):
    shown = [g.label for s in recognition_of(history, NOW).sessions for g in s.groups]
    assert not any("@" in label or "Patel" in label for label in shown)


def test_a_volunteer_with_nothing_given_yet_has_no_figures(history):
    ottoline = db.session.scalar(db.select(Volunteer).filter_by(name="Ottoline Reyes"))
    newcomer = a_volunteer("Nia Clarke")
    signed_up(newcomer, db.session.scalar(db.select(SurgerySession).filter_by(title="Hall Green")))
    db.session.commit()

    assert recognition_of(ottoline, NOW).group_count == 1
    nothing = recognition_of(newcomer, NOW)
    assert nothing == Recognition(sessions=(), group_count=0, half_hours=0, issued_on=TODAY)
    assert not nothing.has_given


def test_the_running_session_counts_once_it_has_ended(history):
    later = NOW + timedelta(hours=1)
    given = recognition_of(history, later)
    assert given.session_count == 4 and given.group_count == 3
    assert given.hours == "8½ hours"


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0, "0 hours"),
        (14, "0 hours"),
        (15, "½ hour"),
        (60, "1 hour"),
        (74, "1 hour"),
        (75, "1½ hours"),
        (150, "2½ hours"),
        (165, "3 hours"),
    ],
)
def test_hours_are_rounded_to_the_nearest_half_hour(minutes, words):
    assert hours_in_words((minutes + 15) // 30) == words


def test_the_figures_take_two_queries_however_long_the_history(history):
    db.session.expire_all()
    volunteer = db.session.get(Volunteer, history.id)
    with statements_sent() as counted:
        recognition_of(volunteer, NOW)
    assert len(counted) == 2


def test_a_group_that_came_and_was_later_erased_still_counts_as_a_group(host, surgery_session, sam):
    """Through the services: paired, came, the session completed, then the group erased."""
    help_request = agreed_pairing_for(host, surgery_session)
    held = booking.active_booking(help_request)
    on_the_day.record_outcome(host, held, True, (), "", surgery_session.starts_at)
    sessions.move_session(host, surgery_session, "complete", surgery_session.ends_at)
    after = surgery_session.ends_at + timedelta(days=1)

    before = recognition_of(sam.volunteer, after)
    assert [g.label for g in before.sessions[0].groups] == ["Maya from Ladywood Food Bank"]
    assert (before.session_count, before.group_count, before.hours) == (1, 1, "2 hours")

    erase_person(help_request.asker, after)
    erased = recognition_of(sam.volunteer, after)
    assert [g.label for g in erased.sessions[0].groups] == ["a group"]
    assert (erased.session_count, erased.group_count, erased.hours) == (1, 1, "2 hours")
