"""Follow-through with a frozen clock: which messages reach the SMTP server, and when."""

from datetime import UTC, datetime, time, timedelta

import pytest
from icalendar import Calendar

from surgery.clock import LONDON
from surgery.extensions import db
from surgery.models import (
    FollowUp,
    FollowUpKind,
    GotGoing,
    Notification,
    NotificationStatus,
    Pairing,
    PairingState,
    RequestStatus,
    Volunteer,
)
from surgery.notify import outbox
from surgery.services import (
    booking,
    digests,
    follow_through,
    on_the_day,
    reviewing,
    sessions,
    signups,
)
from surgery.services.offering import confirm_volunteer, submit_volunteer_offer
from surgery.vocabulary import AccessNeed
from tests.factories import (
    NOW,
    TODAY,
    agreed_pairing_for,
    confirmed_request,
    contact,
    offer_details,
    session_details,
    skill_ids,
)
from tests.instants import next_clocks_forward


def calendar_of(message) -> Calendar:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = Calendar.from_ical(part.get_content())
    assert part.get_param("method") == calendar["METHOD"]
    return calendar


def test_a_pairing_from_booked_through_reminders_to_both_follow_ups(
    mailbox, host, surgery_session, sam, tick
):
    signed_up = mailbox.to("sam@example.org")[-1]
    assert signed_up["Subject"] == "You are helping at Moseley social media surgery"
    assert calendar_of(signed_up)["METHOD"] == "REQUEST"
    help_request = agreed_pairing_for(host, surgery_session)
    paired = mailbox.to("maya@example.org")[-1]
    assert paired["Subject"] == "Your place at Moseley social media surgery"
    assert calendar_of(paired)["METHOD"] == "REQUEST"

    starts = surgery_session.starts_at
    assert tick(starts - timedelta(hours=49)) == []
    assert sorted(tick(starts - timedelta(hours=47))) == [
        ("maya@example.org", "Coming up: Moseley social media surgery"),
        ("sam@example.org", "Your groups at Moseley social media surgery"),
    ]
    groups = mailbox.text_of(mailbox.to("sam@example.org")[-1])
    assert "Maya from Ladywood Food Bank (First steps)" in groups
    assert "Start a Facebook page so more families hear about us." in groups
    reminder = mailbox.text_of(mailbox.to("maya@example.org")[-1])
    assert "Your volunteer: Sam" in reminder and "/still-coming" in reminder
    assert tick(starts - timedelta(hours=46)) == [], "nothing twice"

    morning = datetime.combine(starts.astimezone(LONDON).date(), time(8), LONDON)
    assert tick(morning - timedelta(minutes=5)) == []
    assert sorted(tick(morning)) == [
        ("maya@example.org", "Today: Moseley social media surgery"),
        ("sam@example.org", "Today: Moseley social media surgery"),
    ]

    held = booking.active_booking(help_request)
    on_the_day.record_outcome(host, held, True, skill_ids("Facebook"), "", starts)
    sessions.move_session(host, surgery_session, "complete", surgery_session.ends_at)
    assert help_request.status is RequestStatus.ATTENDED
    ended = surgery_session.ends_at
    assert tick(ended + timedelta(days=6)) == []
    assert tick(ended + timedelta(days=7)) == [("maya@example.org", "Did you get going?")]
    week = mailbox.to("maya@example.org")[-1]
    assert week["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in week["List-Unsubscribe"]
    assert "/follow-up/week" in mailbox.text_of(week)
    assert tick(ended + timedelta(days=30)) == []
    assert tick(ended + timedelta(days=91)) == [
        ("maya@example.org", "What has changed for your group?")
    ]
    assert tick(ended + timedelta(days=200)) == []


def test_no_follow_ups_without_consent_or_after_unsubscribing(host, surgery_session, sam, tick):
    help_request = agreed_pairing_for(host, surgery_session)
    follow_through.unsubscribe(help_request.asker, NOW)
    held = booking.active_booking(help_request)
    on_the_day.record_outcome(host, held, True, (), "", surgery_session.starts_at)
    sessions.move_session(host, surgery_session, "complete", surgery_session.ends_at)
    assert tick(surgery_session.ends_at + timedelta(days=8)) == []


def test_a_changed_session_updates_calendars_and_moves_the_reminders(
    host, surgery_session, sam, mailbox, tick
):
    agreed_pairing_for(host, surgery_session)
    starts = surgery_session.starts_at
    follow_through.create_due_messages(starts - timedelta(hours=47))  # queued, not yet sent
    next_day = starts.date() + timedelta(days=1)
    later = session_details(seats=1, access=(AccessNeed.STEP_FREE,), day=next_day)
    sessions.update_session(host, surgery_session, later, starts - timedelta(hours=47))
    withdrawn = db.session.scalars(
        db.select(Notification.kind).where(Notification.status == NotificationStatus.CANCELLED)
    ).all()
    assert sorted(withdrawn) == ["reminder", "volunteer_groups"]
    changed = [m for m in mailbox.received if m["Subject"].endswith("has changed")]
    assert sorted(m["To"] for m in changed) == ["maya@example.org", "sam@example.org"]
    greetings = sorted(mailbox.text_of(m).splitlines()[0] for m in changed)
    assert greetings == ["Hello Maya,", "Hello Sam,"]
    (event,) = calendar_of(changed[0]).walk("VEVENT")
    assert event["SEQUENCE"] == surgery_session.sequence == 2
    assert event.decoded("DTSTART").day == later.day.day
    assert tick(starts - timedelta(hours=46)) == []
    new_start = surgery_session.starts_at
    assert len(tick(new_start - timedelta(hours=47))) == 2, "reminders at the new time"


def test_a_cancelled_session_tells_everyone_and_reopens_the_request(
    host, surgery_session, sam, mailbox, tick
):
    help_request = agreed_pairing_for(host, surgery_session)
    follow_through.create_due_messages(surgery_session.starts_at - timedelta(hours=47))
    sessions.move_session(host, surgery_session, "cancel", NOW)
    assert help_request.status is RequestStatus.OPEN
    assert db.session.scalar(db.select(Pairing.state)) is PairingState.CANCELLED
    cancelled = [m for m in mailbox.received if m["Subject"].startswith("Cancelled:")]
    assert sorted(m["To"] for m in cancelled) == ["maya@example.org", "sam@example.org"]
    assert all(calendar_of(m)["METHOD"] == "CANCEL" for m in cancelled)
    group_email = next(m for m in cancelled if m["To"] == "maya@example.org")
    assert "your request for Ladywood Food Bank is open again" in mailbox.text_of(group_email)
    assert tick(surgery_session.starts_at - timedelta(hours=46)) == [], "reminders withdrawn"


def test_still_looking_once_then_expired_when_the_window_passes(mailbox, tick):
    far = confirmed_request("far@example.org")  # there are no sessions at all
    assert tick(NOW + timedelta(days=13)) == []
    assert tick(NOW + timedelta(days=14, hours=1)) == [
        ("far@example.org", "Still looking for help for Ladywood Food Bank")
    ]
    assert tick(NOW + timedelta(days=20)) == []
    after = far.latest_date + timedelta(days=1)
    assert tick(datetime.combine(after, time(12), LONDON)) == [
        ("far@example.org", "Your request for Ladywood Food Bank has closed")
    ]
    assert far.status is RequestStatus.EXPIRED


def test_a_host_gets_a_daily_digest_only_when_something_is_new(host, surgery_session, mailbox):
    digest_hour = time(digests.DIGEST_HOUR)
    today = datetime.combine(TODAY + timedelta(days=1), digest_hour, LONDON)
    tomorrow = today + timedelta(days=1)
    digests.send_digests(today)
    outbox.deliver_due(today)
    assert not digests_to_hana(mailbox), "nothing new, no digest"
    confirmed_request("near@example.org", when=today + timedelta(hours=1))
    confirmed_request("far@example.org", when=today + timedelta(hours=1), postcode="M1 1AE")
    digests.send_digests(tomorrow)
    digests.send_digests(tomorrow + timedelta(hours=1))
    outbox.deliver_due(tomorrow + timedelta(hours=1))
    [digest] = digests_to_hana(mailbox)
    text = mailbox.text_of(digest)
    assert "Groups asking for help within reach (1)" in text and "B13: Facebook" in text
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def digests_to_hana(mailbox):
    return [m for m in mailbox.to("hana@example.org") if m["Subject"] == "New near your sessions"]


def test_follow_up_answers_are_kept_on_the_request(host, surgery_session, sam):
    help_request = agreed_pairing_for(host, surgery_session)
    follow_through.record_follow_up(
        help_request, FollowUpKind.WEEK, NOW, got_going=GotGoing.PARTLY, line="A page, no posts"
    )
    follow_through.record_follow_up(
        help_request, FollowUpKind.WEEK, NOW, got_going=GotGoing.YES, line="Posting weekly"
    )
    (answer,) = db.session.scalars(db.select(FollowUp)).all()
    assert (answer.got_going, answer.line) == (GotGoing.YES, "Posting weekly")


def test_dropping_an_agreed_pairing_cancels_the_groups_place_and_calendar(
    host, surgery_session, sam, mailbox
):
    help_request = agreed_pairing_for(host, surgery_session)
    pairing = db.session.scalar(db.select(Pairing))
    reviewing.drop(host, pairing, NOW)
    cancelled = mailbox.to("maya@example.org")[-1]
    assert cancelled["Subject"] == "Your place at Moseley social media surgery is cancelled"
    assert calendar_of(cancelled)["METHOD"] == "CANCEL"
    assert "Your request is open again" in mailbox.text_of(cancelled)
    assert booking.active_booking(help_request) is None


def lucy_signed_up(surgery_session):
    details = contact(name="Lucy Chen", email="lucy@example.org")
    submit_volunteer_offer(details, offer_details(), NOW)
    lucy = db.session.scalar(db.select(Volunteer).where(Volunteer.email == "lucy@example.org"))
    return signups.sign_up(confirm_volunteer(lucy, NOW), surgery_session, 1, NOW)


def test_swapping_an_agreed_volunteer_tells_the_group_the_new_name(
    host, surgery_session, sam, mailbox
):
    agreed_pairing_for(host, surgery_session)
    other = lucy_signed_up(surgery_session)
    pairing = db.session.scalar(db.select(Pairing))
    reviewing.swap(host, pairing, other.id, NOW)
    changed = mailbox.to("maya@example.org")[-1]
    assert changed["Subject"] == "Your volunteer at Moseley social media surgery has changed"
    assert "Your volunteer: Lucy" in mailbox.text_of(changed)


def test_a_volunteer_without_a_check_cannot_be_swapped_into_a_session_that_needs_one(
    host, surgery_session, sam
):
    agreed_pairing_for(host, surgery_session)
    surgery_session.requires_safeguarding = True
    other = lucy_signed_up(surgery_session)
    pairing = db.session.scalar(db.select(Pairing))
    with pytest.raises(ValueError, match="safeguarding check"):
        reviewing.swap(host, pairing, other.id, NOW)


def test_the_morning_reminder_is_at_eight_uk_time_in_summer_too(host):
    wednesday = next_clocks_forward(TODAY + timedelta(days=1)) + timedelta(days=3)
    summer = session_details(day=wednesday, starts=time(18), ends=time(20))
    surgery_session = sessions.create_session(host, summer, NOW)
    morning = follow_through.morning_of(surgery_session, follow_through.Timing.from_config())
    assert morning == datetime.combine(wednesday, time(7), UTC), "8am BST is 7am UTC"


def test_reminders_say_tomorrow_for_a_session_tomorrow(host, surgery_session, sam, mailbox, tick):
    agreed_pairing_for(host, surgery_session)
    day_before = surgery_session.starts_at - timedelta(hours=30)
    tick(day_before)
    group = mailbox.text_of(mailbox.to("maya@example.org")[-1])
    assert "has a place at Moseley social media surgery tomorrow." in group
    volunteer = mailbox.text_of(mailbox.to("sam@example.org")[-1])
    assert "Moseley social media surgery is tomorrow." in volunteer
