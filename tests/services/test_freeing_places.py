"""Freed tables: a group that cannot come, or does not answer, and who takes its table."""

from datetime import timedelta

from surgery.extensions import db
from surgery.models import BookingStatus, Pairing, PairingState, RequestStatus
from surgery.services import booking, follow_through, placement
from surgery.services.matching import run_matching
from tests.factories import NOW, agreed_pairing_for, confirmed_request


def test_a_group_that_cannot_come_frees_its_table_for_the_next_who_is_told_at_once(
    host, surgery_session, sam, mailbox
):
    first = agreed_pairing_for(host, surgery_session)
    second = confirmed_request("next@example.org")
    run_matching(NOW, "test")  # no table left, so nobody is proposed
    assert db.session.scalar(db.select(db.func.count(Pairing.id))) == 1
    day_before = surgery_session.starts_at - timedelta(hours=30)
    follow_through.answer_still_coming(booking.active_booking(first), False, day_before)
    assert first.status is RequestStatus.OPEN
    assert second.status is RequestStatus.MATCHED, "paired inside the usual lead time"
    [told] = mailbox.to("next@example.org")[-1:]
    assert told["Subject"] == "Your place at Moseley social media surgery"
    assert "Your volunteer: Sam" in mailbox.text_of(told)


def test_a_group_that_does_not_answer_loses_its_table_where_the_host_chose_that(
    host, surgery_session, sam, mailbox, tick
):
    surgery_session.free_unanswered = True
    db.session.commit()
    silent = agreed_pairing_for(host, surgery_session)
    starts = surgery_session.starts_at
    tick(starts - timedelta(hours=47))  # asked "still coming?"
    assert tick(starts - timedelta(hours=25)) == []
    assert (
        "maya@example.org",
        "We have given up your place at Moseley social media surgery",
    ) in tick(starts - timedelta(hours=24))
    assert silent.status is RequestStatus.OPEN


def test_a_group_that_said_yes_keeps_its_table(host, surgery_session, sam, tick):
    surgery_session.free_unanswered = True
    db.session.commit()
    coming = agreed_pairing_for(host, surgery_session)
    starts = surgery_session.starts_at
    tick(starts - timedelta(hours=47))
    follow_through.answer_still_coming(booking.active_booking(coming), True, starts - timedelta(1))
    assert tick(starts - timedelta(hours=23)) == []
    assert booking.active_booking(coming).status is BookingStatus.BOOKED


def test_a_group_asked_late_still_has_time_to_answer(host, surgery_session, sam, tick):
    surgery_session.free_unanswered = True
    db.session.commit()
    starts = surgery_session.starts_at
    late = agreed_pairing_for(host, surgery_session)
    assert ("maya@example.org", "Coming up: Moseley social media surgery") in tick(
        starts - timedelta(hours=20)
    )
    assert tick(starts - timedelta(hours=19, minutes=55)) == []
    assert booking.active_booking(late) is not None, "six hours to answer, however late"
    freed = tick(starts - timedelta(hours=13))
    assert ("maya@example.org", "We have given up your place at Moseley social media surgery") in (
        freed
    )


def test_a_freed_table_is_filled_once_and_other_proposals_wait_for_the_host(
    host, surgery_session, sam, mailbox
):
    surgery_session.seats = 3
    db.session.commit()
    first = agreed_pairing_for(host, surgery_session, "first@example.org")
    for n in range(3):
        confirmed_request(f"waiting{n}@example.org")
    run_matching(NOW, "test")  # Sam helps two: one more proposal, two left unpaired
    assert db.session.scalars(db.select(Pairing.state)).all().count(PairingState.PROPOSED) == 1
    day_before = surgery_session.starts_at - timedelta(hours=30)
    follow_through.answer_still_coming(booking.active_booking(first), False, day_before)
    states = db.session.scalars(db.select(Pairing.state).order_by(Pairing.id)).all()
    assert states.count(PairingState.CONFIRMED) == 1, "one table freed, one table filled"
    assert states.count(PairingState.PROPOSED) == 1, "the host's proposal is left to the host"


def test_a_table_freed_weeks_ahead_is_proposed_and_left_to_the_host(
    host, surgery_session, sam, mailbox
):
    first = agreed_pairing_for(host, surgery_session, "first@example.org")
    confirmed_request("next@example.org")
    follow_through.answer_still_coming(booking.active_booking(first), False, NOW)
    [proposal] = db.session.scalars(db.select(Pairing).where(Pairing.state != "cancelled")).all()
    assert proposal.state is PairingState.PROPOSED, "the host confirms, as they chose"
    assert not [m for m in mailbox.to("next@example.org") if "place" in m["Subject"]]


def test_a_yes_after_the_table_was_given_up_is_refused(host, surgery_session, sam):
    held = booking.active_booking(agreed_pairing_for(host, surgery_session))
    assert placement.give_up(held, NOW, unanswered=True)
    db.session.commit()
    assert not follow_through.answer_still_coming(held, True, NOW)
    db.session.refresh(held)
    assert held.coming_confirmed_at is None


def test_a_group_that_said_yes_is_not_freed_by_a_scheduler_that_read_it_earlier(
    host, surgery_session, sam
):
    held = booking.active_booking(agreed_pairing_for(host, surgery_session))
    stale_copy_says_unanswered = held.coming_confirmed_at is None
    assert follow_through.answer_still_coming(held, True, NOW)
    assert stale_copy_says_unanswered
    assert not placement.give_up(held, NOW, unanswered=True)
    assert booking.active_booking(held.help_request).status is BookingStatus.BOOKED


def test_a_group_that_loses_its_table_on_the_day_is_not_also_told_to_come(
    host, surgery_session, sam, tick
):
    surgery_session.free_unanswered = True
    db.session.commit()
    agreed_pairing_for(host, surgery_session)
    starts = surgery_session.starts_at
    tick(starts - timedelta(hours=47))  # asked, and no answer
    told = [subject for to, subject in tick(starts.replace(hour=8)) if to == "maya@example.org"]
    assert told == ["We have given up your place at Moseley social media surgery"]


def a_group_waiting_for_the_one_table(host, surgery_session):
    """Maya is agreed with Sam at the one table; Ravi's group waits for it."""
    first = agreed_pairing_for(host, surgery_session)
    waiting = confirmed_request("ravi@example.org", organisation_name="Moseley Men's Shed")
    booking.book_place(waiting, surgery_session, NOW)
    assert booking.active_booking(waiting).status is BookingStatus.WAITING
    return first, waiting


def test_the_group_from_the_waiting_list_hears_once_with_its_volunteer(
    host, surgery_session, sam, mailbox, tick
):
    first, waiting = a_group_waiting_for_the_one_table(host, surgery_session)
    day_before = surgery_session.starts_at - timedelta(hours=30)
    follow_through.answer_still_coming(booking.active_booking(first), False, day_before)

    [told] = [m for m in mailbox.to("ravi@example.org") if "place" in m["Subject"]]
    assert told["Subject"] == "Your place at Moseley social media surgery"
    assert "Your volunteer: Sam" in mailbox.text_of(told)
    later = [m for m in tick(day_before + timedelta(minutes=5)) if m[0] == "ravi@example.org"]
    assert later == [("ravi@example.org", "Coming up: Moseley social media surgery")]


def test_the_volunteer_hears_that_their_groups_changed_after_their_list_went(
    host, surgery_session, sam, mailbox, tick
):
    first, waiting = a_group_waiting_for_the_one_table(host, surgery_session)
    starts = surgery_session.starts_at
    tick(starts - timedelta(hours=47))
    listed = mailbox.text_of(mailbox.to("sam@example.org")[-1])
    assert "Maya from Ladywood Food Bank" in listed

    follow_through.answer_still_coming(booking.active_booking(first), False, starts - timedelta(1))

    changed = mailbox.to("sam@example.org")[-1]
    assert changed["Subject"] == "Your groups at Moseley social media surgery have changed"
    text = mailbox.text_of(changed)
    assert "from Moseley Men's Shed" in text and "Ladywood Food Bank" not in text
    later = tick(starts - timedelta(hours=20))
    assert [to for to, _ in later] == ["ravi@example.org"], "the new list goes once"
