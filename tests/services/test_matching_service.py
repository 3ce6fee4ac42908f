import os
import threading
from datetime import timedelta

import pytest

from config import database_url as configured_database_url
from surgery import create_app
from surgery.clock import LONDON, utcnow
from surgery.extensions import db
from surgery.models import (
    Booking,
    MatchRun,
    Notification,
    Pairing,
    PairingState,
    RequestStatus,
    Volunteer,
)
from surgery.services import (
    asking,
    booking,
    matching,
    placement,
    reviewing,
    safeguarding,
    sessions,
    signups,
)
from surgery.services.asking import confirm_help_request, submit_help_request
from surgery.services.matching import run_matching
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.vocabulary import AccessNeed, Availability
from tests.factories import (
    NOW,
    admin_account,
    approved_host,
    contact,
    offer_details,
    request_details,
    session_details,
    skill_ids,
)


@pytest.fixture
def surgery_session(app):
    host = approved_host()
    step_free = (AccessNeed.STEP_FREE,)  # what the groups in these tests need
    created = sessions.create_session(host, session_details(seats=2, access=step_free), utcnow())
    sessions.move_session(host, created, "publish", utcnow())
    submit_volunteer_offer(
        contact(name="Sam Okafor", email="sam@example.org"), offer_details(), utcnow()
    )
    sam = confirm_volunteer(db.session.scalar(db.select(Volunteer)), utcnow())
    signups.sign_up(sam, created, 2, utcnow())
    return created


def open_request(email, **changes):
    evenings = {"availability": (Availability.WEEKDAY_EVENINGS,)}  # the session is at 6pm
    details = request_details(**(evenings | changes))
    help_request = submit_help_request(contact(email=email), details, utcnow())
    confirm_help_request(help_request, utcnow())
    return help_request


def test_a_run_stores_proposals_and_a_record_of_itself(surgery_session):
    near = open_request("near@example.org", postcode="B13 9AE", skill_ids=skill_ids("Facebook"))
    open_request("video@example.org", postcode="B13 9AE", skill_ids=skill_ids("Video"))
    run = run_matching(utcnow(), "test")

    (pairing,) = db.session.scalars(db.select(Pairing)).all()
    assert (pairing.help_request_id, pairing.session_id) == (near.id, surgery_session.id)
    assert pairing.state is PairingState.PROPOSED and pairing.match_run_id == run.id
    assert (run.requests_considered, run.paired) == (2, 1)
    assert run.unpaired_by_reason == {"NO_SKILL": 1}
    assert run.unmet_demand == [{"district": "B13", "skill": "Video", "requests": 1}]


def test_a_second_run_replaces_proposals_but_keeps_locked_pairings(surgery_session):
    open_request("a@example.org", postcode="B13 9AE")
    run_matching(utcnow(), "test")
    locked = db.session.scalar(db.select(Pairing))
    locked.state = PairingState.LOCKED
    db.session.commit()
    open_request("b@example.org", postcode="B13 9AE")
    run_matching(utcnow(), "test")
    pairings = db.session.scalars(db.select(Pairing).order_by(Pairing.id)).all()
    assert pairings[0] is locked and pairings[0].state is PairingState.LOCKED
    assert len(pairings) == 2 and pairings[1].state is PairingState.PROPOSED


def test_sessions_inside_the_lead_time_are_left_alone(surgery_session):
    open_request("a@example.org", postcode="B13 9AE")
    too_late = surgery_session.starts_at - timedelta(hours=23)
    run = run_matching(too_late, "test")
    assert run.paired == 0 and db.session.scalar(db.select(Pairing)) is None


def test_a_group_that_booked_is_paired_at_its_session(surgery_session):
    booked = open_request("booked@example.org", postcode="B13 9AE")
    booking.book_place(booked, surgery_session, utcnow())
    run_matching(utcnow(), "test")
    pairing = db.session.scalar(db.select(Pairing))
    assert (pairing.help_request_id, pairing.session_id) == (booked.id, surgery_session.id)


def test_a_dry_run_stores_nothing(surgery_session, runner):
    open_request("a@example.org", postcode="B13 9AE")
    result = runner.invoke(args=["match", "run", "--dry-run"])
    assert "Would pair 1 of 1 open requests" in result.output
    assert db.session.scalar(db.select(db.func.count(Pairing.id))) == 0
    assert db.session.scalar(db.select(db.func.count(MatchRun.id))) == 0


def test_a_request_proposed_at_a_session_now_inside_the_lead_time_is_not_paired_again(
    surgery_session,
):
    host = surgery_session.hosts[0]
    a_week_after_the_first = surgery_session.starts_at.astimezone(LONDON).date() + timedelta(days=7)
    later = sessions.create_session(
        host,
        session_details(seats=2, access=(AccessNeed.STEP_FREE,), day=a_week_after_the_first),
        utcnow(),
    )
    sessions.move_session(host, later, "publish", utcnow())
    signups.sign_up(db.session.scalar(db.select(Volunteer)), later, 2, utcnow())
    open_request("a@example.org", postcode="B13 9AE")
    run_matching(utcnow(), "test")
    first = db.session.scalar(db.select(Pairing))
    # A day before the first session, it is out of the run's reach but its proposal stands.
    run_matching(first.surgery_session.starts_at - timedelta(hours=23), "test")
    assert db.session.scalar(db.select(db.func.count(Pairing.id))) == 1


def test_a_session_that_needs_a_safeguarding_check_pairs_only_checked_volunteers(
    surgery_session,
):
    surgery_session.requires_safeguarding = True
    db.session.commit()
    open_request("a@example.org", postcode="B13 9AE")
    run = run_matching(utcnow(), "test")
    assert run.paired == 0 and run.unpaired_by_reason == {"NO_SKILL": 1}
    safeguarding.record_check(admin_account(), "SAM@example.org", utcnow())
    assert run_matching(utcnow(), "test").paired == 1


def test_an_auto_confirm_session_agrees_at_once_and_tells_the_group(surgery_session):
    surgery_session.auto_confirm = True
    db.session.commit()
    help_request = open_request("a@example.org", postcode="B13 9AE")
    run_matching(utcnow(), "test")
    pairing = db.session.scalar(db.select(Pairing))
    assert pairing.state is PairingState.CONFIRMED
    assert help_request.status is RequestStatus.MATCHED
    assert surgery_session.seats_taken == 1
    email = db.session.scalar(db.select(Notification).filter_by(key=f"paired:pairing:{pairing.id}"))
    assert email.recipient == "a@example.org" and "METHOD:REQUEST" in email.calendar


def proposals(count: int, surgery_session) -> list[Pairing]:
    for n in range(count):
        open_request(f"group{n}@example.org", postcode="B13 9AE")
    run_matching(utcnow(), "test")
    return list(db.session.scalars(db.select(Pairing).order_by(Pairing.id)))


def test_confirming_when_the_tables_have_gone_leaves_the_proposal_and_says_so(surgery_session):
    first, second = proposals(2, surgery_session)
    walk_in = open_request("walkin@example.org", postcode="B13 9AE")
    booking.book_place(walk_in, surgery_session, utcnow())  # takes one of the two tables
    result = reviewing.confirm_all(approved_host("ola@example.org"), surgery_session, utcnow())
    assert (result.confirmed, result.no_table) == (1, 1)
    assert [first.state, second.state] == [PairingState.CONFIRMED, PairingState.PROPOSED]
    assert surgery_session.seats_taken == 2
    keys = set(db.session.scalars(db.select(Notification.key).where(Notification.kind == "paired")))
    assert keys == {f"paired:pairing:{first.id}"}


def test_when_the_volunteer_withdraws_the_group_keeps_its_table_and_is_paired_again(
    surgery_session, mailbox
):
    (pairing,) = proposals(1, surgery_session)
    reviewing.confirm_all(approved_host("ola@example.org"), surgery_session, utcnow())
    signups.withdraw_signup(pairing.signup, NOW)
    told = mailbox.to(pairing.help_request.asker.email)[-1]
    assert "can no longer help you. You keep your place" in mailbox.text_of(told)
    db.session.expire_all()
    assert pairing.state is PairingState.CANCELLED
    assert pairing.help_request.status is RequestStatus.OPEN
    assert booking.active_booking(pairing.help_request).session_id == surgery_session.id


def test_a_group_that_gives_up_its_place_or_withdraws_ends_its_pairing(surgery_session):
    gives_up, withdraws = proposals(2, surgery_session)
    reviewing.confirm_all(approved_host("ola@example.org"), surgery_session, utcnow())
    booking.cancel_booking(booking.active_booking(gives_up.help_request), utcnow())
    asking.withdraw_help_request(withdraws.help_request, utcnow())
    db.session.expire_all()
    assert [gives_up.state, withdraws.state] == [PairingState.CANCELLED] * 2
    assert gives_up.help_request.status is RequestStatus.OPEN
    assert surgery_session.seats_taken == 0
    assert db.session.scalar(db.select(db.func.count(Booking.id)).filter_by(status="booked")) == 0


def waiting_at(surgery_session, now) -> list[int]:
    """The groups that could come, as the host's page asks: with the session's live pairings
    and its volunteers, as the page has them loaded."""
    live = reviewing.pairings_at(surgery_session)
    volunteers = signups.who_is_coming(surgery_session).volunteers
    return [g.request_id for g in matching.could_come(surgery_session, now, live, volunteers)]


def test_the_host_sees_who_could_come_if_a_table_frees(surgery_session):
    surgery_session.seats = 1
    db.session.commit()
    first = open_request("first@example.org", postcode="B13 9AE")
    second = open_request("second@example.org", postcode="B13 9AE")
    open_request("video@example.org", postcode="B13 9AE", skill_ids=skill_ids("Video"))
    open_request("far@example.org", postcode="M1 1AE")
    run_matching(utcnow(), "test")
    proposed = db.session.scalar(db.select(Pairing.help_request_id))
    waiting = {first.id, second.id} - {proposed}
    assert waiting_at(surgery_session, utcnow()) == list(waiting)


def test_nobody_is_listed_as_could_come_while_a_table_is_free(surgery_session):
    """With a table free, a group in reach may book it (or be proposed at the next run): "could
    come if a table frees" would say a table must free first."""
    surgery_session.seats = 2
    db.session.commit()
    open_request("first@example.org", postcode="B13 9AE")
    open_request("second@example.org", postcode="B13 9AE")
    assert waiting_at(surgery_session, utcnow()) == []

    run = run_matching(utcnow(), "test")
    assert run.paired == 2  # no table is left once both proposals are agreed
    third = open_request("third@example.org", postcode="B13 9AE")
    assert waiting_at(surgery_session, utcnow()) == [third.id]


def test_a_group_with_a_place_booked_elsewhere_is_not_one_that_could_come(surgery_session):
    """A group that booked a place is paired only where it booked: it could not come here."""
    surgery_session.seats = 1
    db.session.commit()
    host = approved_host("ola@example.org")
    details = session_details(seats=2, access=(AccessNeed.STEP_FREE,))
    elsewhere = sessions.create_session(host, details, utcnow())
    sessions.move_session(host, elsewhere, "publish", utcnow())
    first = open_request("first@example.org", postcode="B13 9AE")
    run_matching(utcnow(), "test", session_id=surgery_session.id)  # first takes the one table
    booked_there = open_request("booked@example.org", postcode="B13 9AE")
    booking.book_place(booked_there, elsewhere, utcnow())
    waiting = open_request("waiting@example.org", postcode="B13 9AE")

    assert matching.proposals_at(surgery_session.id)[0].help_request_id == first.id
    assert waiting_at(surgery_session, utcnow()) == [waiting.id]


def test_who_could_come_is_kept_a_minute_while_the_session_stands(surgery_session):
    surgery_session.seats = 1
    db.session.commit()
    first = open_request("first@example.org", postcode="B13 9AE")
    second = open_request("second@example.org", postcode="B13 9AE")
    run_matching(utcnow(), "test")
    [proposal] = matching.proposals_at(surgery_session.id)
    [waiting] = {first.id, second.id} - {proposal.help_request_id}
    assert waiting_at(surgery_session, utcnow()) == [waiting]

    newcomer = open_request("third@example.org", postcode="B13 9AE")
    assert waiting_at(surgery_session, utcnow()) == [waiting]
    later = utcnow() + timedelta(seconds=matching.COULD_COME_SECONDS)
    waiting_later = waiting_at(surgery_session, later)
    assert sorted(waiting_later) == sorted([waiting, newcomer.id])

    reviewing.drop(approved_host("ola@example.org"), proposal, later)  # a table frees
    assert waiting_at(surgery_session, later) == []


def test_dropping_frees_the_table_a_pairing_gave_but_not_one_the_group_booked(surgery_session):
    booked = open_request("booked@example.org", postcode="B13 9AE")
    booking.book_place(booked, surgery_session, utcnow())
    unbooked = open_request("unbooked@example.org", postcode="B13 9AE")
    host = approved_host("ola@example.org")
    first, second = proposals(0, surgery_session)
    reviewing.confirm_all(host, surgery_session, utcnow())
    assert surgery_session.seats_taken == 2
    for pairing in (first, second):
        reviewing.drop(host, pairing, utcnow())
    db.session.expire_all()
    assert placement.holds_table_at(booked, surgery_session.id)
    assert not placement.holds_table_at(unbooked, surgery_session.id)
    assert surgery_session.seats_taken == 1
    assert booked.status is unbooked.status is RequestStatus.OPEN


def test_a_pairing_a_host_dropped_is_not_proposed_again(surgery_session):
    help_request = open_request("a@example.org", postcode="B13 9AE")
    run_matching(utcnow(), "test")
    reviewing.drop(approved_host("ola@example.org"), db.session.scalar(db.select(Pairing)), NOW)
    run = run_matching(utcnow(), "test")
    assert run.paired == 0 and help_request.status is RequestStatus.OPEN


def second_volunteer_at(surgery_session):
    offer = contact(name="Lucy Chen", email="lucy@example.org")
    submit_volunteer_offer(offer, offer_details(), NOW)
    lucy = db.session.scalar(db.select(Volunteer).where(Volunteer.email == "lucy@example.org"))
    return signups.sign_up(confirm_volunteer(lucy, NOW), surgery_session, 1, NOW)


@pytest.mark.parametrize("here_again", [False, True])
def test_a_host_says_whether_a_dropped_group_may_be_proposed_at_the_session_again(
    surgery_session, here_again
):
    help_request = open_request("a@example.org", postcode="B13 9AE")
    run_matching(NOW, "test")
    dropped = db.session.scalar(db.select(Pairing))
    lucy = second_volunteer_at(surgery_session)
    reviewing.drop(approved_host("ola@example.org"), dropped, NOW, here_again=here_again)
    run = run_matching(NOW, "test")
    if here_again:
        assert run.paired == 1, "with another volunteer"
        live = db.session.scalar(db.select(Pairing).where(Pairing.state == PairingState.PROPOSED))
        assert live.signup_id == lucy.id
    else:
        assert run.paired == 0 and help_request.status is RequestStatus.OPEN


def two_runs_at_once_pair_each_group_once(surgery_session):
    for n in range(6):
        open_request(f"group{n}@example.org", postcode="B13 9AE")
    racing = create_app("testing", SQLALCHEMY_DATABASE_URI=configured_database_url(default=""))
    start, errors = threading.Barrier(2), []

    def run() -> None:
        with racing.app_context():
            try:
                start.wait()
                run_matching(utcnow(), "racing")
            except Exception as error:  # noqa: BLE001  (reported below, with the test's failure)
                errors.append(repr(error))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with racing.app_context():
        db.engine.dispose()

    assert errors == [], "the second run waits for the first instead of failing"
    proposed = db.session.scalars(db.select(Pairing.help_request_id)).all()
    assert len(proposed) == len(set(proposed)) == 2  # two tables
    assert db.session.scalar(db.select(db.func.count(MatchRun.id))) == 2


# Two transactions only overlap on PostgreSQL: .ci/run's second pass.
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    test_two_runs_at_once_pair_each_group_once = two_runs_at_once_pair_each_group_once
