"""Freed tables: a group that cannot come, or does not answer, and who takes its table."""

from datetime import timedelta

from surgery.extensions import db
from surgery.models import BookingStatus, Pairing, RequestStatus
from surgery.services import booking, follow_through
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
        "Your place at Moseley social media surgery has gone to another group",
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
